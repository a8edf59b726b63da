/**
 * The narrow API the Electron preload exposes to the window as `window.gridnode`: one function per
 * contract method plus an event subscription, nothing else (no raw IPC reaches the page).
 */
import { z } from 'zod'
import { GridNodeError } from '../errors.ts'
import type { ApiTransport } from './client.ts'
import { EnvelopeSchema } from './envelope.ts'
import type { MethodName } from './method-names.ts'

export const BRIDGE_GLOBAL = 'gridnode'
/** IPC channel of one API method; the main process handles exactly these. */
export const ipcChannel = (method: MethodName): string => `gridnode:api:${method}`
export const IPC_EVENT_CHANNEL = 'gridnode:event'
/** The desktop app's folder picker (not an API method: only a window has a system dialog to show). */
export const IPC_PICK_FOLDER_CHANNEL = 'gridnode:pick-folder'

export type GridNodeBridge = {
  readonly [M in MethodName]: (input: unknown) => Promise<unknown>
} & {
  /** Calls `listener` with each event the node pushes; returns the unsubscribe function. */
  onEvent(listener: (event: unknown) => void): () => void
  /** Shows the system's folder dialog; resolves with an envelope of the chosen path, or null if cancelled. */
  pickFolder(): Promise<unknown>
}

export function createBridgeTransport(bridge: GridNodeBridge): ApiTransport {
  return {
    call: (method, input) => bridge[method](input),
    events: (onEvent, signal) =>
      new Promise<void>((resolve) => {
        const unsubscribe = bridge.onEvent(onEvent)
        signal.addEventListener('abort', () => {
          unsubscribe()
          resolve()
        }, { once: true })
      }),
  }
}

const PickedFolderSchema = z.string().min(1).nullable()

/** The folder the user chose in the desktop app's dialog, or null if they cancelled; a refusal throws its error. */
export async function pickFolderThrough(bridge: GridNodeBridge): Promise<string | null> {
  const envelope = EnvelopeSchema.safeParse(await bridge.pickFolder())
  if (!envelope.success) throw new GridNodeError('BAD_RESPONSE', 'The app sent a malformed answer to the folder picker.')
  if (!envelope.data.ok) throw GridNodeError.fromBody(envelope.data.error)
  const picked = PickedFolderSchema.safeParse(envelope.data.value)
  if (!picked.success) throw new GridNodeError('BAD_RESPONSE', 'The folder picker answered with no path.')
  return picked.data
}
