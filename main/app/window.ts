/**
 * The app's one window. Closing it only hides it: the node keeps running in the tray until the
 * user quits.
 */
import { BrowserWindow } from 'electron'
import type { Logger } from '../log/logger.ts'
import type { AppLocation } from './app-location.ts'

export interface MainWindowInit {
  preload: string
  location: AppLocation
  /** True once the app is quitting: then closing really closes. */
  isQuitting: () => boolean
  logger: Logger
}

export function createMainWindow({ preload, location, isQuitting, logger }: MainWindowInit): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    title: 'GridNode',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  })
  // Shown once painted, so the user never sees a blank frame.
  window.once('ready-to-show', () => window.show())
  window.on('close', (event) => {
    if (isQuitting()) return
    event.preventDefault()
    window.hide()
  })
  const loading = location.kind === 'dev' ? window.loadURL(location.url) : window.loadFile(location.indexFile)
  loading.catch((err: unknown) => logger.error({ err }, 'The window could not load the UI'))
  return window
}

/** Brings the window back from the tray or from behind other windows. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}
