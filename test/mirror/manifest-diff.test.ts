import assert from 'node:assert/strict'
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { createFolderSecret, deriveFolderKeys } from '../../main/mirror/folder-crypto.ts'
import type { Manifest } from '../../main/mirror/manifest.ts'
import { diffManifests } from '../../main/mirror/manifest-diff.ts'
import { scanFolder } from '../../main/mirror/scanner.ts'
import { seededBytes, tempDir } from './helpers.ts'

const keys = deriveFolderKeys(createFolderSecret())
const summary = (manifest: Manifest | undefined, next: Manifest) =>
  diffManifests(manifest, next).changes.map((change) => `${change.kind} ${change.from === undefined ? '' : `${change.from} → `}${change.path}`)

test('edits of a real folder are seen as add, modify, rename, meta and delete, in an order a copy can apply', async (t) => {
  const root = await tempDir(t)
  await mkdir(join(root, 'old/inner'), { recursive: true })
  await writeFile(join(root, 'old/inner/x.txt'), 'x')
  await writeFile(join(root, 'edit.bin'), seededBytes('edit', 400_000))
  await writeFile(join(root, 'move-me.bin'), seededBytes('move', 100_000))
  await writeFile(join(root, 'mode.sh'), 'echo hi')
  await writeFile(join(root, 'delete.txt'), 'bye')
  const { manifest: before } = await scanFolder({ root, keys })

  await mkdir(join(root, 'new'))
  await writeFile(join(root, 'new/added.bin'), seededBytes('added', 150_000))
  const edited = seededBytes('edit', 400_000)
  edited.write('a small edit in the middle', 200_000)
  await writeFile(join(root, 'edit.bin'), edited)
  await rename(join(root, 'move-me.bin'), join(root, 'new/moved.bin'))
  await chmod(join(root, 'mode.sh'), 0o755)
  await rm(join(root, 'delete.txt'))
  await rm(join(root, 'old'), { recursive: true })
  const { manifest: after } = await scanFolder({ root, keys })

  assert.deepEqual(summary(before, after), [
    'add new',
    'rename move-me.bin → new/moved.bin',
    'modify edit.bin',
    'add new/added.bin',
    'delete delete.txt',
    'delete old/inner/x.txt',
    'delete old/inner',
    'delete old',
    'meta mode.sh',
  ])
  const diff = diffManifests(before, after)
  const byPath = new Map(diff.changes.map((change) => [change.path, change]))
  assert.deepEqual(byPath.get('new/moved.bin')?.newChunks, [], 'a rename sends no content')
  assert.equal(byPath.get('new/added.bin')?.bytes, 150_000)
  const modified = byPath.get('edit.bin')!
  assert.ok(modified.bytes > 0 && modified.bytes < 400_000 / 2, `an edit sends only the chunks it touched (${modified.bytes} bytes)`)
  assert.equal(diff.bytes, 150_000 + modified.bytes)
  assert.equal(diff.chunks, diff.changes.reduce((sum, change) => sum + change.newChunks.length, 0))
})

test('a first manifest is all adds, parents first; an unchanged one is no change', async (t) => {
  const root = await tempDir(t)
  await mkdir(join(root, 'a/b'), { recursive: true })
  await writeFile(join(root, 'a/b/f.txt'), 'f')
  await writeFile(join(root, 'a/g.txt'), 'g')
  await writeFile(join(root, 'dup1.txt'), 'same')
  await writeFile(join(root, 'dup2.txt'), 'same')
  const { manifest } = await scanFolder({ root, keys })
  assert.deepEqual(summary(undefined, manifest), ['add a', 'add a/b', 'add a/b/f.txt', 'add a/g.txt', 'add dup1.txt', 'add dup2.txt'])
  const diff = diffManifests(undefined, manifest)
  assert.equal(diff.bytes, 1 + 1 + 4, 'equal content is sent once')
  assert.deepEqual(diffManifests(manifest, manifest), { changes: [], chunks: 0, bytes: 0 })
})

test('a folder replaced by a file, and a file by a folder, are applied in a workable order', () => {
  const file = (path: string) => ({ kind: 'file' as const, path, size: 0, mode: 0o644, mtimeMs: 0, ino: 1, chunks: [] })
  const dir = (path: string) => ({ kind: 'dir' as const, path, mode: 0o755, mtimeMs: 0 })
  const before: Manifest = { version: 1, entries: [dir('d'), file('d/inside'), file('f')] }
  const after: Manifest = { version: 1, entries: [file('d'), dir('f'), file('f/inside')] }
  // f becomes a folder before its content is written; d's content goes before d becomes a file.
  assert.deepEqual(summary(before, after), ['modify f', 'add f/inside', 'delete d/inside', 'modify d'])
})
