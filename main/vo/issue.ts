/**
 * Making VO records: a new VO with its creator as first admin, certificates, invite tokens and
 * revocations. Pure apart from key generation and randomness; time is passed in.
 */
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { GridNodeError } from '../../shared/errors.ts'
import { CERT_LIFETIME_MS, INVITE_PREFIX } from './constants.ts'
import { InviteTokenSchema, type Chain, type Charter, type InviteToken, type Refusal, type Revocation, type Role } from './records.ts'
import { decode, encode, sign } from './signed.ts'
import { voIdOf } from './vo-id.ts'

export interface NewVo {
  charter: Charter
  /** The VO's root key: it signs the charter and the first admin's certificate. */
  voKey: PrivateKey
  /** The creator's chain: one certificate, admin, issued by the VO key. */
  chain: Chain
}

export async function createVo(name: string, creator: string, now: number, lifetimeMs: number): Promise<NewVo> {
  const voKey = await generateKeyPair('Ed25519')
  const raw = voKey.publicKey.raw
  const vo = voIdOf(raw)
  const charter = await sign({ kind: 'gridnode/charter/v1' as const, vo, name, key: raw, createdAt: now, expiresAt: now + lifetimeMs }, voKey)
  const rootCert = await sign(
    { kind: 'gridnode/cert/v1' as const, vo, subject: creator, role: 'admin' as const, canIssue: true, issuer: 'vo', issuedAt: now, expiresAt: charter.body.expiresAt },
    voKey,
  )
  return { charter, voKey, chain: [rootCert] }
}

export interface IssueInit {
  subject: string
  role: Role
  canIssue: boolean
  now: number
}

/** A certificate for `subject` signed by an issuing member; its lifetime never exceeds the issuer's. */
export async function issueCert(issuerKey: PrivateKey, issuerChain: Chain, { subject, role, canIssue, now }: IssueInit): Promise<Chain> {
  const issuer = issuerChain[0]!.body
  const cert = await sign(
    {
      kind: 'gridnode/cert/v1' as const,
      vo: issuer.vo,
      subject,
      role,
      canIssue,
      issuer: issuer.subject,
      issuedAt: now,
      expiresAt: Math.min(now + CERT_LIFETIME_MS, issuer.expiresAt),
    },
    issuerKey,
  )
  return [cert, ...issuerChain]
}

export interface InviteInit {
  role: Role
  uses: number
  expiresAt: number
  bootstrap: string[]
  now: number
}

export async function createInviteToken(charter: Charter, issuerKey: PrivateKey, issuerChain: Chain, init: InviteInit): Promise<{ token: string; id: string }> {
  const id = randomBytes(16).toString('hex')
  const invite = await sign(
    {
      kind: 'gridnode/invite/v1' as const,
      vo: charter.body.vo,
      id,
      role: init.role,
      uses: init.uses,
      bootstrap: init.bootstrap,
      issuer: issuerChain[0]!.body.subject,
      issuedAt: init.now,
      expiresAt: Math.min(init.expiresAt, issuerChain[0]!.body.expiresAt),
    },
    issuerKey,
  )
  const token: InviteToken = { charter, invite, chain: issuerChain }
  return { token: INVITE_PREFIX + Buffer.from(encode(token)).toString('base64url'), id }
}

/** Parses a `gridnode-invite:` token; INVITE_INVALID for anything that is not one. */
export function parseInviteToken(text: string): InviteToken {
  const trimmed = text.trim()
  if (!trimmed.startsWith(INVITE_PREFIX)) throw new GridNodeError('INVITE_INVALID', `An invite starts with "${INVITE_PREFIX}".`)
  let decoded: unknown
  try {
    decoded = decode(Buffer.from(trimmed.slice(INVITE_PREFIX.length), 'base64url'))
  } catch {
    throw new GridNodeError('INVITE_INVALID', 'The invite is damaged: it does not decode.')
  }
  const parsed = InviteTokenSchema.safeParse(decoded)
  if (!parsed.success) throw new GridNodeError('INVITE_INVALID', 'The invite is damaged: its contents are not an invite.')
  return parsed.data
}

export async function createRefusal(issuerKey: PrivateKey, issuerChain: Chain, subject: string, now: number): Promise<Refusal> {
  const issuer = issuerChain[0]!.body
  const refusal = await sign({ kind: 'gridnode/refusal/v1' as const, vo: issuer.vo, subject, issuer: issuer.subject, refusedAt: now }, issuerKey)
  return { refusal, chain: issuerChain }
}

export async function createRevocation(issuerKey: PrivateKey, issuerChain: Chain, subject: string, now: number): Promise<Revocation> {
  const issuer = issuerChain[0]!.body
  const revocation = await sign({ kind: 'gridnode/revocation/v1' as const, vo: issuer.vo, subject, issuer: issuer.subject, revokedAt: now }, issuerKey)
  return { revocation, chain: issuerChain }
}
