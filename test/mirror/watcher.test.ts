import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createLogger } from '../../main/log/logger.ts'
import { createFolderSecret, chunkId, deriveFolderKeys } from '../../main/mirror/folder-crypto.ts'
import type { FileEntry } from '../../main/mirror/manifest.ts'
import { scanFolder } from '../../main/mirror/scanner.ts'
import { createFolderWatcher, type FolderWatcherInit, type RescanRequest } from '../../main/mirror/watcher.ts'
import { onCleanup, tempDir } from './helpers.ts'

const logger = createLogger({ level: 'silent' })
/** How long a request may take to come before the test fails instead of hanging. */
const REQUEST_TIMEOUT_MS = 15_000

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
  // Stopped before the folder is removed, so the test's own cleanup is not reported.
  onCleanup(t, () => watcher.stop())
  await watcher.start()
  const next = async (): Promise<RescanRequest> => {
    const deadline = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    while (queued.length === 0) {
      if (deadline.aborted) assert.fail(`no rescan request within ${REQUEST_TIMEOUT_MS} ms`)
      await new Promise<void>((resolve) => {
        wake = resolve
        deadline.addEventListener('abort', () => resolve(), { once: true })
      })
    }
    return queued.shift()!
  }
  /** Writes `path` until a request names it: a directory that just arrived is watched all the way down only shortly after. */
  const writeUntilReported = async (path: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      await writeFile(join(root, path), `attempt ${attempt}`)
      const request = await next()
      if (request.kind === 'paths' && request.paths.includes(path)) return
    }
  }
  return { watcher, next, queued, writeUntilReported }
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

test('start resolves only once the whole tree is watched: a change right after it is seen', async (t) => {
  const root = await tempDir(t)
  // Enough files that crawling them takes longer than the writes below.
  const leaves = Array.from({ length: 100 }, (_, i) => `d${i % 10}/e${Math.floor(i / 10)}`)
  for (const leaf of leaves) {
    await mkdir(join(root, leaf), { recursive: true })
    await Promise.all(Array.from({ length: 50 }, (_, i) => writeFile(join(root, leaf, `old${i}`), '')))
  }
  const { next } = await watching(t, root)

  // Written at once, before anything else runs: a crawl still going on would take them for old files.
  for (const leaf of leaves) writeFileSync(join(root, leaf, 'new'), 'x')
  const expected = new Set(leaves.map((leaf) => `${leaf}/new`))
  const reported = new Set<string>()
  while (reported.size < expected.size) {
    const request = await next()
    assert.equal(request.kind, 'paths')
    if (request.kind === 'paths') for (const path of request.paths) reported.add(path)
  }
  assert.deepEqual(reported, expected)
})

test('a folder moved in, or renamed, is watched all the way down', async (t) => {
  const root = await tempDir(t)
  const outside = await tempDir(t)
  await mkdir(join(outside, 'album/2024/june'), { recursive: true })
  await mkdir(join(root, 'old/deep/er'), { recursive: true })
  const { next, writeUntilReported } = await watching(t, root)

  await rename(join(outside, 'album'), join(root, 'album'))
  assert.deepEqual(await next(), { kind: 'paths', paths: ['album'] })
  await writeUntilReported('album/2024/june/photo.jpg')

  await rename(join(root, 'old'), join(root, 'new'))
  assert.deepEqual(await next(), { kind: 'paths', paths: ['new', 'old'] })
  await writeUntilReported('new/deep/er/note.txt')
})

test('symlinks are not followed', async (t) => {
  const root = await tempDir(t)
  const outside = await tempDir(t)
  await symlink(outside, join(root, 'link'))
  const { next } = await watching(t, root)

  await writeFile(join(outside, 'elsewhere.txt'), 'x')
  await writeFile(join(root, 'here.txt'), 'x')
  // The outside write came first: had the link been followed, it would be reported no later than this one.
  assert.deepEqual(await next(), { kind: 'paths', paths: ['here.txt'] })
})

test('the folder itself going away asks for a full rescan', async (t) => {
  const root = await tempDir(t)
  await writeFile(join(root, 'doc.txt'), 'x')
  const { next } = await watching(t, root)

  await rm(root, { recursive: true })
  let request = await next()
  while (request.kind === 'paths') request = await next()
  assert.deepEqual(request, { kind: 'full', reason: 'root-changed' })
})

test('a folder that cannot be watched asks for a full rescan, and start still resolves', async (t) => {
  const root = join(await tempDir(t), 'missing')
  const { next } = await watching(t, root)
  assert.deepEqual(await next(), { kind: 'full', reason: 'watch-error' })
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
