/**
 * Signed records of a VO (charter, certificates, invites, revocations): the body is encoded as
 * deterministic CBOR with its kind inside (so a signature over one kind can never pass as another)
 * and signed with Ed25519. A peer id names its own Ed25519 public key, so a record signed by a
 * node is verified from the signer's peer id alone.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'

export interface Signed<B> {
  body: B
  sig: Uint8Array
}

export async function sign<B extends { kind: string }>(body: B, key: PrivateKey): Promise<Signed<B>> {
  return { body, sig: await key.sign(dagCbor.encode(body)) }
}

export async function verifySignature(record: Signed<object>, key: PublicKey): Promise<boolean> {
  try {
    return await key.verify(dagCbor.encode(record.body), record.sig)
  } catch {
    return false
  }
}

/** The public key a peer id names; undefined for ids that do not embed one (not Ed25519). */
export function publicKeyOfPeer(peerId: string): PublicKey | undefined {
  try {
    return peerIdFromString(peerId).publicKey
  } catch {
    return undefined
  }
}

export function publicKeyFromBytes(raw: Uint8Array): PublicKey | undefined {
  try {
    return publicKeyFromRaw(raw)
  } catch {
    return undefined
  }
}

export const encode = (value: unknown): Uint8Array => dagCbor.encode(value)
export const decode = (bytes: Uint8Array): unknown => dagCbor.decode(bytes)
