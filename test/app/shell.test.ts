/**
 * The built Electron shell (out/main/index.js) wired to a real node, run under Node on a fake
 * Electron (./fake-electron): what can be checked of the shell without Electron's binary. The
 * real-window check is electron-smoke.test.ts.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { IPC_PICK_FOLDER_CHANNEL, ipcChannel } from '../../shared/api/bridge.ts'
import { METHOD_NAMES } from '../../shared/api/contract.ts'
import { PICKED_FOLDER } from './fake-electron/electron.ts'

const root = join(import.meta.dirname, '..', '..')
const mainEntry = join(root, 'out', 'main', 'index.js')
const fake = join(import.meta.dirname, 'fake-electron')
/** Start, the scenario and a bounded stop (5 s at most) fit well within this. */
const RUN_TIMEOUT_MS = 30_000

type Report = Record<string, unknown> & { exitCode: number; errorBoxes: Array<{ title: string; content: string }> }

interface Driven {
  child: ChildProcess
  /** Each JSON line the driver prints, in order. */
  lines: AsyncIterator<string>
}

function drive(scenario: 'run' | 'hold', dataDir: string, extraArgs: string[] = []): Driven {
  const args = ['--import', join(fake, 'register.ts'), join(fake, 'drive.ts'), scenario, mainEntry]
  args.push('--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0', ...extraArgs)
  // Refusals are logged as warnings by design; keep the test output to real errors.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GRIDNODE_LOG_LEVEL: 'error' } })
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
  child.once('exit', () => clearTimeout(timer))
  return { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() }
}

async function nextJson(driven: Driven): Promise<Report> {
  const line = await driven.lines.next()
  assert.ok(!line.done, 'the driver printed its report before exiting')
  return JSON.parse(line.value) as Report
}

async function scratch(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gridnode-shell-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'data')
}

test('the shell serves the API to its own page only, hardens the window and quits cleanly', { timeout: RUN_TIMEOUT_MS + 5_000 }, async (t) => {
  if (!existsSync(mainEntry)) return t.skip('out/main/index.js not built (run `npm run build`)')
  const dataDir = await scratch(t)
  const report = await nextJson(drive('run', dataDir))

  assert.deepEqual(report.errorBoxes, [])
  assert.deepEqual(report.webPreferences, {
    preload: join(root, 'out', 'preload', 'index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webviewTag: false,
  })
  assert.deepEqual(report.ipcChannels, [...METHOD_NAMES.map(ipcChannel), IPC_PICK_FOLDER_CHANNEL].sort())
  assert.equal(report.apiFileWhileRunning, true)

  const status = report.status as { ok: boolean; value: { node: { peerId: string; dataDir: string } } }
  assert.equal(status.ok, true)
  assert.equal(status.value.node.dataDir, dataDir)
  // The folder picker opens a dialog modal to the window for its own page, and for nobody else.
  assert.deepEqual(report.pickedFolder, { ok: true, value: PICKED_FOLDER })
  assert.deepEqual(report.openDialogs, [{ modal: true, options: { properties: ['openDirectory', 'createDirectory'] } }])
  for (const refused of [report.fromForeignPage, report.fromIframe, report.fromGoneFrame, report.pickFromForeignPage]) {
    assert.equal((refused as { error?: { code: string } }).error?.code, 'FORBIDDEN')
  }

  assert.deepEqual(report.navigation, { foreign: true, own: false })
  assert.deepEqual(report.windowOpen, ['deny', 'deny'])
  assert.deepEqual(report.openedExternally, ['https://gridnode.org/'])
  assert.equal(report.permissionGranted, false)
  const csp = (report.cspHeaders as { responseHeaders: Record<string, string[]> }).responseHeaders['Content-Security-Policy']
  assert.match(csp?.[0] ?? '', /^default-src 'self'; script-src 'self';/)
  assert.equal(report.closeHides, true, 'closing the window hides it while the node runs on')

  const peerId = status.value.node.peerId
  assert.deepEqual(report.tray, {
    tooltip: 'GridNode — 0 peers connected',
    labels: [`Node ${peerId.slice(0, 8)}…${peerId.slice(-6)}`, '0 peers connected', 'separator', 'Open GridNode', 'Quit'],
  })

  // Quitting from the tray stopped the node (api.json gone) and exited with 0.
  assert.equal(report.exitCode, 0)
  assert.equal(report.apiFileAfterExit, false)
  assert.equal(report.trayDestroyed, true)
})

test('a second app on a data folder in use shows why and exits with 1; SIGTERM stops the first', { timeout: 2 * RUN_TIMEOUT_MS }, async (t) => {
  if (!existsSync(mainEntry)) return t.skip('out/main/index.js not built (run `npm run build`)')
  const dataDir = await scratch(t)
  const first = drive('hold', dataDir)
  t.after(() => {
    first.child.kill('SIGKILL')
  })
  assert.deepEqual(await nextJson(first), { ready: true })

  const second = await nextJson(drive('run', dataDir))
  assert.equal(second.exitCode, 1)
  assert.equal(second.errorBoxes.length, 1)
  assert.equal(second.errorBoxes[0]?.title, 'GridNode could not start')
  assert.ok(second.errorBoxes[0]?.content, 'the dialog says why')

  first.child.kill('SIGTERM')
  const stopped = await nextJson(first)
  assert.equal(stopped.exitCode, 0)
  assert.equal(stopped.apiFileAfterExit, false)
})

test('a usage error is shown and exits with 2', { timeout: RUN_TIMEOUT_MS + 5_000 }, async (t) => {
  if (!existsSync(mainEntry)) return t.skip('out/main/index.js not built (run `npm run build`)')
  const report = await nextJson(drive('run', await scratch(t), ['--api', 'not-an-address']))
  assert.equal(report.exitCode, 2)
  assert.equal(report.errorBoxes.length, 1)
})
