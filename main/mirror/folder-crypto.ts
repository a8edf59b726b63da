/**
 * A mirrored folder's keys, chunk ids and chunk encryption (issue 4: untrusted storage hosts,
 * trusted readers).
 *
 * - Folder secret: 32 random bytes made when the folder is shared. HKDF-SHA256 derives from it
 *   an encryption key and an id key (RFC 5869; salt "gridnode/folder/v1", one info label each).
 * - Chunk id: HMAC-SHA256(idKey, plaintext), 64 hex characters. Keyed, so a host holding chunks
 *   cannot test whether a folder contains a file it knows; deterministic, so equal chunks of one
 *   folder dedupe.
 * - Sealed chunk, version 1: `0x01 | nonce (12 random bytes) | AES-256-GCM ciphertext | tag (16)`,
 *   the chunk id's 32 bytes as associated data, so a host cannot pass one chunk off as another.
 *   Random 96-bit nonces stay within NIST SP 800-38D's bound for 2^32 seals per key: 256 TiB of
 *   64 KiB chunks per folder.
 * - Opening checks the tag and then that the plaintext's id is the id asked for; either failing
 *   is CHUNK_CORRUPT, so a restore can try another copy.
 * - Readers get the folder secret wrapped to their libp2p identity: their Ed25519 key converted to
 *   X25519 (RFC 7748, birational map), ECDH with a fresh ephemeral key, HKDF-SHA256 to a key-
 *   encryption key, AES-256-GCM. Wrapped, version 1: `0x01 | ephemeral X25519 public (32) |
 *   nonce (12) | encrypted secret (32) | tag (16)`, the caller's context (the group id) as
 *   associated data so a wrap made for one group is refused for another.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, type KeyObject, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import type { Ed25519PrivateKey, Ed25519PublicKey } from '@libp2p/interface'
import { GridNodeError } from '../../shared/errors.ts'

export const FOLDER_SECRET_BYTES = 32
const SEAL_VERSION = 1
const NONCE_BYTES = 12
const TAG_BYTES = 16
/** Bytes a sealed chunk has beyond its plaintext. */
export const SEAL_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES
const FOLDER_SALT = 'gridnode/folder/v1'
const WRAP_VERSION = 1
const WRAP_INFO = 'gridnode/folder-key-wrap/v1'
const WRAPPED_BYTES = 1 + 32 + NONCE_BYTES + FOLDER_SECRET_BYTES + TAG_BYTES
const CHUNK_ID_PATTERN = /^[0-9a-f]{64}$/

/** A folder's derived keys. Hold it in memory only; persist or send the secret (wrapped). */
export interface FolderKeys {
  readonly secret: Uint8Array
  readonly encryptionKey: KeyObject
  readonly idKey: KeyObject
}

export function createFolderSecret(): Uint8Array {
  return new Uint8Array(randomBytes(FOLDER_SECRET_BYTES))
}

export function deriveFolderKeys(secret: Uint8Array): FolderKeys {
  if (secret.length !== FOLDER_SECRET_BYTES) throw new GridNodeError('INVALID_INPUT', `A folder secret has ${FOLDER_SECRET_BYTES} bytes, not ${secret.length}.`)
  const derive = (info: string) => createSecretKey(Buffer.from(hkdfSync('sha256', secret, FOLDER_SALT, info, 32)))
  return { secret: Uint8Array.from(secret), encryptionKey: derive('chunk-encryption'), idKey: derive('chunk-id') }
}

export function isChunkId(value: string): boolean {
  return CHUNK_ID_PATTERN.test(value)
}

/** The id of a chunk's plaintext within its folder. */
export function chunkId(keys: FolderKeys, plaintext: Uint8Array): string {
  return createHmac('sha256', keys.idKey).update(plaintext).digest('hex')
}

function idBytes(id: string): Buffer {
  if (!isChunkId(id)) throw new GridNodeError('INVALID_INPUT', `${JSON.stringify(id)} is not a chunk id.`)
  return Buffer.from(id, 'hex')
}

/**
 * Random nonces drawn from a pool filled 4 KiB at a time, each byte used once: one call into the
 * system's random source per 341 chunks instead of one per chunk (some 15 µs each, measured).
 */
const noncePool = Buffer.allocUnsafeSlow(NONCE_BYTES * 341)
let nonceAt = noncePool.length
function nextNonce(): Buffer {
  if (nonceAt === noncePool.length) {
    randomFillSync(noncePool)
    nonceAt = 0
  }
  nonceAt += NONCE_BYTES
  return noncePool.subarray(nonceAt - NONCE_BYTES, nonceAt)
}

/** Encrypts a chunk for storage on untrusted hosts; `id` must be chunkId(keys, plaintext). */
export function sealChunk(keys: FolderKeys, id: string, plaintext: Uint8Array): Buffer {
  const nonce = nextNonce()
  const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, nonce).setAAD(idBytes(id))
  const sealed = Buffer.allocUnsafe(SEAL_OVERHEAD + plaintext.length)
  sealed[0] = SEAL_VERSION
  nonce.copy(sealed, 1)
  let offset = 1 + NONCE_BYTES
  offset += cipher.update(plaintext).copy(sealed, offset)
  offset += cipher.final().copy(sealed, offset)
  cipher.getAuthTag().copy(sealed, offset)
  return sealed
}

/** Decrypts a sealed chunk and checks it is the chunk `id` names; CHUNK_CORRUPT otherwise. */
export function openChunk(keys: FolderKeys, id: string, sealed: Uint8Array): Buffer {
  const expected = idBytes(id)
  const corrupt = (why: string, cause?: unknown) => new GridNodeError('CHUNK_CORRUPT', `Chunk ${id.slice(0, 12)}… ${why}.`, { cause })
  if (sealed.length < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) throw corrupt('is not a sealed chunk of a known version')
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length)
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES)
  const tag = bytes.subarray(bytes.length - TAG_BYTES)
  let plaintext: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, nonce).setAAD(expected).setAuthTag(tag)
    plaintext = Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()])
  } catch (err) {
    throw corrupt('failed its authentication check', err)
  }
  const actual = createHmac('sha256', keys.idKey).update(plaintext).digest()
  if (!timingSafeEqual(actual, expected)) throw corrupt('decrypted to other content than its id names')
  return plaintext
}

type PublicKeyInput = Ed25519PublicKey | Uint8Array
type PrivateKeyInput = Ed25519PrivateKey | Uint8Array

const publicBytes = (key: PublicKeyInput): Uint8Array => (key instanceof Uint8Array ? key : key.raw)
/** libp2p's raw Ed25519 private key is seed ‖ public key; the seed is what X25519 needs. */
const seedBytes = (key: PrivateKeyInput): Uint8Array => (key instanceof Uint8Array ? key : key.raw).subarray(0, 32)

function keyEncryptionKey(shared: Uint8Array, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPublic, recipientPublic]), WRAP_INFO, 32))
}

/**
 * Wraps a folder secret to a member's libp2p identity (their Ed25519 public key, or its 32 raw
 * bytes); only that member's private key unwraps it. `context` (the group id) must match on unwrap.
 */
export function wrapFolderSecret(secret: Uint8Array, recipient: PublicKeyInput, context: string): Uint8Array {
  if (secret.length !== FOLDER_SECRET_BYTES) throw new GridNodeError('INVALID_INPUT', `A folder secret has ${FOLDER_SECRET_BYTES} bytes.`)
  let recipientX: Uint8Array
  try {
    recipientX = ed25519.utils.toMontgomery(publicBytes(recipient))
  } catch (err) {
    throw new GridNodeError('INVALID_INPUT', 'The reader key is not a valid Ed25519 public key.', { cause: err })
  }
  const ephemeral = x25519.utils.randomSecretKey()
  const ephemeralPublic = x25519.getPublicKey(ephemeral)
  const kek = keyEncryptionKey(x25519.getSharedSecret(ephemeral, recipientX), ephemeralPublic, recipientX)
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', kek, nonce).setAAD(Buffer.from(context, 'utf8'))
  const encrypted = Buffer.concat([cipher.update(secret), cipher.final()])
  return new Uint8Array(Buffer.concat([Buffer.of(WRAP_VERSION), ephemeralPublic, nonce, encrypted, cipher.getAuthTag()]))
}

/** Unwraps a folder secret with this node's identity key; KEY_UNWRAP_FAILED if it was not wrapped to it for `context`. */
export function unwrapFolderSecret(wrapped: Uint8Array, own: PrivateKeyInput, context: string): Uint8Array {
  const failed = (cause?: unknown) => new GridNodeError('KEY_UNWRAP_FAILED', 'This folder key was not wrapped to this node for this group, or is damaged.', { cause })
  if (wrapped.length !== WRAPPED_BYTES || wrapped[0] !== WRAP_VERSION) throw failed()
  const bytes = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.length)
  const ephemeralPublic = bytes.subarray(1, 33)
  const nonce = bytes.subarray(33, 33 + NONCE_BYTES)
  const encrypted = bytes.subarray(33 + NONCE_BYTES, 33 + NONCE_BYTES + FOLDER_SECRET_BYTES)
  const tag = bytes.subarray(bytes.length - TAG_BYTES)
  try {
    const ownX = ed25519.utils.toMontgomerySecret(seedBytes(own))
    const kek = keyEncryptionKey(x25519.getSharedSecret(ownX, ephemeralPublic), ephemeralPublic, x25519.getPublicKey(ownX))
    const decipher = createDecipheriv('aes-256-gcm', kek, nonce).setAAD(Buffer.from(context, 'utf8')).setAuthTag(tag)
    return new Uint8Array(Buffer.concat([decipher.update(encrypted), decipher.final()]))
  } catch (err) {
    throw failed(err)
  }
}
