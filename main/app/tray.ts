/**
 * The tray icon that keeps the node reachable while its window is hidden: a tooltip and a menu
 * describing the node, kept current from the node's status events.
 */
import { Menu, Tray, nativeImage } from 'electron'
import type { Status } from '../../shared/api/schemas.ts'
import type { ApiService } from '../api/service.ts'
import trayIconPath from '../../build/icons/32x32.png?asset'
import { trayView, type TrayView } from './tray-view.ts'

export interface TrayInit {
  api: ApiService
  initial: Status
  openWindow: () => void
  quit: () => void
}

/** Tray hosts draw about 16 logical pixels on macOS and Windows; Linux scales the image itself. */
const SMALL_TRAY_SIZE = 16

export function createTray({ api, initial, openWindow, quit }: TrayInit): Tray {
  let icon = nativeImage.createFromPath(trayIconPath)
  if (process.platform !== 'linux') icon = icon.resize({ width: SMALL_TRAY_SIZE, height: SMALL_TRAY_SIZE })
  const tray = new Tray(icon)
  let shown: TrayView | undefined
  const render = (status: Status): void => {
    const view = trayView(status)
    // Rebuilding the menu is costly on some Linux tray hosts: only do it when the text changed.
    if (shown !== undefined && JSON.stringify(shown) === JSON.stringify(view)) return
    shown = view
    tray.setToolTip(view.tooltip)
    tray.setContextMenu(
      Menu.buildFromTemplate([
        ...view.lines.map((label) => ({ label, enabled: false })),
        { type: 'separator' },
        { label: 'Open GridNode', click: openWindow },
        { label: 'Quit', click: quit },
      ]),
    )
  }
  render(initial)
  tray.on('click', openWindow)
  // The tray lives as long as the app, so its subscription is never undone.
  api.subscribe((event) => {
    if (event.type === 'status') render(event.data)
  })
  return tray
}
