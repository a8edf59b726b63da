/**
 * The window's only door to the node: exposes `window.gridnode` (see shared/api/bridge.ts) in
 * the isolated world. Built as CommonJS with everything but 'electron' bundled in, because a
 * sandboxed preload can neither load ES modules nor require other packages.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { BRIDGE_GLOBAL } from '../../shared/api/bridge.ts'
import { METHOD_NAMES } from '../../shared/api/method-names.ts'
import { createBridge } from './bridge.ts'

const bridge = createBridge(METHOD_NAMES, {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  listen(channel, listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  },
})

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge)
