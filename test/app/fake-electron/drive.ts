/**
 * Runs the built shell (out/main/index.js) on the fake Electron, then plays one scenario and
 * prints what happened as one JSON line when the app exits:
 *   node --import ./register.ts drive.ts SCENARIO MAIN_ENTRY [app arguments…]
 * Scenarios: `run` exercises the window, IPC, security hooks and tray, then quits from the tray;
 * `hold` prints {"ready":true} once the app is up and waits to be stopped by a signal.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { IPC_PICK_FOLDER_CHANNEL } from '../../../shared/api/bridge.ts'
import { preventable, recorded, type FakeBrowserWindow } from './electron.ts'

const [scenario, mainEntry, ...appArgs] = process.argv.slice(2)
if (mainEntry === undefined || (scenario !== 'run' && scenario !== 'hold')) throw new Error('usage: drive.ts run|hold MAIN_ENTRY [args…]')
const dataDir = appArgs[appArgs.indexOf('--data') + 1] ?? ''
const READY_TIMEOUT_MS = 15_000

const report: Record<string, unknown> = {}
recorded.onExit = (code) => {
  Object.assign(report, {
    exitCode: code,
    errorBoxes: recorded.errorBoxes,
    apiFileAfterExit: existsSync(join(dataDir, 'api.json')),
    trayDestroyed: recorded.trays.every((tray) => tray.destroyed),
  })
  process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(code))
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('The app did not come up in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function call(method: string, senderFrame: unknown): Promise<unknown> {
  const handler = recorded.ipcHandlers.get(`gridnode:api:${method}`)
  if (handler === undefined) throw new Error(`No IPC handler for ${method}`)
  return handler({ senderFrame }, {})
}

async function pickFolder(senderFrame: unknown, sender: unknown): Promise<unknown> {
  const handler = recorded.ipcHandlers.get(IPC_PICK_FOLDER_CHANNEL)
  if (handler === undefined) throw new Error('No IPC handler for the folder picker')
  return handler({ senderFrame, sender }, undefined)
}

function navigationBlocked(window: FakeBrowserWindow, url: string): boolean {
  const event = preventable()
  window.webContents.emit('will-navigate', event, url)
  return event.defaultPrevented
}

async function play(window: FakeBrowserWindow): Promise<void> {
  const pageUrl = pathToFileURL(window.loaded ?? '').href
  report.webPreferences = window.options.webPreferences
  report.ipcChannels = [...recorded.ipcHandlers.keys()].sort()
  report.apiFileWhileRunning = existsSync(join(dataDir, 'api.json'))
  report.status = await call('status', { url: pageUrl, parent: null })
  report.fromForeignPage = await call('status', { url: 'https://evil.example/', parent: null })
  report.fromIframe = await call('status', { url: pageUrl, parent: {} })
  report.fromGoneFrame = await call('status', null)
  report.pickedFolder = await pickFolder({ url: pageUrl, parent: null }, window.webContents)
  report.pickFromForeignPage = await pickFolder({ url: 'https://evil.example/', parent: null }, window.webContents)
  report.openDialogs = recorded.openDialogs
  report.navigation = { foreign: navigationBlocked(window, 'https://evil.example/'), own: navigationBlocked(window, `${pageUrl}#/peers`) }
  report.windowOpen = ['https://gridnode.org/', 'file:///etc/passwd'].map((url) => window.webContents.windowOpenHandler?.({ url }).action)
  await new Promise((resolve) => setImmediate(resolve))
  report.openedExternally = recorded.openedExternally
  report.permissionGranted = await new Promise((resolve) => recorded.permissionHandler?.(window.webContents, 'geolocation', resolve))
  report.cspHeaders = await new Promise((resolve) => recorded.headersHandler?.({ url: pageUrl, responseHeaders: {} }, resolve))
  const close = preventable()
  window.emit('close', close)
  report.closeHides = close.defaultPrevented && !window.visible
  const tray = recorded.trays[0]
  report.tray = { tooltip: tray?.tooltip, labels: tray?.menu?.items.map((item) => item.label ?? item.type) }
  tray?.menu?.items.find((item) => item.label === 'Quit')?.click?.()
}

await import(pathToFileURL(mainEntry).href)
await until(() => recorded.trays.length > 0 || recorded.errorBoxes.length > 0)
const window = recorded.windows[0]
if (window !== undefined) {
  if (scenario === 'hold') process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
  else await play(window)
}
