/**
 * Electron IPC adapter of the API: one handler per contract method, each forwarding to the
 * node's transport-neutral ApiService, node events pushed to the window, and the folder picker
 * (the system dialog only a window can show). A call from any frame other than the app's own
 * top-level page is refused with FORBIDDEN.
 */
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_PICK_FOLDER_CHANNEL, ipcChannel } from '../../shared/api/bridge.ts'
import { METHOD_NAMES } from '../../shared/api/contract.ts'
import type { Envelope } from '../../shared/api/envelope.ts'
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
  /** Runs `answer` for the app's own page only. */
  const guarded = (name: string, answer: (event: IpcMainInvokeEvent, input: unknown) => Promise<Envelope<unknown>>) => (event: IpcMainInvokeEvent, input: unknown) => {
    const frame = event.senderFrame
    const facts = frame === null ? null : { url: frame.url, isTopFrame: frame.parent === null }
    if (!isTrustedFrame(facts, location)) {
      logger.warn({ method: name, url: facts?.url }, 'Refused an IPC call from a foreign frame')
      return forbiddenEnvelope(name)
    }
    return answer(event, input)
  }
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), guarded(method, (_event, input) => api.call(method, input)))
  }
  ipcMain.handle(IPC_PICK_FOLDER_CHANNEL, guarded('pickFolder', pickFolder))
}

/** The system's folder dialog, modal to the asking window; the path chosen, or null if cancelled. */
async function pickFolder(event: IpcMainInvokeEvent): Promise<Envelope<string | null>> {
  const options = { properties: ['openDirectory', 'createDirectory'] } satisfies Electron.OpenDialogOptions
  const owner = BrowserWindow.fromWebContents(event.sender)
  const { canceled, filePaths } = owner === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(owner, options)
  return { ok: true, value: canceled ? null : (filePaths[0] ?? null) }
}

/** Pushes every node event to `target` for as long as it lives. */
export function forwardEvents(api: ApiService, target: WebContents): void {
  const unsubscribe = api.subscribe((event) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event)
  })
  target.once('destroyed', unsubscribe)
}
