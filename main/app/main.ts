/**
 * Electron entry (built to out/main/index.js): runs one node in this process and gives it a
 * window and a tray icon. The shell stays thin: the node does the work, this file only wires it
 * to Electron and owns the app's lifecycle (single instance, start failure, bounded quit).
 */
import { app, dialog, powerMonitor, type BrowserWindow, type Tray } from 'electron'
import { toGridNodeError } from '../../shared/errors.ts'
import { componentLogger, createLogger } from '../log/logger.ts'
import { createGridNode } from '../node/gridnode.ts'
import { resolveNodeInit } from '../node/options.ts'
import type { GridNode } from '../node/types.ts'
import { appLocation } from './app-location.ts'
import { parseAppArgs } from './args.ts'
import { forwardEvents, serveApiOverIpc } from './ipc.ts'
import { appPaths } from './paths.ts'
import { applySecurityPolicy } from './security.ts'
import { onceStopper } from './shutdown.ts'
import { createTray } from './tray.ts'
import { createMainWindow, revealWindow } from './window.ts'

/** Quitting waits this long for the node to release its data folder, then exits regardless. */
const STOP_TIMEOUT_MS = 5_000

const logger = componentLogger(createLogger({}), 'app')
const paths = appPaths(import.meta.dirname)
const location = appLocation(paths.rendererIndex, process.env.ELECTRON_RENDERER_URL)

let window: BrowserWindow | undefined
// Held here so the tray icon is not garbage-collected away; destroyed on exit.
let tray: Tray | undefined
let quitting = false

async function run(): Promise<void> {
  await app.whenReady()
  applySecurityPolicy(location, logger)
  // Parsed only now so that a usage error can be shown in a dialog like any other failure.
  const options = parseAppArgs(process.argv.slice(1))
  const node = createGridNode({
    ...resolveNodeInit({ ...options, uiDir: paths.rendererDir }),
    onStopRequested: () => app.quit(),
    // "Only when idle" pauses as soon as the user touches keyboard or mouse.
    systemIdle: { idleSeconds: () => powerMonitor.getSystemIdleTime() },
  })
  quitWith(node)
  await node.start()

  serveApiOverIpc({ api: node.api, location, logger })
  const mainWindow = createMainWindow({ preload: paths.preload, location, isQuitting: () => quitting, logger })
  window = mainWindow
  forwardEvents(node.api, mainWindow.webContents)
  const openWindow = (): void => revealWindow(mainWindow)
  tray = createTray({ api: node.api, initial: node.status(), openWindow, quit: () => app.quit() })
  app.on('activate', openWindow)
}

/** Every way of quitting (tray, Cmd+Q, API `stop`, signals) stops the node once, then exits. */
function quitWith(node: GridNode): void {
  const stopNode = onceStopper(() => node.stop(), STOP_TIMEOUT_MS)
  app.on('before-quit', (event) => {
    quitting = true
    event.preventDefault()
    void stopNode().then((error) => {
      if (error !== undefined) logger.error({ err: error }, 'The node did not stop cleanly')
      // exit() skips Electron's own cleanup, which would otherwise leave a stale icon on Windows.
      tray?.destroy()
      // exit() also skips before-quit, so this handler does not run again.
      app.exit(error === undefined ? 0 : 1)
    })
  })
}

function fail(err: unknown): void {
  const error = toGridNodeError(err)
  logger.error({ err, code: error.code }, 'GridNode could not start')
  dialog.showErrorBox('GridNode could not start', error.message)
  app.exit(error.exitCode)
}

if (app.requestSingleInstanceLock()) {
  // A second launch hands over to this one: show the window it was looking for.
  app.on('second-instance', () => {
    if (window !== undefined) revealWindow(window)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
  run().catch(fail)
} else {
  app.exit(0)
}
