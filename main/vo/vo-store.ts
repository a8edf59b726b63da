/**
 * What a node keeps of its VO: its membership (charter, own certificate chain, bootstrap
 * addresses), the VO's root key if it created the VO, the invites it can redeem, the members it
 * knows and the revocations it has seen. Signed records are kept as CBOR, exactly as signed.
 */
import { readFile, rm, writeFile } from 'node:fs/promises'
import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { z } from 'zod'
import type { Store } from '../store/store.ts'
import { ChainSchema, CharterSchema, RevocationSchema, RoleSchema, type Chain, type Charter, type Revocation } from './records.ts'
import { decode, encode } from './signed.ts'

const MembershipSchema = z.object({ charter: CharterSchema, chain: ChainSchema, bootstrap: z.array(z.string()) })
export type StoredMembership = z.infer<typeof MembershipSchema>

const InviteUsesSchema = z.object({ usesLeft: z.number().int().nonnegative(), expiresAt: z.number() })
const MemberSchema = z.object({ peerId: z.string(), role: RoleSchema, expiresAt: z.number(), addrs: z.array(z.string()) })
export type KnownMember = z.infer<typeof MemberSchema>

const cbor = (value: unknown): string => Buffer.from(encode(value)).toString('base64')
const uncbor = <S extends z.ZodType>(schema: S, text: unknown): z.output<S> | undefined => {
  if (typeof text !== 'string') return undefined
  const parsed = schema.safeParse(decode(Buffer.from(text, 'base64')))
  return parsed.success ? parsed.data : undefined
}

export interface VoStore {
  membership(): Promise<StoredMembership | undefined>
  saveMembership(membership: { charter: Charter; chain: Chain; bootstrap: string[] }): Promise<void>
  /** Forgets the VO entirely (leave). */
  clear(): Promise<void>
  /** Forgets the membership only, keeping what explains it (revocations). */
  clearMembership(): Promise<void>
  rootKey(): Promise<PrivateKey | undefined>
  saveRootKey(key: PrivateKey): Promise<void>
  inviteUses(id: string): Promise<{ usesLeft: number; expiresAt: number } | undefined>
  saveInviteUses(id: string, usesLeft: number, expiresAt: number): Promise<void>
  members(): Promise<KnownMember[]>
  saveMember(member: KnownMember): Promise<void>
  revocations(): Promise<Revocation[]>
  saveRevocation(revocation: Revocation): Promise<void>
}

export function createVoStore(store: Store, rootKeyFile: string): VoStore {
  const vo = store.sublevel('vo')
  const put = (key: string, value: unknown) => store.commit([{ type: 'put', sublevel: 'vo', key, value }])
  const withPrefix = async <T>(prefix: string, parse: (value: unknown) => T | undefined): Promise<T[]> => {
    const found: T[] = []
    for await (const value of vo.values({ gt: prefix, lt: `${prefix}\xff` })) {
      const parsed = parse(value)
      if (parsed !== undefined) found.push(parsed)
    }
    return found
  }

  return {
    membership: async () => uncbor(MembershipSchema, await vo.get('membership')),
    saveMembership: (membership) => put('membership', cbor(membership)),
    async clear() {
      const keys = await vo.keys().all()
      await store.commit(keys.map((key) => ({ type: 'del', sublevel: 'vo', key })))
      await rm(rootKeyFile, { force: true })
    },
    clearMembership: () => store.commit([{ type: 'del', sublevel: 'vo', key: 'membership' }]),
    async rootKey() {
      const bytes = await readFile(rootKeyFile).catch(() => undefined)
      return bytes === undefined ? undefined : privateKeyFromProtobuf(bytes)
    },
    saveRootKey: (key) => writeFile(rootKeyFile, privateKeyToProtobuf(key), { mode: 0o600 }),
    inviteUses: async (id) => InviteUsesSchema.safeParse(await vo.get(`invite:${id}`)).data,
    saveInviteUses: (id, usesLeft, expiresAt) => put(`invite:${id}`, { usesLeft, expiresAt }),
    members: () => withPrefix('member:', (value) => MemberSchema.safeParse(value).data),
    saveMember: (member) => put(`member:${member.peerId}`, member),
    revocations: () => withPrefix('revoked:', (value) => uncbor(RevocationSchema, value)),
    saveRevocation: (revocation) => put(`revoked:${revocation.revocation.body.subject}`, cbor(revocation)),
  }
}

