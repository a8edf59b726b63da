/**
 * The desktop app's folder dialog, when this page runs in it. The headless UI has none: a browser
 * cannot hand a folder's path on the node's machine to the page, so people type the path there.
 */
import { BRIDGE_GLOBAL, pickFolderThrough, type GridNodeBridge } from '../../shared/api/bridge.ts'

/** Resolves with the chosen folder's path, or null if the dialog was cancelled. */
export type PickFolder = () => Promise<string | null>

export function desktopFolderPicker(): PickFolder | null {
  const bridge = (window as { [BRIDGE_GLOBAL]?: GridNodeBridge })[BRIDGE_GLOBAL]
  return bridge === undefined ? null : () => pickFolderThrough(bridge)
}
