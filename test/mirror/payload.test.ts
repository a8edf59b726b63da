/**
 * What a mirrored folder's updates carry (main/mirror/service/payload.ts): the manifest as sealed
 * content-defined pieces (an edit changes one or two, and they read back to the same manifest),
 * and large changes split into updates that switch the manifest only once every chunk it needs
 * came first, dropping chunks only then.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createFolderSecret, deriveFolderKeys } from '../../main/mirror/folder-crypto.ts'
import { MANIFEST_VERSION, type Manifest } from '../../main/mirror/manifest.ts'
import { UPDATE_MAX_REFS } from '../../main/mirror/service/constants.ts'
import { manifestFromPieces, manifestPieces, planUpdates, referencedChunks, UpdatePayloadSchema } from '../../main/mirror/service/payload.ts'

const keys = deriveFolderKeys(createFolderSecret())
const id = (n: number): string => n.toString(16).padStart(64, '0')

function manifestOf(files: number, edited = -1): Manifest {
  const entries: Manifest['entries'] = [{ kind: 'dir', path: 'docs', mode: 0o755, mtimeMs: 1 }]
  for (let i = 0; i < files; i++) {
    const chunk = i === edited ? id(1_000_000 + i) : id(i + 1)
    entries.push({ kind: 'file', path: `docs/file-${String(i).padStart(6, '0')}.txt`, size: 100, mode: 0o644, mtimeMs: i === edited ? 2 : 1, ino: i, chunks: [{ id: chunk, size: 100 }] })
  }
  return { version: MANIFEST_VERSION, entries }
}

test('a manifest travels as sealed pieces that read back to it, and an edit changes only the pieces around it', () => {
  const before = manifestOf(5000)
  const pieces = manifestPieces(keys, before)
  assert.ok(pieces.length > 5, `${pieces.length} pieces`)
  assert.deepEqual(manifestFromPieces(pieces.map((p) => p.plaintext)), before)
  const after = manifestPieces(keys, manifestOf(5000, 2500))
  const old = new Set(pieces.map((p) => p.ref.id))
  const changed = after.filter((p) => !old.has(p.ref.id))
  assert.ok(changed.length >= 1 && changed.length <= 2, `${changed.length} pieces changed`)
})

test('a large change is split: chunks first, the manifest switches in the last update that adds, drops come with or after it', () => {
  const before = manifestOf(10)
  const beforePieces = manifestPieces(keys, before).map((p) => p.ref)
  const next = manifestOf(3000)
  const nextPieces = manifestPieces(keys, next).map((p) => p.ref)
  const after = referencedChunks(next, nextPieces)
  const removed = new Map([[id(9_999_999), 10]])
  const updates = planUpdates(new Map([...referencedChunks(before, beforePieces), ...removed]), after, { pieces: nextPieces, files: 3000, bytes: 300_000 }, 2990)
  for (const update of updates) UpdatePayloadSchema.parse(update)
  assert.ok(updates.length >= 3)
  const switchAt = updates.findIndex((u) => u.manifest !== null)
  assert.equal(switchAt, updates.findLastIndex((u) => u.add.length > 0), 'the manifest switches in the last update that adds')
  assert.ok(updates.slice(0, switchAt).every((u) => u.drop.length === 0 && u.add.length === UPDATE_MAX_REFS))
  const added = new Set(updates.flatMap((u) => u.add.map((r) => r.id)))
  assert.ok(nextPieces.every((p) => added.has(p.id) || beforePieces.some((b) => b.id === p.id)), 'every piece of the new manifest reaches the copies')
  assert.deepEqual(updates.flatMap((u) => u.drop).sort(), [...removed.keys(), ...beforePieces.map((p) => p.id).filter((p) => !after.has(p))].sort())
  assert.equal(updates[switchAt]!.files, 2990)
})

test('chunks answered "gone" while still referenced are added again by the next update', () => {
  const refs = referencedChunks(manifestOf(3), [])
  const [again] = planUpdates(refs, refs, { pieces: [{ id: id(77), size: 5 }], files: 3, bytes: 300 }, 0, new Set([id(2)]))
  assert.deepEqual(again!.add.map((r) => r.id), [id(2)])
  assert.deepEqual(again!.drop, [])
})
