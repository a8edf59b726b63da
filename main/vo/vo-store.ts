/**
 * What a node keeps of its VO: its membership (charter, own certificate chain, bootstrap
 * addresses), the VO's root key if it created the VO, the invites it can redeem, the members it
 * knows, the revocations it has seen, the join requests it holds for the VO's issuers, and its own
 * join request while it waits for an answer. Signed records are kept as CBOR, exactly as signed.
 */
import { readFile, rm, writeFile } from 'node:fs/promises'
import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { z } from 'zod'
import type { Store } from '../store/store.ts'
import { ChainSchema, CharterSchema, RevocationSchema, RoleSchema, VoIdSchema, type Chain, type Charter, type Revocation } from './records.ts'
import { decode, encode } from './signed.ts'
import { DecisionSchema } from './wire.ts'

const MembershipSchema = z.object({ charter: CharterSchema, chain: ChainSchema, bootstrap: z.array(z.string()) })
export type StoredMembership = z.infer<typeof MembershipSchema>

const InviteUsesSchema = z.object({ usesLeft: z.number().int().nonnegative(), expiresAt: z.number() })
const MemberSchema = z.object({ peerId: z.string(), role: RoleSchema, canIssue: z.boolean().default(false), expiresAt: z.number(), addrs: z.array(z.string()) })
export type KnownMember = z.infer<typeof MemberSchema>

/** A join request this issuer holds: pending until `decision` is set, then kept to hand it over. */
const HeldRequestSchema = z.object({
  id: z.string(),
  subject: z.string(),
  label: z.string(),
  message: z.string(),
  addrs: z.array(z.string()),
  receivedAt: z.number(),
  expiresAt: z.number(),
  decision: DecisionSchema.nullable(),
})
export type HeldRequest = z.infer<typeof HeldRequestSchema>

/** This node's own join request, and the issuers that hold it. */
const OutgoingRequestSchema = z.object({
  vo: z.object({ id: VoIdSchema, name: z.string() }),
  id: z.string(),
  label: z.string(),
  message: z.string(),
  holders: z.array(z.object({ peer: z.string(), addrs: z.array(z.string()) })),
  sentAt: z.number(),
  expiresAt: z.number(),
})
export type OutgoingRequest = z.infer<typeof OutgoingRequestSchema>

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
  heldRequests(): Promise<HeldRequest[]>
  saveHeldRequest(request: HeldRequest): Promise<void>
  deleteHeldRequest(subject: string): Promise<void>
  outgoingRequest(): Promise<OutgoingRequest | undefined>
  saveOutgoingRequest(request: OutgoingRequest): Promise<void>
  deleteOutgoingRequest(): Promise<void>
}

export function createVoStore(store: Store, rootKeyFile: string): VoStore {
  const vo = store.sublevel('vo')
  const put = (key: string, value: unknown) => store.commit([{ type: 'put', sublevel: 'vo', key, value }])
  const del = (key: string) => store.commit([{ type: 'del', sublevel: 'vo', key }])
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
    clearMembership: () => del('membership'),
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
    heldRequests: () => withPrefix('request:', (value) => uncbor(HeldRequestSchema, value)),
    saveHeldRequest: (request) => put(`request:${request.subject}`, cbor(request)),
    deleteHeldRequest: (subject) => del(`request:${subject}`),
    outgoingRequest: async () => OutgoingRequestSchema.safeParse(await vo.get('outgoing-request')).data,
    saveOutgoingRequest: (request) => put('outgoing-request', request),
    deleteOutgoingRequest: () => del('outgoing-request'),
  }
}

