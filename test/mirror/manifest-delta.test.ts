import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MANIFEST_VERSION, sortEntries, type Manifest, type ManifestEntry } from '../../main/mirror/manifest.ts'
import { applyManifestDelta, manifestDelta } from '../../main/mirror/manifest-delta.ts'

/** A deterministic PRNG (mulberry32): the same seed, the same manifests. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const PATHS = ['a', 'a b', 'a-c', 'a/b', 'a/b/c', 'a/x', 'b', 'b.txt', 'c/d', 'é', 'z']

function manifestOf(next: () => number): Manifest {
  const entries: ManifestEntry[] = []
  for (const path of PATHS) {
    if (next() < 0.4) continue
    const kind = next()
    if (kind < 0.4) entries.push({ kind: 'file', path, size: 3, mode: 0o644, mtimeMs: Math.floor(next() * 3), ino: 1, chunks: [{ id: 'a'.repeat(64), size: 3 }] })
    else if (kind < 0.8) entries.push({ kind: 'dir', path, mode: 0o755, mtimeMs: Math.floor(next() * 3) })
    else entries.push({ kind: 'symlink', path, target: 'b', mtimeMs: 1 })
  }
  return { version: MANIFEST_VERSION, entries: sortEntries(entries) }
}

test('a delta rebuilds the manifest it was taken to, whatever changed (500 seeded pairs)', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const next = random(seed)
    const before = manifestOf(next)
    const after = manifestOf(next)
    const delta = manifestDelta(before, after)
    assert.deepEqual(applyManifestDelta(before, delta), after, `seed ${seed}`)
    assert.ok(delta.upserts.length + delta.removed.length <= before.entries.length + after.entries.length)
  }
})

test('an unchanged entry is not in the delta: a rescan of one edited file carries that file only', () => {
  const dir: ManifestEntry = { kind: 'dir', path: 'd', mode: 0o755, mtimeMs: 5 }
  const file = (path: string, size: number): ManifestEntry => ({ kind: 'file', path, size, mode: 0o644, mtimeMs: 1, ino: 2, chunks: [] })
  const before: Manifest = { version: MANIFEST_VERSION, entries: [dir, file('d/a', 1), file('d/b', 1)] }
  // A scan rebuilds entries as new objects with the same fields.
  const after: Manifest = { version: MANIFEST_VERSION, entries: [{ ...dir }, { ...before.entries[1]! }, file('d/b', 2)] }
  assert.deepEqual(manifestDelta(before, after), { version: MANIFEST_VERSION, upserts: [after.entries[2]], removed: [] })
})
