import { createHash } from 'node:crypto'
import { base32 } from 'multiformats/bases/base32'

/** A VO's id: "vo" and the first 128 bits of SHA-256 of its public key, in lowercase base32. */
export function voIdOf(publicKey: Uint8Array): string {
  return 'vo' + base32.baseEncode(createHash('sha256').update(publicKey).digest().subarray(0, 16))
}
