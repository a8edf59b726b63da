/**
 * Electron IPC adapter of the API: one handler per contract method, each forwarding to the
 * node's transport-neutral ApiService, and node events pushed to the window. A call from any
 * frame other than the app's own top-level page is refused with FORBIDDEN.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { IPC_EVENT_CHANNEL, ipcChannel } from '../../shared/api/bridge.ts'
import { METHOD_NAMES } from '../../shared/api/contract.ts'
import type { ApiService } from '../api/service.ts'
import type { Logger } from '../log/logger.ts'
import { isTrustedFrame, type AppLocation } from './app-location.ts'
import { forbiddenEnvelope } from './forbidden.ts'

export interface IpcInit {
  api: ApiService
  location: AppLocation
  logger: Logger
}

export function serveApiOverIpc({ api, location, logger }: IpcInit): void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame
      const facts = frame === null ? null : { url: frame.url, isTopFrame: frame.parent === null }
      if (!isTrustedFrame(facts, location)) {
        logger.warn({ method, url: facts?.url }, 'Refused an API call from a foreign frame')
        return forbiddenEnvelope(method)
      }
      return api.call(method, input)
    })
  }
}

/** Pushes every node event to `target` for as long as it lives. */
export function forwardEvents(api: ApiService, target: WebContents): void {
  const unsubscribe = api.subscribe((event) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event)
  })
  target.once('destroyed', unsubscribe)
}
