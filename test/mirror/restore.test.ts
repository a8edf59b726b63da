import assert from 'node:assert/strict'
import { chmod, lstat, mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createChunkStore, type ChunkStore } from '../../main/mirror/chunk-store.ts'
import { createFolderSecret, deriveFolderKeys, sealChunk } from '../../main/mirror/folder-crypto.ts'
import type { FileEntry, Manifest } from '../../main/mirror/manifest.ts'
import { restoreFolder, type ChunkSource } from '../../main/mirror/restore.ts'
import { scanFolder } from '../../main/mirror/scanner.ts'
import { assertSameFolder, describeFolder, onCleanup, seededBytes, tempDir } from './helpers.ts'

const keys = deriveFolderKeys(createFolderSecret())
const GROUP = 'group-1'
const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code

/** A folder with what a restore must reproduce: nesting, sizes from empty to multi-chunk, modes, times, an inside symlink. */
async function makeFolder(root: string): Promise<void> {
  await mkdir(join(root, 'docs/deep/deeper'), { recursive: true })
  await mkdir(join(root, 'bin'))
  await writeFile(join(root, 'empty'), '')
  await writeFile(join(root, 'docs/note.txt'), 'a short note\n')
  await writeFile(join(root, 'docs/deep/deeper/big.bin'), seededBytes('big', 1_500_000))
  await writeFile(join(root, 'docs/deep/mid.bin'), seededBytes('mid', 300_000))
  await writeFile(join(root, 'docs/copy-of-mid.bin'), seededBytes('mid', 300_000))
  await writeFile(join(root, 'bin/run.sh'), '#!/bin/sh\necho run\n')
  await writeFile(join(root, 'readonly.txt'), 'do not touch')
  await symlink('docs/note.txt', join(root, 'note-link'))
  await chmod(join(root, 'bin/run.sh'), 0o755)
  await chmod(join(root, 'readonly.txt'), 0o444)
  await chmod(join(root, 'docs/deep'), 0o750)
  await utimes(join(root, 'docs/note.txt'), 1_500_000_000, 1_500_000_000.123456)
  await utimes(join(root, 'docs/deep/deeper'), 1_400_000_000, 1_400_000_000.5)
}

/** Stores every chunk of a scan, sealed, in each store: the copies a restore reads from. */
async function mirror(t: TestContext, root: string, copies: number): Promise<{ manifest: Manifest; stores: ChunkStore[] }> {
  const stores: ChunkStore[] = []
  for (let i = 0; i < copies; i++) {
    const store = createChunkStore({ dir: await tempDir(t), quotaBytes: 100_000_000 })
    await store.start()
    onCleanup(t, () => store.stop())
    stores.push(store)
  }
  const { manifest } = await scanFolder({
    root,
    keys,
    onChunk: async ({ id, data }) => {
      for (const store of stores) await store.put(GROUP, id, sealChunk(keys, id, data))
    },
  })
  return { manifest, stores }
}

const sourceOf = (name: string, store: ChunkStore): ChunkSource => ({ name, getChunk: (id) => store.get(GROUP, id) })

test('a restore is byte-identical (content, size, mode, mtime), repairing a corrupt and a missing chunk from the next copy', async (t) => {
  const source = await tempDir(t)
  await makeFolder(source)
  const { manifest, stores } = await mirror(t, source, 2)
  const [first, second] = stores as [ChunkStore, ChunkStore]

  // Copy 1 has one chunk damaged on its disk and has lost another.
  const big = manifest.entries.find((entry) => entry.path === 'docs/deep/deeper/big.bin') as FileEntry
  const damaged = big.chunks[1]!.id
  const lost = big.chunks[3]!.id
  const sealed = await first.get(GROUP, damaged)
  sealed[40]! ^= 0xff
  await first.delete(GROUP, damaged)
  await first.put(GROUP, damaged, sealed)
  await first.delete(GROUP, lost)

  const dest = join(await tempDir(t), 'restored')
  const progress: number[] = []
  const report = await restoreFolder({
    manifest,
    keys,
    sources: [sourceOf('host-1', first), sourceOf('host-2', second)],
    dest,
    onProgress: ({ files }) => void progress.push(files),
  })

  await assertSameFolder(dest, source)
  assert.deepEqual(report.failed, [])
  assert.deepEqual(
    { files: report.files, dirs: report.dirs, symlinks: report.symlinks, bytes: report.bytes },
    { files: 7, dirs: 4, symlinks: 1, bytes: 13 + 1_500_000 + 2 * 300_000 + 19 + 12 },
  )
  assert.deepEqual(
    report.repaired.map((repair) => [repair.id, repair.source, repair.failures.map((failure) => `${failure.source} ${failure.code}`)]).sort(),
    [
      [damaged, 'host-2', ['host-1 CHUNK_CORRUPT']],
      [lost, 'host-2', ['host-1 CHUNK_MISSING']],
    ].sort(),
  )
  assert.equal(progress.at(-1), 7)
})

test('a chunk no copy has intact fails its file alone, which is not written at all', async (t) => {
  const source = await tempDir(t)
  await makeFolder(source)
  const { manifest, stores } = await mirror(t, source, 1)
  const mid = manifest.entries.find((entry) => entry.path === 'docs/deep/mid.bin') as FileEntry
  const unreachable: ChunkSource = {
    name: 'host-2',
    getChunk: async () => {
      throw new Error('connection refused')
    },
  }
  await stores[0]!.delete(GROUP, mid.chunks[0]!.id)

  const dest = await tempDir(t)
  const report = await restoreFolder({ manifest, keys, sources: [sourceOf('host-1', stores[0]!), unreachable], dest })
  // The same content is also docs/copy-of-mid.bin: both fail, everything else is restored.
  assert.deepEqual(
    report.failed.map((failure) => [failure.path, failure.code]),
    [
      ['docs/copy-of-mid.bin', 'CHUNK_MISSING'],
      ['docs/deep/mid.bin', 'CHUNK_MISSING'],
    ],
  )
  assert.deepEqual(await readdir(join(dest, 'docs/deep')), ['deeper'])
  assert.equal(report.files, 5)
  assert.ok(!(await describeFolder(dest)).some((row) => String(row.path).includes('.gridnode-restore-')), 'no temporary file is left')
})

test('a restore refuses a non-empty destination, and a manifest whose paths escape', async (t) => {
  const source = await tempDir(t)
  await writeFile(join(source, 'a.txt'), 'a')
  const { manifest, stores } = await mirror(t, source, 1)
  const sources = [sourceOf('host-1', stores[0]!)]

  const busy = await tempDir(t)
  await writeFile(join(busy, 'existing.txt'), 'mine')
  await assert.rejects(restoreFolder({ manifest, keys, sources, dest: busy }), codeOf('DEST_NOT_EMPTY'))
  assert.deepEqual(await readdir(busy), ['existing.txt'])
  await assert.rejects(restoreFolder({ manifest, keys, sources, dest: join(busy, 'existing.txt') }), codeOf('DEST_NOT_EMPTY'))

  const hostile: Manifest = { ...manifest, entries: manifest.entries.map((entry) => ({ ...entry, path: `../${entry.path}` })) }
  const dest = join(await tempDir(t), 'dest')
  await assert.rejects(restoreFolder({ manifest: hostile, keys, sources, dest }), codeOf('PATH_ESCAPE'))
  await assert.rejects(lstat(dest), codeOf('ENOENT'))
})
