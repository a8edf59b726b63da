/**
 * Admission while the admins are away, on real processes: an admin delegates issuing to a
 * super-peer, whose addresses its invites then carry, so an invite is redeemed through the
 * super-peer while the admin is SIGKILLed; revoking the super-peer voids what it issued. And the
 * join-request commands refuse bad input with their codes.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Status } from '../../shared/api/schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { parseInviteToken } from '../../main/vo/issue.ts'
import { cliErrorCode, runCli } from '../harness/cli.ts'
import { formVo, startNode, startNodes } from '../harness/node-process.ts'

const code = (expected: string) => (err: unknown) => err instanceof GridNodeError && err.code === expected
const lists = (peerId: string) => (status: Status) => status.peers.some((p) => p.peerId === peerId)

test('an invite is redeemed through a delegated super-peer while the admin is SIGKILLed; revoking it voids what it issued', async (t) => {
  // Each in a sub-grid of its own, so the member is a super-peer the admin sees.
  const [admin, delegate, newcomer] = await startNodes(t, ['admin', 'delegate', 'newcomer'], (name) => ['--subgrid', name])
  assert.ok(admin && delegate && newcomer)
  await formVo([admin, delegate])
  const delegated = await delegate.waitForStatus((s) => s.vo?.canIssue === true, 'the super-peer to be given issue rights')
  assert.equal(delegated.vo?.role, 'member')

  const { token } = await admin.client.voInvite({})
  assert.ok(parseInviteToken(token).invite.body.bootstrap.includes(delegate.addr), "the invite lists the super-peer's address")
  assert.equal((await admin.signal('SIGKILL')).signal, 'SIGKILL')

  const joined = await runCli(['vo', 'join', token, '--data', newcomer.dataDir])
  assert.equal(joined.code, 0, joined.stderr)
  await newcomer.waitForStatus((s) => s.vo !== null && lists(delegate.peerId)(s), 'the newcomer to be admitted by the super-peer')
  // The delegate can also make invites of its own, but not for admins.
  await delegate.client.voInvite({ role: 'member' })
  await assert.rejects(delegate.client.voInvite({ role: 'admin' }), code('NOT_ADMIN'))
  // Only admins delegate, and the admin is away: the newcomer is a plain member, who decides nothing.
  assert.equal((await newcomer.client.status({})).vo?.canIssue, false)
  const notAdmin = await runCli(['vo', 'approve', 'nosuchid', '--data', newcomer.dataDir])
  assert.equal(notAdmin.code, 1)
  assert.equal(cliErrorCode(notAdmin), 'NOT_ADMIN')
  assert.equal(cliErrorCode(await runCli(['vo', 'requests', '--data', newcomer.dataDir])), 'NOT_ADMIN')

  const adminAgain = await startNode({ name: 'admin-again', dataDir: admin.dataDir, args: ['--subgrid', 'admin'] })
  t.after(() => adminAgain.stop())
  await adminAgain.waitForStatus(lists(delegate.peerId), 'the restarted admin to reconnect to the super-peer')
  await adminAgain.client.voRevoke({ peerId: delegate.peerId })
  await delegate.waitForStatus((s) => s.vo === null, 'the revoked super-peer to forget the VO')
  // The member the revoked super-peer admitted holds a chain through it: no longer valid.
  await assert.rejects(adminAgain.client.connect({ multiaddr: newcomer.addr }), code('NOT_A_MEMBER'))
})

test('join-request commands refuse bad input with their codes', async (t) => {
  const [admin, member] = await startNodes(t, ['admin', 'member'])
  assert.ok(admin && member)
  const vo = await admin.client.voCreate({ name: 'Lab' })
  const unknown = await runCli(['vo', 'approve', 'nosuchid', '--data', admin.dataDir])
  assert.equal(unknown.code, 1)
  assert.equal(cliErrorCode(unknown), 'JOIN_REQUEST_UNKNOWN')
  assert.equal(cliErrorCode(await runCli(['vo', 'refuse', 'nosuchid', '--data', admin.dataDir])), 'JOIN_REQUEST_UNKNOWN')

  // Outside a VO nothing can be decided.
  assert.equal(cliErrorCode(await runCli(['vo', 'approve', 'nosuchid', '--data', member.dataDir])), 'NOT_IN_VO')
  // Without mDNS (the harness's default) no VO is nearby, so there is none to ask.
  await assert.rejects(member.client.voRequestJoin({ voId: vo.id }), code('VO_NOT_NEARBY'))
  await member.client.voJoin({ token: (await admin.client.voInvite({})).token })
  await assert.rejects(member.client.voRequestJoin({ voId: vo.id }), code('ALREADY_IN_VO'))
  assert.equal(cliErrorCode(await runCli(['vo', 'request', vo.id, '--label', '', '--data', member.dataDir])), 'INVALID_INPUT')
})
