import assert from 'node:assert/strict'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { createFolderSecret, deriveFolderKeys, openChunk } from '../../main/mirror/folder-crypto.ts'
import { chunkRanges, type FileEntry, type Manifest } from '../../main/mirror/manifest.ts'
import { createScanThread, type ScanThread } from '../../main/mirror/scan-thread.ts'
import { scanFolder } from '../../main/mirror/scanner.ts'
import { onCleanup, seededBytes, tempDir } from './helpers.ts'

const secret = createFolderSecret()
const keys = deriveFolderKeys(secret)
const NO_SEAL = { bytes: 0, smallBytes: 0, smallChunkBytes: 0 }

function scanThread(t: Parameters<typeof onCleanup>[0]): ScanThread {
  const thread = createScanThread()
  onCleanup(t, () => thread.close())
  return thread
}

async function folderOfFiles(t: Parameters<typeof onCleanup>[0], count: number, size: number): Promise<string> {
  const root = await tempDir(t)
  await mkdir(join(root, 'd'))
  for (let i = 0; i < count; i++) await writeFile(join(root, 'd', `f${String(i).padStart(3, '0')}`), seededBytes(`f${i}`, size))
  return root
}

test('the scan thread scans a folder into the manifest an in-process scan makes, sealing new chunks within its budget', async (t) => {
  const root = await folderOfFiles(t, 6, 100_000)
  await writeFile(join(root, 'small.txt'), 'a small file')
  const thread = scanThread(t)
  const sealed = new Map<string, Uint8Array>()
  // Room for a few of the large chunks, and for small chunks besides.
  const result = await thread.scan({ root, secret, seal: { bytes: 150_000, smallBytes: 1024, smallChunkBytes: 100 } }, { sealed: (id, bytes) => sealed.set(id, bytes) })
  assert.deepEqual(result.manifest, (await scanFolder({ root, keys })).manifest)
  const small = result.manifest.entries.find((e) => e.path === 'small.txt') as FileEntry
  assert.ok(sealed.has(small.chunks[0]!.id), 'the small chunk has room of its own')
  const largeChunks = result.manifest.entries.flatMap((e) => (e.kind === 'file' && e.path !== 'small.txt' ? e.chunks : []))
  const sealedLarge = largeChunks.filter((chunk) => sealed.has(chunk.id))
  const sealedBytes = sealedLarge.reduce((sum, chunk) => sum + sealed.get(chunk.id)!.byteLength, 0)
  assert.ok(sealedLarge.length > 0 && sealedLarge.length < largeChunks.length, `${sealedLarge.length} of ${largeChunks.length} large chunks sealed`)
  assert.ok(sealedBytes <= 150_000, `${sealedBytes} sealed bytes within the budget`)
  assert.ok(sealed.has(largeChunks[0]!.id), 'the first chunk read is sealed')
  for (const [id, bytes] of sealed) assert.equal(openChunk(keys, id, bytes).byteLength > 0, true)
})

test('a first scan hands on partial manifests, each a part of the final one', async (t) => {
  const root = await folderOfFiles(t, 8, 2000)
  const thread = scanThread(t)
  const parts: Manifest[] = []
  const result = await thread.scan({ root, secret, seal: NO_SEAL, partialEvery: { chunks: 3, bytes: Infinity } }, { partial: (manifest) => parts.push(manifest) })
  assert.ok(parts.length >= 2, `${parts.length} partial manifests`)
  const final = new Map(result.manifest.entries.map((e) => [e.path, e]))
  for (const part of parts) for (const entry of part.entries) if (entry.kind === 'file') assert.deepEqual(entry, final.get(entry.path))
})

test('a chunk read back from its file is sealed; a file changed since gives null; a cancelled scan rejects', async (t) => {
  const root = await folderOfFiles(t, 1, 300_000)
  const thread = scanThread(t)
  const { manifest } = await thread.scan({ root, secret, seal: NO_SEAL }, {})
  const file = manifest.entries.find((e) => e.kind === 'file') as FileEntry
  const range = chunkRanges(file)[1]!
  const read = await thread.read({ root, secret, path: file.path, offset: range.offset, size: range.size, id: range.id })
  assert.ok(read !== null)
  assert.deepEqual(openChunk(keys, range.id, read), seededBytes('f0', 300_000).subarray(range.offset, range.offset + range.size))

  await writeFile(join(root, file.path), seededBytes('changed', 300_000))
  assert.equal(await thread.read({ root, secret, path: file.path, offset: range.offset, size: range.size, id: range.id }), null)
  assert.equal(await thread.read({ root, secret, path: 'no/such/file', offset: 0, size: 10, id: range.id }), null)

  const abort = new AbortController()
  abort.abort()
  await assert.rejects(thread.scan({ root, secret, seal: NO_SEAL }, {}, abort.signal))
  const many = await folderOfFiles(t, 200, 10)
  const cancelled = new AbortController()
  const scanning = thread.scan({ root: many, secret, seal: NO_SEAL }, {}, cancelled.signal)
  cancelled.abort()
  await assert.rejects(scanning)
  // The thread goes on serving after a cancelled scan.
  assert.equal((await thread.scan({ root: many, secret, seal: NO_SEAL }, {})).stats.files, 200)
})

test('a scan of a missing folder rejects with FOLDER_MISSING', async (t) => {
  const root = await tempDir(t)
  await assert.rejects(scanThread(t).scan({ root: join(root, 'gone'), secret, seal: NO_SEAL }, {}), (err: { code?: string }) => err.code === 'FOLDER_MISSING')
})

test('rescans from the manifest the thread holds match in-process scans: an edit, a new file, a deleted one, and after forget', async (t) => {
  const root = await folderOfFiles(t, 5, 20_000)
  const thread = scanThread(t)
  const first = await thread.scan({ root, secret, seal: NO_SEAL }, {})
  await writeFile(join(root, 'd', 'f001'), 'edited')
  await writeFile(join(root, 'd', 'new'), 'new file')
  await rm(join(root, 'd', 'f003'))
  // From the thread's own last result: only the token crosses, and the delta comes back.
  const second = await thread.scan({ root, secret, seal: NO_SEAL, previous: first.manifest, paths: ['d/f001', 'd/new', 'd/f003'] }, {})
  assert.deepEqual(second.manifest, (await scanFolder({ root, keys, previous: first.manifest, paths: ['d/f001', 'd/new', 'd/f003'] })).manifest)
  assert.deepEqual(
    second.manifest.entries.map((e) => e.path),
    ['d', 'd/f000', 'd/f001', 'd/f002', 'd/f004', 'd/new'],
  )
  // From a manifest that is not the thread's last result (a base the owner kept), the manifest itself goes.
  const again = await thread.scan({ root, secret, seal: NO_SEAL, previous: first.manifest }, {})
  assert.deepEqual(again.manifest, second.manifest)
  thread.forget(root)
  const afterForget = await thread.scan({ root, secret, seal: NO_SEAL, previous: again.manifest }, {})
  assert.deepEqual(afterForget.manifest, second.manifest)
})
