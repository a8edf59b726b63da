/**
 * Issue 3's VO membership on real processes: create, invite and join; a node outside the VO talks
 * to nobody; bad invites are refused with their reason and store nothing; revocation spreads and
 * cuts the member off; members reconnect by themselves after a restart.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Status } from '../../shared/api/schemas.ts'
import type { VoMember } from '../../shared/api/vo-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { INVITE_PREFIX } from '../../main/vo/constants.ts'
import { createInviteToken, createVo, parseInviteToken } from '../../main/vo/issue.ts'
import { encode, sign } from '../../main/vo/signed.ts'
import { cliErrorCode, runCli, runCliJson } from '../harness/cli.ts'
import { formVo, startNode, startNodes, type NodeProcess } from '../harness/node-process.ts'

const code = (expected: string) => (err: unknown) => err instanceof GridNodeError && err.code === expected
const lists = (peerId: string) => (status: Status) => status.peers.some((p) => p.peerId === peerId)
const lacks = (peerId: string) => (status: Status) => !status.peers.some((p) => p.peerId === peerId)

/** A self-consistent invite of a VO made here, in-process, pointing at `bootstrap`. */
async function craftedInvite(bootstrap: string, expiresAt: number): Promise<string> {
  const key = await generateKeyPair('Ed25519')
  const vo = await createVo('Elsewhere', peerIdFromPrivateKey(key).toString(), Date.now(), 3_600_000)
  return (await createInviteToken(vo.charter, key, vo.chain, { role: 'member', uses: 1, expiresAt, bootstrap: [bootstrap], now: Date.now() })).token
}

async function assertNotInVo(node: NodeProcess): Promise<void> {
  assert.equal((await node.client.status({})).vo, null, `${node.name} stored nothing`)
}

test('create a VO, invite and join: members see each other, roles and expiry are reported', async (t) => {
  const nodes = await startNodes(t, ['admin', 'm1', 'm2', 'm3', 'm4'])
  const [admin, ...members] = nodes
  assert.ok(admin)
  const created = await runCliJson<{ id: string; name: string; role: string }>(['vo', 'create', 'Physics Lab', '--data', admin.dataDir])
  assert.match(created.id, /^vo[a-z2-7]{26}$/)
  assert.equal(created.role, 'admin')

  for (const member of members) {
    const invite = await runCli(['vo', 'invite', '--data', admin.dataDir])
    assert.equal(invite.code, 0, invite.stderr)
    const lines = invite.stdout.trim().split('\n')
    assert.equal(lines.length, 1)
    assert.ok(lines[0]!.startsWith(INVITE_PREFIX))
    const joined = await runCliJson<{ id: string; role: string }>(['vo', 'join', lines[0]!, '--data', member.dataDir])
    assert.deepEqual([joined.id, joined.role], [created.id, 'member'])
  }

  const status = await runCliJson<Status>(['status', '--data', members[0]!.dataDir])
  assert.equal(status.vo?.id, created.id)
  assert.equal(status.vo?.name, 'Physics Lab')
  assert.equal(status.vo?.role, 'member')
  assert.ok(Date.parse(status.vo?.expiresAt ?? '') > Date.now())

  await admin.waitForStatus((s) => members.every((m) => lists(m.peerId)(s)), 'the admin to be connected to every member')
  const roster = await runCliJson<VoMember[]>(['vo', 'members', '--data', admin.dataDir])
  assert.deepEqual(roster.map((m) => m.peerId).sort(), nodes.map((n) => n.peerId).sort())
  assert.deepEqual(roster.filter((m) => m.role === 'admin').map((m) => m.peerId), [admin.peerId])
})

test('a node outside the VO talks to nobody, and neither does a member of another VO', async (t) => {
  const [admin, stranger, foreigner] = await startNodes(t, ['admin', 'stranger', 'foreigner'])
  assert.ok(admin && stranger && foreigner)
  await formVo([admin])
  await foreigner.client.voCreate({ name: 'Other VO' })

  await assert.rejects(stranger.client.connect({ multiaddr: admin.addr }), code('NOT_IN_VO'))
  await assert.rejects(admin.client.connect({ multiaddr: stranger.addr }), code('NOT_A_MEMBER'))
  await assert.rejects(admin.client.connect({ multiaddr: foreigner.addr }), code('NOT_A_MEMBER'))
  // The refused peers were dropped on both sides.
  await stranger.waitForStatus(lacks(admin.peerId), 'the stranger to be disconnected')
  await foreigner.waitForStatus(lacks(admin.peerId), 'the foreigner to be disconnected')
  assert.deepEqual((await admin.client.status({})).peers, [])
})

test('bad invites get a one-line reason, exit 1, and leave nothing stored', async (t) => {
  const [admin, first, second] = await startNodes(t, ['admin', 'first', 'second'])
  assert.ok(admin && first && second)
  await formVo([admin])
  const { token } = await admin.client.voInvite({ uses: 1 })

  const refuse = async (invite: string, expected: string): Promise<void> => {
    const result = await runCli(['vo', 'join', invite, '--data', second.dataDir])
    assert.equal(result.code, 1, `${expected}: ${result.stderr}`)
    assert.equal(cliErrorCode(result), expected)
    assert.equal(result.stderr.trim().split('\n').length, 1)
    await assertNotInVo(second)
  }

  const parsed = parseInviteToken(token)
  const tampered = { ...parsed, invite: { ...parsed.invite, body: { ...parsed.invite.body, uses: 1000 } } }
  const impostor = await generateKeyPair('Ed25519')
  const forged = { ...parsed, invite: await sign(parsed.invite.body, impostor) }
  const asToken = (value: unknown) => INVITE_PREFIX + Buffer.from(encode(value)).toString('base64url')

  await refuse(asToken(tampered), 'INVITE_INVALID')
  await refuse(asToken(forged), 'INVITE_INVALID')
  await refuse('gridnode-invite:garbage', 'INVITE_INVALID')
  await refuse(await craftedInvite(admin.addr, Date.now() - 1000), 'INVITE_EXPIRED')
  await refuse(await craftedInvite(admin.addr, Date.now() + 60_000), 'INVITE_FOREIGN')

  await first.client.voJoin({ token })
  await refuse(token, 'INVITE_USED_UP')
  await assert.rejects(first.client.voJoin({ token }), code('ALREADY_IN_VO'))
})

test('a revoked member is cut off everywhere, cannot reconnect and cannot rejoin', async (t) => {
  const [admin, target, witness] = await startNodes(t, ['admin', 'target', 'witness'])
  assert.ok(admin && target && witness)
  await formVo([admin, target, witness])
  await witness.client.connect({ multiaddr: target.addr })
  await witness.waitForStatus(lists(target.peerId), 'the witness to be connected to the target')

  const revoked = await runCli(['vo', 'revoke', target.peerId, '--data', admin.dataDir])
  assert.equal(revoked.code, 0, revoked.stderr)
  await admin.waitForStatus(lacks(target.peerId), 'the admin to drop the revoked member')
  await witness.waitForStatus(lacks(target.peerId), 'the witness to drop the revoked member (gossip)')

  await assert.rejects(witness.client.connect({ multiaddr: target.addr }), code('NOT_A_MEMBER'))
  // The revoked node was told before being cut off: it no longer claims the VO.
  await target.waitForStatus((s) => s.vo === null, 'the revoked node to forget the VO')
  await assert.rejects(target.client.connect({ multiaddr: admin.addr }), code('NOT_IN_VO'))
  const members = await admin.client.voMembers({})
  assert.ok(!members.some((m) => m.peerId === target.peerId), 'no longer listed')

  const { token } = await admin.client.voInvite({})
  await assert.rejects(target.client.voJoin({ token }), code('MEMBER_REVOKED'))
  const notAdmin = await runCli(['vo', 'revoke', admin.peerId, '--data', witness.dataDir])
  assert.equal(cliErrorCode(notAdmin), 'NOT_ADMIN')
})

test('a member reconnects to its VO by itself after SIGKILL and restart', async (t) => {
  const [admin, member] = await startNodes(t, ['admin', 'member'])
  assert.ok(admin && member)
  await formVo([admin, member])
  await admin.waitForStatus(lists(member.peerId), 'the admin to see the member')

  assert.equal((await member.signal('SIGKILL')).signal, 'SIGKILL')
  await admin.waitForStatus(lacks(member.peerId), 'the admin to notice the member is gone')
  const again = await startNode({ name: 'member-again', dataDir: member.dataDir })
  t.after(() => again.stop())
  await again.waitForStatus(lists(admin.peerId), 'the restarted member to reconnect to the admin')
  assert.equal((await again.client.status({})).vo?.role, 'member')
})
