/** VO records and their checks, in-process: every rule a forged, tampered, foreign or stale record breaks. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { GridNodeError } from '../../shared/errors.ts'
import { CERT_LIFETIME_MS, INVITE_PREFIX } from '../../main/vo/constants.ts'
import { createInviteToken, createRefusal, createRevocation, createVo, issueCert, parseInviteToken } from '../../main/vo/issue.ts'
import type { Chain } from '../../main/vo/records.ts'
import { encode, sign } from '../../main/vo/signed.ts'
import { verifyChain, verifyCharter, verifyInvite, verifyRefusal, verifyRevocation, type VerifyContext } from '../../main/vo/verify.ts'

const NOW = Date.UTC(2026, 10, 21)
const YEAR = 365 * 24 * 3600 * 1000
const ok: VerifyContext = { now: NOW, isRevoked: () => false }
const code = (expected: string) => (err: unknown) => err instanceof GridNodeError && err.code === expected

async function node(): Promise<{ key: PrivateKey; id: string }> {
  const key = await generateKeyPair('Ed25519')
  return { key, id: peerIdFromPrivateKey(key).toString() }
}

async function world() {
  const admin = await node()
  const vo = await createVo('Lab', admin.id, NOW, YEAR)
  return { admin, vo }
}

test('a new VO: its charter verifies and its creator is its first admin', async () => {
  const { admin, vo } = await world()
  await verifyCharter(vo.charter, NOW)
  assert.match(vo.charter.body.vo, /^vo[a-z2-7]{26}$/)
  assert.deepEqual(await verifyChain(vo.chain, vo.charter, ok), { peerId: admin.id, role: 'admin', canIssue: true, expiresAt: NOW + YEAR, issuedBy: [] })
  await assert.rejects(verifyCharter(vo.charter, NOW + YEAR + 1), code('VO_EXPIRED'))
})

test('admins issue members; delegated super-peers issue members too, and nothing more', async () => {
  const { admin, vo } = await world()
  const member = await node()
  const memberChain = await issueCert(admin.key, vo.chain, { subject: member.id, role: 'member', canIssue: false, now: NOW })
  assert.deepEqual(await verifyChain(memberChain, vo.charter, ok), { peerId: member.id, role: 'member', canIssue: false, expiresAt: NOW + CERT_LIFETIME_MS, issuedBy: [admin.id] })

  const superPeer = await node()
  const delegate = await issueCert(admin.key, vo.chain, { subject: superPeer.id, role: 'member', canIssue: true, now: NOW })
  const viaDelegate = await issueCert(superPeer.key, delegate, { subject: member.id, role: 'member', canIssue: false, now: NOW })
  assert.equal((await verifyChain(viaDelegate, vo.charter, ok)).role, 'member')
  assert.deepEqual((await verifyChain(viaDelegate, vo.charter, ok)).issuedBy, [superPeer.id, admin.id])
  // Revoking the delegate voids what it issued.
  await assert.rejects(verifyChain(viaDelegate, vo.charter, { ...ok, isRevoked: (peer) => peer === superPeer.id }), code('MEMBER_REVOKED'))

  const adminByDelegate = await issueCert(superPeer.key, delegate, { subject: member.id, role: 'admin', canIssue: true, now: NOW })
  await assert.rejects(verifyChain(adminByDelegate, vo.charter, ok), code('CERT_INVALID'))
  const byMember = await issueCert(member.key, memberChain, { subject: (await node()).id, role: 'member', canIssue: false, now: NOW })
  await assert.rejects(verifyChain(byMember, vo.charter, ok), code('CERT_INVALID'))
})

test('tampered, forged, foreign, expired and revoked certificates are refused', async () => {
  const { admin, vo } = await world()
  const member = await node()
  const chain = await issueCert(admin.key, vo.chain, { subject: member.id, role: 'member', canIssue: false, now: NOW })

  const tampered: Chain = [{ ...chain[0]!, body: { ...chain[0]!.body, role: 'admin' } }, ...chain.slice(1)]
  await assert.rejects(verifyChain(tampered, vo.charter, ok), code('CERT_INVALID'))

  const impostor = await node()
  const forged: Chain = [await sign({ ...chain[0]!.body }, impostor.key), ...chain.slice(1)]
  await assert.rejects(verifyChain(forged, vo.charter, ok), code('CERT_INVALID'))

  const other = await world()
  await assert.rejects(verifyChain(chain, other.vo.charter, ok), code('CERT_INVALID'))
  await assert.rejects(verifyChain(chain, vo.charter, { now: NOW + CERT_LIFETIME_MS + 1, isRevoked: () => false }), code('CERT_EXPIRED'))
  await assert.rejects(verifyChain(chain, vo.charter, { now: NOW, isRevoked: (id) => id === member.id }), code('MEMBER_REVOKED'))
  await assert.rejects(verifyChain(chain, vo.charter, { now: NOW, isRevoked: (id) => id === admin.id }), code('MEMBER_REVOKED'), "an issuer's revocation takes its members' certificates with it")
})

test('invites verify offline from the token alone', async () => {
  const { admin, vo } = await world()
  const { token, id } = await createInviteToken(vo.charter, admin.key, vo.chain, { role: 'member', uses: 3, expiresAt: NOW + 1000, bootstrap: ['/ip4/127.0.0.1/tcp/1'], now: NOW })
  assert.ok(token.startsWith(INVITE_PREFIX) && !/\s/.test(token), 'one line')
  const parsed = parseInviteToken(token)
  assert.equal(parsed.invite.body.id, id)
  assert.deepEqual(parsed.invite.body.bootstrap, ['/ip4/127.0.0.1/tcp/1'])
  await verifyCharter(parsed.charter, NOW)
  assert.equal((await verifyInvite(parsed.invite, parsed.chain, parsed.charter, ok)).peerId, admin.id)
  await assert.rejects(verifyInvite(parsed.invite, parsed.chain, parsed.charter, { now: NOW + 1001, isRevoked: () => false }), code('INVITE_EXPIRED'))
})

test('forged, tampered, foreign and member-made invites are refused; garbage is not an invite', async () => {
  const { admin, vo } = await world()
  const init = { role: 'member' as const, uses: 1, expiresAt: NOW + 1000, bootstrap: [], now: NOW }
  const { invite, chain, charter } = parseInviteToken((await createInviteToken(vo.charter, admin.key, vo.chain, init)).token)

  const tampered = { ...invite, body: { ...invite.body, role: 'admin' as const, uses: 1000 } }
  await assert.rejects(verifyInvite(tampered, chain, charter, ok), code('INVITE_INVALID'))

  const impostor = await node()
  await assert.rejects(verifyInvite(await sign(invite.body, impostor.key), chain, charter, ok), code('INVITE_INVALID'))

  const other = await world()
  await assert.rejects(verifyInvite(invite, chain, other.vo.charter, ok), code('INVITE_FOREIGN'))

  const member = await node()
  const memberChain = await issueCert(admin.key, vo.chain, { subject: member.id, role: 'member', canIssue: false, now: NOW })
  const byMember = parseInviteToken((await createInviteToken(vo.charter, member.key, memberChain, init)).token)
  await assert.rejects(verifyInvite(byMember.invite, byMember.chain, byMember.charter, ok), code('INVITE_INVALID'))

  for (const garbage of ['', 'hello', `${INVITE_PREFIX}!!!`, INVITE_PREFIX + Buffer.from(encode({ charter: 1 })).toString('base64url')]) {
    assert.throws(() => parseInviteToken(garbage), code('INVITE_INVALID'), JSON.stringify(garbage))
  }
})

test('only admins revoke', async () => {
  const { admin, vo } = await world()
  const member = await node()
  const memberChain = await issueCert(admin.key, vo.chain, { subject: member.id, role: 'member', canIssue: false, now: NOW })
  await verifyRevocation(await createRevocation(admin.key, vo.chain, member.id, NOW), vo.charter, ok)
  await assert.rejects(verifyRevocation(await createRevocation(member.key, memberChain, admin.id, NOW), vo.charter, ok), code('NOT_ADMIN'))
})

test('a refusal of a join request is an issuer\'s, about that requester, signed', async () => {
  const { admin, vo } = await world()
  const requester = await node()
  const member = await node()
  const memberChain = await issueCert(admin.key, vo.chain, { subject: member.id, role: 'member', canIssue: false, now: NOW })
  const refusal = await createRefusal(admin.key, vo.chain, requester.id, NOW)
  await verifyRefusal(refusal, requester.id, vo.charter, ok)
  await assert.rejects(verifyRefusal(refusal, member.id, vo.charter, ok), code('CERT_INVALID'))
  await assert.rejects(verifyRefusal(await createRefusal(member.key, memberChain, requester.id, NOW), requester.id, vo.charter, ok), code('NOT_ADMIN'))
  const forged = { ...refusal, refusal: await sign(refusal.refusal.body, (await node()).key) }
  await assert.rejects(verifyRefusal(forged, requester.id, vo.charter, ok), code('CERT_INVALID'))
})
