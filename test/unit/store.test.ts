import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Level } from 'level'
import { GridNodeError } from '../../shared/errors.ts'
import { SCHEMA_VERSION } from '../../main/store/schema.ts'
import { openStore } from '../../main/store/store.ts'

const tempDb = async () => join(await mkdtemp(join(tmpdir(), 'gridnode-store-')), 'db')
const withCode = (code: string) => (err: unknown) => err instanceof GridNodeError && err.code === code

test('a new store records its schema version and keeps data across reopen', async () => {
  const location = await tempDb()
  const store = await openStore(location)
  assert.equal(store.schemaVersion, SCHEMA_VERSION)
  await store.sublevel('peers').put('p1', { seen: 1 })
  await store.close()

  const again = await openStore(location)
  assert.deepEqual(await again.sublevel('peers').get('p1'), { seen: 1 })
  assert.equal(await again.sublevel('meta').get('schemaVersion'), SCHEMA_VERSION)
  await again.close()
})

test('sublevels keep their keys apart', async () => {
  const store = await openStore(await tempDb())
  await store.sublevel('peers').put('k', 'peers')
  assert.equal(await store.sublevel('meta').get('k'), undefined)
  await store.close()
})

test('a database in use is refused with DATA_DIR_LOCKED', async () => {
  const location = await tempDb()
  const first = await openStore(location)
  await assert.rejects(openStore(location), withCode('DATA_DIR_LOCKED'))
  await first.close()
})

test('a database written by a newer GridNode is refused and left untouched', async () => {
  const location = await tempDb()
  const raw = new Level<string, unknown>(location, { valueEncoding: 'json' })
  await raw.sublevel<string, unknown>('meta', { valueEncoding: 'json' }).put('schemaVersion', SCHEMA_VERSION + 1)
  await raw.close()

  await assert.rejects(openStore(location), withCode('STORE_SCHEMA_NEWER'))

  const check = new Level<string, unknown>(location, { valueEncoding: 'json' })
  assert.equal(await check.sublevel<string, unknown>('meta', { valueEncoding: 'json' }).get('schemaVersion'), SCHEMA_VERSION + 1)
  await check.close()
})

test('commits are atomic and serialised through the instrumented commit lock', async () => {
  const store = await openStore(await tempDb())
  const before = store.commitLock.stats().acquisitions
  await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      store.commit([
        { type: 'put', sublevel: 'peers', key: `p${i}`, value: i },
        { type: 'del', sublevel: 'peers', key: `gone${i}` },
      ]),
    ),
  )
  const stats = store.commitLock.stats()
  assert.equal(stats.acquisitions - before, 5)
  assert.ok(stats.maxWaiters >= 1, 'concurrent commits queued for the lock')
  assert.deepEqual(await store.sublevel('peers').values().all(), [0, 1, 2, 3, 4])
  await store.close()
})
