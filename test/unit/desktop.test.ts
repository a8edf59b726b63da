import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { displayMissing, findElectronBinary } from '../../main/cli/desktop.ts'

test('ELECTRON_OVERRIDE_DIST_PATH points at a binary elsewhere', async (t) => {
  const dist = await mkdtemp(join(tmpdir(), 'gridnode-electron-dist-'))
  t.after(() => rm(dist, { recursive: true, force: true }))
  const found = findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist })
  assert.equal(found.ok, false, 'an empty folder has no binary')
  // path.txt names the platform's executable once Electron is installed; before, it is `electron`.
  const pathFile = join(dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron'
  if (executable.includes('/')) return t.skip('the executable sits in an app bundle on this platform')
  await writeFile(join(dist, executable), '')
  assert.deepEqual(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist }), { ok: true, binary: join(dist, executable) })
})

test('a missing binary is reported with the reason to skip', () => {
  const result = findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: join(tmpdir(), 'gridnode-no-such-dist') })
  assert.equal(result.ok, false)
  assert.match(result.ok ? '' : result.reason, /Electron binary is not installed/)
})

test('Linux needs a display; other systems always have one', () => {
  assert.match(displayMissing({}, 'linux') ?? '', /no display/)
  assert.equal(displayMissing({ DISPLAY: ':99' }, 'linux'), undefined)
  assert.equal(displayMissing({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'), undefined)
  assert.equal(displayMissing({}, 'darwin'), undefined)
})
