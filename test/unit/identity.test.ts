import assert from 'node:assert/strict'
import { chmod, mkdtemp, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { GridNodeError } from '../../shared/errors.ts'
import { loadOrCreateIdentity } from '../../main/p2p/identity.ts'

const tempKey = async () => join(await mkdtemp(join(tmpdir(), 'gridnode-id-')), 'identity.key')

test('the identity is created once, private to its user, and loads back as the same peer', async () => {
  const file = await tempKey()
  const created = await loadOrCreateIdentity(file)
  assert.equal(created.type, 'Ed25519')
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  const loaded = await loadOrCreateIdentity(file)
  assert.equal(peerIdFromPrivateKey(loaded).toString(), peerIdFromPrivateKey(created).toString())
})

test('widened permissions on the key file are narrowed again', async () => {
  const file = await tempKey()
  await loadOrCreateIdentity(file)
  await chmod(file, 0o644)
  await loadOrCreateIdentity(file)
  assert.equal((await stat(file)).mode & 0o777, 0o600)
})

test('a damaged key file is an error, never silently replaced by a new identity', async () => {
  const file = await tempKey()
  await writeFile(file, Buffer.from('not a key'), { mode: 0o600 })
  await assert.rejects(loadOrCreateIdentity(file), (err) => err instanceof GridNodeError && err.code === 'IDENTITY_CORRUPT')
})
