import assert from 'node:assert/strict'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createLogger } from '../../main/log/logger.ts'
import { createFolderSecret, chunkId, deriveFolderKeys } from '../../main/mirror/folder-crypto.ts'
import type { FileEntry } from '../../main/mirror/manifest.ts'
import { scanFolder } from '../../main/mirror/scanner.ts'
import { createFolderWatcher, type FolderWatcherInit, type RescanRequest } from '../../main/mirror/watcher.ts'
import { onCleanup, tempDir } from './helpers.ts'

const logger = createLogger({ level: 'silent' })

/** A started watcher whose requests the test awaits one by one. */
async function watching(t: TestContext, root: string, init: Partial<FolderWatcherInit> = {}) {
  const queued: RescanRequest[] = []
  let wake: (() => void) | undefined
  const watcher = createFolderWatcher(
    { logger },
    {
      root,
      onRescan: (request) => {
        queued.push(request)
        wake?.()
      },
      ...init,
    },
  )
  // Stopped before the folder is removed: chokidar must not be watching a folder as it disappears.
  onCleanup(t, () => watcher.stop())
  await watcher.start()
  const next = async (): Promise<RescanRequest> => {
    while (queued.length === 0) await new Promise<void>((resolve) => (wake = resolve))
    return queued.shift()!
  }
  return { watcher, next, queued }
}

test('an edit is reported as its path well under a second later', async (t) => {
  const root = await tempDir(t)
  await mkdir(join(root, 'docs'))
  await writeFile(join(root, 'docs/note.txt'), 'v1')
  const { next } = await watching(t, root)

  const edited = performance.now()
  await writeFile(join(root, 'docs/note.txt'), 'v2')
  const request = await next()
  const latencyMs = performance.now() - edited
  assert.deepEqual(request, { kind: 'paths', paths: ['docs/note.txt'] })
  assert.ok(latencyMs < 1000, `edit to event took ${latencyMs.toFixed(0)} ms`)
})

test('an atomic save (write a temporary file, rename it over) rescans to the new content', async (t) => {
  const root = await tempDir(t)
  const keys = deriveFolderKeys(createFolderSecret())
  await writeFile(join(root, 'doc.txt'), 'old content')
  const { manifest } = await scanFolder({ root, keys })
  const { next } = await watching(t, root)

  await writeFile(join(root, '.doc.txt.swp'), 'new content')
  await rename(join(root, '.doc.txt.swp'), join(root, 'doc.txt'))
  const request = await next()
  assert.equal(request.kind, 'paths')
  assert.ok(request.kind === 'paths' && request.paths.includes('doc.txt'), JSON.stringify(request))
  const rescanned = await scanFolder({ root, keys, previous: manifest, paths: request.kind === 'paths' ? request.paths : [] })
  const entry = rescanned.manifest.entries.find((e) => e.path === 'doc.txt') as FileEntry
  assert.deepEqual(entry.chunks, [{ id: chunkId(keys, await readFile(join(root, 'doc.txt'))), size: 'new content'.length }])
  assert.deepEqual(
    rescanned.manifest.entries.map((e) => e.path),
    ['doc.txt'],
  )
})

test('a burst of writes is one request; too many paths become one full rescan', async (t) => {
  const root = await tempDir(t)
  const { next, queued } = await watching(t, root, { maxPaths: 5, quietMs: 200, maxDelayMs: 2000 })
  await Promise.all(Array.from({ length: 3 }, (_, i) => writeFile(join(root, `f${i}`), 'x')))
  assert.deepEqual(await next(), { kind: 'paths', paths: ['f0', 'f1', 'f2'] })
  await Promise.all(Array.from({ length: 20 }, (_, i) => writeFile(join(root, `g${i}`), 'x')))
  assert.deepEqual(await next(), { kind: 'full', reason: 'overflow' })
  assert.equal(queued.length, 0)
})

test('the safety-net rescan asks for the whole folder periodically', async (t) => {
  const root = await tempDir(t)
  const { next } = await watching(t, root, { fullRescanIntervalMs: 50 })
  assert.deepEqual(await next(), { kind: 'full', reason: 'interval' })
})

test('start and stop are idempotent, and a stopped watcher reports nothing', async (t) => {
  const root = await tempDir(t)
  const { watcher, next, queued } = await watching(t, root)
  await Promise.all([watcher.start(), watcher.start()])
  await writeFile(join(root, 'one'), '1')
  assert.deepEqual(await next(), { kind: 'paths', paths: ['one'] })
  await Promise.all([watcher.stop(), watcher.stop()])
  await writeFile(join(root, 'two'), '2')
  // Restarting proves the stopped watcher had nothing pending: the next request is about 'three' only.
  await watcher.start()
  await writeFile(join(root, 'three'), '3')
  assert.deepEqual(await next(), { kind: 'paths', paths: ['three'] })
  assert.equal(queued.length, 0)
})
