import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { appPaths } from '../../main/app/paths.ts'

test('the preload and the page sit beside the main bundle, as electron-vite builds them', () => {
  const out = join('/app', 'out')
  assert.deepEqual(appPaths(join(out, 'main')), {
    preload: join(out, 'preload', 'index.cjs'),
    rendererDir: join(out, 'renderer'),
    rendererIndex: join(out, 'renderer', 'index.html'),
  })
})
