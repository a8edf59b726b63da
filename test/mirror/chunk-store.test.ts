import assert from 'node:assert/strict'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createChunkStore, type ChunkStore } from '../../main/mirror/chunk-store.ts'
import { onCleanup, seededBytes, tempDir } from './helpers.ts'

const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code
const idOf = (n: number) => n.toString(16).padStart(64, '0')

async function started(t: TestContext, dir: string, quotaBytes: number): Promise<ChunkStore> {
  const store = createChunkStore({ dir, quotaBytes })
  await store.start()
  onCleanup(t, () => store.stop())
  return store
}

async function collect(ids: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = []
  for await (const id of ids) all.push(id)
  return all.sort()
}

test('chunks are stored, read, listed and deleted per group, with usage kept', async (t) => {
  const dir = await tempDir(t)
  const store = await started(t, dir, 1_000_000)
  const a = seededBytes('a', 1000)
  assert.equal(await store.put('group-1', idOf(1), a), true)
  assert.equal(await store.put('group-1', idOf(1), a), false, 'a second put of the same chunk stores nothing')
  await store.put('group-1', idOf(2), seededBytes('b', 500))
  await store.put('group-2', idOf(1), seededBytes('c', 300))
  assert.deepEqual(await store.get('group-1', idOf(1)), a)
  assert.equal(await store.has('group-2', idOf(2)), false)
  await assert.rejects(store.get('group-2', idOf(2)), codeOf('CHUNK_MISSING'))
  assert.deepEqual(await collect(store.list('group-1')), [idOf(1), idOf(2)])
  assert.deepEqual(store.usage(), {
    usedBytes: 1800,
    quotaBytes: 1_000_000,
    chunks: 3,
    namespaces: { 'group-1': { bytes: 1500, chunks: 2 }, 'group-2': { bytes: 300, chunks: 1 } },
  })
  assert.equal(await store.delete('group-1', idOf(2)), true)
  assert.equal(await store.delete('group-1', idOf(2)), false)
  await store.dropNamespace('group-2')
  assert.deepEqual(await collect(store.list('group-2')), [])
  assert.deepEqual(store.usage().namespaces, { 'group-1': { bytes: 1000, chunks: 1 } })
})

test('usage survives a restart, and writes interrupted by a crash are cleared', async (t) => {
  const dir = await tempDir(t)
  const first = await started(t, dir, 1_000_000)
  await first.put('g', idOf(1), seededBytes('x', 4000))
  await first.put('g', idOf(2), seededBytes('y', 6000))
  await first.stop()
  // What a crash mid-put leaves: a temporary file, never a chunk under its name.
  await writeFile(join(dir, '.tmp', 'deadbeef.tmp'), seededBytes('partial', 3000))

  const second = await started(t, dir, 1_000_000)
  assert.deepEqual(second.usage().namespaces, { g: { bytes: 10_000, chunks: 2 } })
  assert.deepEqual(await readdir(join(dir, '.tmp')), [])
  assert.deepEqual(await second.get('g', idOf(2)), seededBytes('y', 6000))
})

test('a put that would pass the quota fails with QUOTA_EXCEEDED and writes nothing', async (t) => {
  const dir = await tempDir(t)
  const store = await started(t, dir, 1000)
  await store.put('g', idOf(1), seededBytes('fits', 600))
  const before = store.usage()
  await assert.rejects(store.put('g', idOf(2), seededBytes('too big', 600)), codeOf('QUOTA_EXCEEDED'))
  assert.deepEqual(store.usage(), before)
  assert.equal(await store.has('g', idOf(2)), false)
  assert.deepEqual(await collect(store.list('g')), [idOf(1)])
  assert.deepEqual(await readdir(join(dir, '.tmp')), [])

  // Puts racing for the last bytes: exactly one of them fits.
  const racing = await Promise.allSettled([store.put('g', idOf(3), seededBytes('r1', 300)), store.put('g', idOf(4), seededBytes('r2', 300))])
  assert.deepEqual(racing.map((result) => result.status).sort(), ['fulfilled', 'rejected'])
  assert.equal(store.usage().usedBytes, 900)

  // A lower quota refuses new chunks and keeps the stored ones.
  store.setQuota(100)
  await assert.rejects(store.put('g', idOf(5), seededBytes('small', 10)), codeOf('QUOTA_EXCEEDED'))
  assert.equal(store.usage().usedBytes, 900)
})

test('a chunk is never seen half-written: readers get all of it or nothing', async (t) => {
  const dir = await tempDir(t)
  const store = await started(t, dir, 10_000_000)
  const chunk = seededBytes('whole', 256 * 1024)
  const reads = Promise.all(
    Array.from({ length: 20 }, () =>
      store.get('g', idOf(7)).then(
        (data) => data.length,
        () => 0,
      ),
    ),
  )
  await store.put('g', idOf(7), chunk)
  for (const length of await reads) assert.ok(length === 0 || length === chunk.length, `read ${length} bytes`)
  assert.deepEqual(await store.get('g', idOf(7)), chunk)
})

test('bad namespaces and ids are refused before touching the disk', async (t) => {
  const dir = await tempDir(t)
  const store = await started(t, dir, 1000)
  await mkdir(join(dir, 'g'))
  for (const namespace of ['../escape', '.tmp', '', 'a/b']) await assert.rejects(store.put(namespace, idOf(1), seededBytes('n', 10)), codeOf('INVALID_INPUT'), namespace)
  for (const id of ['../../etc/passwd', 'ABC', idOf(0xabc).toUpperCase()]) await assert.rejects(store.get('g', id), codeOf('INVALID_INPUT'), id)
  assert.deepEqual(await readdir(dir), ['.tmp', 'g'])
})

test('chunks put with deferSync are readable at once, durable in one pack after flush, and survive a restart', async (t) => {
  const dir = await tempDir(t)
  const first = await started(t, dir, 1_000_000)
  const chunks = Array.from({ length: 50 }, (_, i) => seededBytes(`p${i}`, 1000 + i))
  for (const [i, chunk] of chunks.entries()) assert.equal(await first.put('g', idOf(i + 1), chunk, { deferSync: true }), true)
  assert.equal(await first.put('g', idOf(1), chunks[0]!, { deferSync: true }), false)
  assert.deepEqual(await first.get('g', idOf(7)), chunks[6])
  await first.flush('g')
  assert.equal((await readdir(join(dir, 'g', 'packs'))).length, 1, 'one pack for the batch')
  assert.equal(await first.delete('g', idOf(2)), true)
  assert.equal(await first.delete('g', idOf(2)), false)
  const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0) - chunks[1]!.length
  assert.deepEqual(first.usage().namespaces, { g: { bytes, chunks: 49 } })
  await first.stop()
  // What a crash while writing a pack leaves: a temporary file, never a pack under its name.
  await writeFile(join(dir, '.tmp', '0123456789abcdef.pack'), seededBytes('partial pack', 3000))

  const second = await started(t, dir, 1_000_000)
  assert.deepEqual(second.usage().namespaces, { g: { bytes, chunks: 49 } })
  assert.deepEqual(await readdir(join(dir, '.tmp')), [])
  assert.deepEqual(await second.get('g', idOf(50)), chunks[49])
  assert.equal(await second.has('g', idOf(2)), false)
  assert.equal((await collect(second.list('g'))).length, 49)
  for (let i = 1; i <= 50; i++) await second.delete('g', idOf(i))
  assert.deepEqual(await readdir(join(dir, 'g', 'packs')), ['dead'], 'a pack with no live chunk is removed')
  assert.deepEqual(second.usage().namespaces, {})
})

test('deferred puts respect the quota and a dropped namespace takes its packs with it', async (t) => {
  const dir = await tempDir(t)
  const store = await started(t, dir, 1000)
  await store.put('g', idOf(1), seededBytes('a', 600), { deferSync: true })
  await assert.rejects(store.put('g', idOf(2), seededBytes('b', 600), { deferSync: true }), codeOf('QUOTA_EXCEEDED'))
  await store.flush('g')
  assert.deepEqual(store.usage().namespaces, { g: { bytes: 600, chunks: 1 } })
  await store.put('h', idOf(3), seededBytes('c', 300), { deferSync: true })
  await store.dropNamespace('h')
  await store.dropNamespace('g')
  assert.equal(await store.has('g', idOf(1)), false)
  assert.equal(store.usage().usedBytes, 0)
  assert.deepEqual((await readdir(dir)).sort(), ['.tmp'])
})

test('deleted chunks in a pack count against the quota until half the pack is dead; then it is compacted and the space comes back', async (t) => {
  const dir = await tempDir(t)
  const chunks = Array.from({ length: 10 }, (_, i) => seededBytes(`c${i}`, 1000))
  const store = await started(t, dir, 10_500)
  for (const [i, chunk] of chunks.entries()) await store.put('g', idOf(i + 1), chunk, { deferSync: true })
  await store.flush('g')
  const [pack] = await readdir(join(dir, 'g', 'packs'))
  for (const i of [1, 2, 3, 4]) await store.delete('g', idOf(i))
  // 4,000 bytes dead are still on disk: the store holds 10,000 of its 10,500.
  assert.equal(store.usage().usedBytes, 10_000)
  assert.deepEqual(store.usage().namespaces, { g: { bytes: 6000, chunks: 6 } })
  await assert.rejects(store.put('g', idOf(11), seededBytes('new', 1000)), codeOf('QUOTA_EXCEEDED'))

  await store.delete('g', idOf(5))
  const packs = (await readdir(join(dir, 'g', 'packs'))).filter((name) => name.endsWith('.pack'))
  assert.equal(packs.length, 1)
  assert.notEqual(packs[0], pack, 'the half-dead pack was rewritten')
  assert.equal(store.usage().usedBytes, 5000)
  assert.equal(await store.put('g', idOf(11), seededBytes('new', 1000)), true)
  for (let i = 6; i <= 10; i++) assert.deepEqual(await store.get('g', idOf(i)), chunks[i - 1])

  await store.stop()
  const again = await started(t, dir, 10_500)
  assert.equal(again.usage().usedBytes, 6000)
  assert.deepEqual(await collect(again.list('g')), [6, 7, 8, 9, 10, 11].map(idOf))
})

test('a compaction cut short by a crash leaves each chunk found once and the copy with nothing live removed', async (t) => {
  const dir = await tempDir(t)
  const chunks = Array.from({ length: 4 }, (_, i) => seededBytes(`k${i}`, 500))
  const store = await started(t, dir, 1_000_000)
  for (const [i, chunk] of chunks.entries()) await store.put('g', idOf(i + 1), chunk, { deferSync: true })
  await store.flush('g')
  await store.stop()
  // What a crash between writing the new pack and removing the old one leaves: two packs with the same chunks.
  const [pack] = await readdir(join(dir, 'g', 'packs'))
  await writeFile(join(dir, 'g', 'packs', 'fedcba9876543210.pack'), await readFile(join(dir, 'g', 'packs', pack!)))

  const again = await started(t, dir, 1_000_000)
  assert.deepEqual(again.usage().namespaces, { g: { bytes: 2000, chunks: 4 } })
  assert.equal(again.usage().usedBytes, 2000)
  assert.equal((await readdir(join(dir, 'g', 'packs'))).filter((name) => name.endsWith('.pack')).length, 1)
  for (const [i, chunk] of chunks.entries()) assert.deepEqual(await again.get('g', idOf(i + 1)), chunk)
})
