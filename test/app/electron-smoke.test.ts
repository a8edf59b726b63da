/**
 * The desktop app end to end: Electron starts a node on a fresh data folder, the window shows the
 * node's peer id (through preload → IPC → API), and quitting stops the node (api.json removed).
 * Skips, saying why, where Electron cannot run: no binary (not downloadable here) or no display.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { _electron as electron, type ElectronApplication } from 'playwright'
import { displayMissing, findElectronBinary } from '../../main/cli/desktop.ts'

const root = join(import.meta.dirname, '..', '..')
const mainEntry = join(root, 'out', 'main', 'index.js')
const LAUNCH_TIMEOUT_MS = 30_000
const UI_TIMEOUT_MS = 20_000
/** The app itself gives the node 5 s to stop; this leaves room for Electron to exit after it. */
const CLOSE_TIMEOUT_MS = 10_000

async function closeWithin(app: ElectronApplication, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms)
  })
  const closed = app.close().then(() => false)
  const late = await Promise.race([closed, timedOut])
  clearTimeout(timer)
  if (late) {
    app.process().kill('SIGKILL')
    assert.fail(`The app did not quit within ${ms} ms`)
  }
}

test('the desktop app runs a node and shows its peer id', { timeout: 90_000 }, async (t) => {
  const binary = findElectronBinary()
  if (!binary.ok) return t.skip(`Electron binary not installed: ${binary.reason}`)
  const noDisplay = displayMissing()
  if (noDisplay !== undefined) return t.skip(noDisplay)
  assert.ok(existsSync(mainEntry), `${mainEntry} is missing: run \`npm run build\` first`)

  const scratch = await mkdtemp(join(tmpdir(), 'gridnode-app-'))
  t.after(() => rm(scratch, { recursive: true, force: true }))
  const dataDir = join(scratch, 'data')
  const app = await electron.launch({
    executablePath: binary.binary,
    args: [mainEntry, '--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0'],
    // Own Electron profile, so the single-instance lock cannot meet a GridNode the user has open.
    env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config') },
    timeout: LAUNCH_TIMEOUT_MS,
  })
  let closed = false
  t.after(async () => {
    if (!closed) await closeWithin(app, CLOSE_TIMEOUT_MS)
  })

  const page = await app.firstWindow({ timeout: LAUNCH_TIMEOUT_MS })
  assert.equal(await page.title(), 'GridNode')
  const apiFile = JSON.parse(await readFile(join(dataDir, 'api.json'), 'utf8')) as { peerId: string }
  const shown = page.getByTestId('node-peer-id')
  await shown.filter({ hasText: apiFile.peerId }).waitFor({ timeout: UI_TIMEOUT_MS })
  assert.equal((await shown.textContent())?.trim(), apiFile.peerId)

  await closeWithin(app, CLOSE_TIMEOUT_MS)
  closed = true
  assert.equal(existsSync(join(dataDir, 'api.json')), false, 'quitting the app stops the node, which removes api.json')
})
