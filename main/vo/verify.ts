/**
 * Checks of VO records, pure: signatures, the certificate chain up to the VO key, lifetimes,
 * roles and revocations. Each failure is a GridNodeError whose code says which rule failed.
 */
import { GridNodeError, type ErrorCode } from '../../shared/errors.ts'
import { CLOCK_SKEW_MS, MAX_CHAIN_LENGTH } from './constants.ts'
import type { Chain, Charter, Invite, Refusal, Revocation, Role } from './records.ts'
import { publicKeyFromBytes, publicKeyOfPeer, verifySignature } from './signed.ts'
import { voIdOf } from './vo-id.ts'

export interface VerifyContext {
  now: number
  /** Whether a peer's membership was revoked. */
  isRevoked: (peerId: string) => boolean
}

/** What a valid chain proves about its subject. */
export interface Membership {
  peerId: string
  role: Role
  canIssue: boolean
  expiresAt: number
  /** The subjects that issued this chain, nearest first: revoking any of them voids it. */
  issuedBy: string[]
}

const fail = (code: ErrorCode, message: string): never => {
  throw new GridNodeError(code, message)
}

export async function verifyCharter(charter: Charter, now: number): Promise<void> {
  const key = publicKeyFromBytes(charter.body.key)
  if (key === undefined || voIdOf(charter.body.key) !== charter.body.vo || !(await verifySignature(charter, key))) {
    fail('CERT_INVALID', 'The VO charter is not signed by the VO key it names.')
  }
  if (now > charter.body.expiresAt) fail('VO_EXPIRED', `The VO "${charter.body.name}" expired on ${new Date(charter.body.expiresAt).toISOString()}.`)
}

/** Verifies a chain against a verified charter; returns what it proves about chain[0]'s subject. */
export async function verifyChain(chain: Chain, charter: Charter, context: VerifyContext): Promise<Membership> {
  if (chain.length === 0 || chain.length > MAX_CHAIN_LENGTH) fail('CERT_INVALID', `A certificate chain has 1 to ${MAX_CHAIN_LENGTH} links.`)
  const voKey = publicKeyFromBytes(charter.body.key)
  for (let i = 0; i < chain.length; i++) {
    const { body } = chain[i]!
    const parent = chain[i + 1]?.body
    if (body.vo !== charter.body.vo) fail('CERT_INVALID', `A certificate of another VO (${body.vo}) is in the chain.`)
    if (body.issuedAt > context.now + CLOCK_SKEW_MS) fail('CERT_INVALID', 'A certificate in the chain is issued in the future.')
    if (context.now > body.expiresAt) fail('CERT_EXPIRED', `The certificate of ${body.subject} expired on ${new Date(body.expiresAt).toISOString()}.`)
    if (body.expiresAt > charter.body.expiresAt) fail('CERT_INVALID', 'A certificate outlives its VO.')
    if (context.isRevoked(body.subject)) fail('MEMBER_REVOKED', `The membership of ${body.subject} was revoked.`)
    if (parent === undefined) {
      if (body.issuer !== 'vo') fail('CERT_INVALID', 'The chain does not end at the VO key.')
    } else {
      if (body.issuer !== parent.subject) fail('CERT_INVALID', 'The chain is broken: a certificate is not issued by the next one\'s subject.')
      if (!parent.canIssue) fail('CERT_INVALID', `${parent.subject} may not issue certificates.`)
      if (body.role === 'admin' && parent.role !== 'admin') fail('CERT_INVALID', 'Only an admin may make an admin.')
      if (body.canIssue && parent.role !== 'admin') fail('CERT_INVALID', 'Only an admin may delegate issuing.')
      if (body.expiresAt > parent.expiresAt) fail('CERT_INVALID', 'A certificate outlives its issuer\'s.')
    }
    const key = body.issuer === 'vo' ? voKey : publicKeyOfPeer(body.issuer)
    if (key === undefined || !(await verifySignature(chain[i]!, key))) fail('CERT_INVALID', `The certificate of ${body.subject} has a bad signature.`)
  }
  const own = chain[0]!.body
  return { peerId: own.subject, role: own.role, canIssue: own.canIssue, expiresAt: own.expiresAt, issuedBy: chain.slice(1).map((cert) => cert.body.subject) }
}

/** Verifies an invite and its issuer's chain; what the issuer may grant decides what it may invite. */
export async function verifyInvite(invite: Invite, chain: Chain, charter: Charter, context: VerifyContext): Promise<Membership> {
  if (invite.body.vo !== charter.body.vo) fail('INVITE_FOREIGN', 'The invite is for another VO than its charter.')
  const key = publicKeyOfPeer(invite.body.issuer)
  if (key === undefined || !(await verifySignature(invite, key))) fail('INVITE_INVALID', 'The invite is not signed by its issuer: it was forged or changed.')
  if (context.now > invite.body.expiresAt) fail('INVITE_EXPIRED', `The invite expired on ${new Date(invite.body.expiresAt).toISOString()}.`)
  let issuer: Membership
  try {
    issuer = await verifyChain(chain, charter, context)
  } catch (err) {
    throw new GridNodeError('INVITE_INVALID', `The invite's issuer is not a valid issuer of this VO: ${(err as Error).message}`, { cause: err })
  }
  if (issuer.peerId !== invite.body.issuer || !issuer.canIssue) fail('INVITE_INVALID', 'The invite was signed by a member who may not invite.')
  if (invite.body.role === 'admin' && issuer.role !== 'admin') fail('INVITE_INVALID', 'Only an admin may invite admins.')
  return issuer
}

/** Verifies that a refusal of `subject`'s join request was signed by an issuer of this VO. */
export async function verifyRefusal(refusal: Refusal, subject: string, charter: Charter, context: VerifyContext): Promise<void> {
  const { body } = refusal.refusal
  if (body.vo !== charter.body.vo || body.subject !== subject) fail('CERT_INVALID', 'The refusal is about another VO or another node.')
  const key = publicKeyOfPeer(body.issuer)
  if (key === undefined || !(await verifySignature(refusal.refusal, key))) fail('CERT_INVALID', 'The refusal has a bad signature.')
  const issuer = await verifyChain(refusal.chain, charter, context)
  if (issuer.peerId !== body.issuer || !issuer.canIssue) fail('NOT_ADMIN', 'Only a node that may admit members may refuse a join request.')
}

/** Verifies that a revocation was signed by an admin of this VO. */
export async function verifyRevocation(revocation: Revocation, charter: Charter, context: VerifyContext): Promise<void> {
  const { body } = revocation.revocation
  if (body.vo !== charter.body.vo) fail('CERT_INVALID', 'The revocation is for another VO.')
  const key = publicKeyOfPeer(body.issuer)
  if (key === undefined || !(await verifySignature(revocation.revocation, key))) fail('CERT_INVALID', 'The revocation has a bad signature.')
  // The revoker's own standing is checked as it was, not against later revocations of itself.
  const issuer = await verifyChain(revocation.chain, charter, { ...context, isRevoked: () => false })
  if (issuer.peerId !== body.issuer || issuer.role !== 'admin') fail('NOT_ADMIN', 'Only an admin may revoke a membership.')
}
