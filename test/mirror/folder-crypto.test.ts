import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import {
  chunkId,
  createFolderSecret,
  deriveFolderKeys,
  openChunk,
  SEAL_OVERHEAD,
  sealChunk,
  unwrapFolderSecret,
  wrapFolderSecret,
} from '../../main/mirror/folder-crypto.ts'
import { seededBytes } from './helpers.ts'

const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code

test('chunk ids are keyed per folder and stable for a folder', () => {
  const secret = createFolderSecret()
  const data = seededBytes('id', 5000)
  const keys = deriveFolderKeys(secret)
  assert.match(chunkId(keys, data), /^[0-9a-f]{64}$/)
  assert.equal(chunkId(keys, data), chunkId(deriveFolderKeys(secret), data))
  assert.notEqual(chunkId(keys, data), chunkId(deriveFolderKeys(createFolderSecret()), data))
})

test('a sealed chunk opens to its plaintext; each seal is fresh', () => {
  const keys = deriveFolderKeys(createFolderSecret())
  for (const plaintext of [new Uint8Array(0), seededBytes('seal', 65_536)]) {
    const id = chunkId(keys, plaintext)
    const first = sealChunk(keys, id, plaintext)
    const second = sealChunk(keys, id, plaintext)
    assert.equal(first.length, plaintext.length + SEAL_OVERHEAD)
    assert.notDeepEqual(first, second)
    assert.deepEqual(openChunk(keys, id, first), Buffer.from(plaintext))
    assert.deepEqual(openChunk(keys, id, second), Buffer.from(plaintext))
  }
})

test('tampered, truncated, swapped or foreign chunks are CHUNK_CORRUPT', () => {
  const keys = deriveFolderKeys(createFolderSecret())
  const plaintext = seededBytes('tamper', 4096)
  const other = seededBytes('other', 4096)
  const id = chunkId(keys, plaintext)
  const sealed = sealChunk(keys, id, plaintext)
  const flipped = (index: number) => {
    const copy = Buffer.from(sealed)
    copy[index]! ^= 0x01
    return copy
  }
  const corrupt = codeOf('CHUNK_CORRUPT')
  assert.throws(() => openChunk(keys, id, flipped(20)), corrupt, 'ciphertext bit flipped')
  assert.throws(() => openChunk(keys, id, flipped(sealed.length - 1)), corrupt, 'tag bit flipped')
  assert.throws(() => openChunk(keys, id, flipped(5)), corrupt, 'nonce bit flipped')
  assert.throws(() => openChunk(keys, id, flipped(0)), corrupt, 'unknown version')
  assert.throws(() => openChunk(keys, id, sealed.subarray(0, 20)), corrupt, 'truncated')
  // A host serving one chunk under another's id.
  const otherId = chunkId(keys, other)
  assert.throws(() => openChunk(keys, otherId, sealed), corrupt, 'swapped')
  // Sealed with another folder's key.
  assert.throws(() => openChunk(deriveFolderKeys(createFolderSecret()), id, sealed), corrupt, 'foreign key')
  // A key holder that sealed content under an id that does not name it.
  assert.throws(() => openChunk(keys, otherId, sealChunk(keys, otherId, plaintext)), corrupt, 'content does not match its id')
})

test('a folder secret wrapped to a reader identity unwraps only with that identity and group', async () => {
  const reader = (await generateKeyPair('Ed25519')) as Ed25519PrivateKey
  const stranger = (await generateKeyPair('Ed25519')) as Ed25519PrivateKey
  const secret = createFolderSecret()
  // A member is known by its peer id: its public key is what the secret is wrapped to.
  const readerPeer = peerIdFromString(peerIdFromPrivateKey(reader).toString())
  const wrapped = wrapFolderSecret(secret, readerPeer.publicKey as typeof reader.publicKey, 'group-1')
  assert.deepEqual(unwrapFolderSecret(wrapped, reader, 'group-1'), secret)
  assert.deepEqual(unwrapFolderSecret(wrapFolderSecret(secret, reader.publicKey.raw, 'group-1'), reader, 'group-1'), secret)

  const failed = codeOf('KEY_UNWRAP_FAILED')
  assert.throws(() => unwrapFolderSecret(wrapped, stranger, 'group-1'), failed, 'another identity')
  assert.throws(() => unwrapFolderSecret(wrapped, reader, 'group-2'), failed, 'another group')
  const tampered = Uint8Array.from(wrapped)
  tampered[50]! ^= 0x80
  assert.throws(() => unwrapFolderSecret(tampered, reader, 'group-1'), failed, 'tampered')
  assert.throws(() => unwrapFolderSecret(wrapped.subarray(0, 60), reader, 'group-1'), failed, 'truncated')
  assert.throws(() => wrapFolderSecret(secret, new Uint8Array(32).fill(0xff), 'group-1'), codeOf('INVALID_INPUT'), 'not a curve point')
})
