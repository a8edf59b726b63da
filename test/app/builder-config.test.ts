/**
 * The packaging config, checked offline: electron-builder itself loads build/electron-builder.config.ts
 * (as `npm run dist` does) and validates it against its own JSON schema; the targets and icons the
 * installers need are there, with the right pixel sizes.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Configuration } from 'electron-builder'
import { ICON_SIZES } from '../../build/icon-sizes.ts'
import { pngSize } from './png.ts'

const root = join(import.meta.dirname, '..', '..')
const CONFIG_FILE = 'build/electron-builder.config.ts'

interface ConfigLoader {
  /** Reads a config file the way `electron-builder --config FILE` does (.ts through jiti). */
  getConfig(request: { packageKey: string; configFilename: string; projectDir: string }, configPath: string): Promise<{ result: Configuration }>
}
interface ConfigValidator {
  /** electron-builder's own check: ajv against app-builder-lib's scheme.json. */
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>
}

// Resolved from electron-builder, so this does not depend on how npm hoisted app-builder-lib.
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'))
const loader = requireFromBuilder('app-builder-lib/out/util/config/load.js') as ConfigLoader
const validator = requireFromBuilder('app-builder-lib/out/util/config/config.js') as ConfigValidator
const quietDebugLogger = { isEnabled: false, add: () => undefined }

async function loadConfig(): Promise<Configuration> {
  const request = { packageKey: 'build', configFilename: 'electron-builder', projectDir: root }
  return (await loader.getConfig(request, CONFIG_FILE)).result
}

test('electron-builder loads the config and its schema accepts it', async () => {
  const config = await loadConfig()
  await validator.validateConfiguration(config, quietDebugLogger)
})

test('the schema check is live: an unknown option is rejected', async () => {
  const config = { ...(await loadConfig()), notAnOption: true } as Configuration
  await assert.rejects(validator.validateConfiguration(config, quietDebugLogger), /notAnOption/)
})

test('npm run dist uses this config', async () => {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  assert.match(manifest.scripts.dist ?? '', new RegExp(`--config ${CONFIG_FILE.replaceAll('.', '\\.')}\\b`))
})

test('identity, contents and the four installer targets', async () => {
  const config = await loadConfig()
  assert.equal(config.appId, 'org.gridnode.app')
  assert.equal(config.productName, 'GridNode')
  assert.deepEqual(config.files, ['out/**', 'package.json'])
  assert.equal(config.asar, true)
  assert.ok([config.asarUnpack].flat().includes('**/*.node'), 'native addons are unpacked from the asar')
  assert.deepEqual(config.linux?.target, ['AppImage', 'deb'])
  assert.equal(config.linux?.category, 'Network')
  assert.ok(config.linux?.maintainer, 'deb packages need a maintainer')
  assert.deepEqual(config.win?.target, ['nsis'])
  assert.deepEqual(config.mac?.target, ['dmg'])
})

test('icons exist at every size the config points to', async () => {
  const config = await loadConfig()
  assert.equal(config.linux?.icon, 'build/icons')
  for (const size of ICON_SIZES) {
    assert.deepEqual(await pngSize(join(root, 'build', 'icons', `${size}x${size}.png`)), { width: size, height: size }, `${size}x${size}.png`)
  }
  // electron-builder derives the .icns and .ico from one large PNG (at least 512 px for macOS).
  for (const icon of [config.mac?.icon, config.win?.icon]) {
    assert.equal(icon, 'build/icon.png')
  }
  assert.deepEqual(await pngSize(join(root, 'build', 'icon.png')), { width: 1024, height: 1024 })
})
