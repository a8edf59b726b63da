/**
 * Plug-and-play on a LAN, with real mDNS: each test runs in a network namespace of its own (see
 * test/harness/netns.ts), where the nodes' multicast stays on a private loopback. A node in no VO
 * sees the VOs around it by id and name; members find each other with no address that works; a
 * newcomer asks to join, and an admin approves or refuses.
 */
import assert from 'node:assert/strict'
import type { Status } from '../../shared/api/schemas.ts'
import type { JoinRequest, Nearby, OutgoingRequest, VoInfo } from '../../shared/api/vo-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { runCli, runCliJson } from '../harness/cli.ts'
import { netnsTest } from '../harness/netns.ts'
import { formVo, startNode, startNodes, type NodeProcess } from '../harness/node-process.ts'

const FILE = import.meta.url
const lists = (peerId: string) => (status: Status) => status.peers.some((p) => p.peerId === peerId)

/** Starts an admin with a VO and a fresh node, both on mDNS, and waits until the fresh one hears the VO. */
async function adminAndNewcomer(t: { after: (fn: () => Promise<void>) => void }, name: string): Promise<{ admin: NodeProcess; newcomer: NodeProcess; vo: VoInfo }> {
  const [admin] = await startNodes(t, ['lan-admin'], undefined, true)
  assert.ok(admin)
  const vo = await admin.client.voCreate({ name })
  // Started once the VO exists, so its first question on the LAN already gets the answer.
  const [newcomer] = await startNodes(t, ['lan-newcomer'], undefined, true)
  assert.ok(newcomer)
  await hears(newcomer, vo.id)
  return { admin, newcomer, vo }
}

const hears = (node: NodeProcess, voId: string): Promise<Nearby> =>
  node.waitForEvent('nearby', () => node.client.voNearby({}), (n) => n.vos.some((v) => v.id === voId && v.admits), `${node.name} to hear the VO on the LAN`)

const holdsRequest = (node: NodeProcess, peerId: string): Promise<JoinRequest[]> =>
  node.waitForEvent('joinRequests', () => node.client.voRequests({}), (list) => list.some((r) => r.peerId === peerId), `${node.name} to hold the join request`)

netnsTest('a node in no VO sees the VOs on its network, by id and name only', FILE, async (t) => {
  const { newcomer, vo } = await adminAndNewcomer(t, 'LAN Lab')
  const nearby = await runCliJson<Nearby>(['vo', 'nearby', '--data', newcomer.dataDir])
  assert.equal(nearby.mdns, true)
  assert.equal(nearby.request, null)
  const found = nearby.vos.find((v) => v.id === vo.id)
  assert.ok(found, 'the CLI lists the VO')
  assert.equal(found.name, 'LAN Lab')
  assert.deepEqual(Object.keys(found).sort(), ['admits', 'id', 'name', 'peers', 'seenAt'])
  assert.equal(found.peers, 1)
  // Hearing of a VO is not being in it: the newcomer still talks to nobody.
  assert.equal((await newcomer.client.status({})).vo, null)
})

netnsTest('members find each other on the LAN after both restart on new ports', FILE, async (t) => {
  const [admin, member] = await startNodes(t, ['lan-admin', 'lan-member'], undefined, true)
  assert.ok(admin && member)
  await formVo([admin, member])
  await admin.waitForStatus(lists(member.peerId), 'the admin to see the member')
  await Promise.all([admin.stop(), member.stop()])

  // Both listen on new ports now, so every address either of them kept is stale: only mDNS helps.
  const [adminAgain, memberAgain] = await Promise.all([
    startNode({ name: 'lan-admin-again', dataDir: admin.dataDir, mdns: true }),
    startNode({ name: 'lan-member-again', dataDir: member.dataDir, mdns: true }),
  ])
  t.after(async () => {
    await Promise.all([adminAgain.stop(), memberAgain.stop()])
  })
  assert.notEqual(adminAgain.addr, admin.addr)
  await adminAgain.waitForStatus(lists(member.peerId), 'the restarted admin to find the member on the LAN')
  await memberAgain.waitForStatus(lists(admin.peerId), 'the restarted member to find the admin on the LAN')
})

netnsTest('a join request an admin approves makes the newcomer a member, connected', FILE, async (t) => {
  const { admin, newcomer, vo } = await adminAndNewcomer(t, 'LAN Lab')
  const sent = await runCliJson<OutgoingRequest>(['vo', 'request', vo.id, '--label', 'lab-pc-7', '--message', 'Room 12, for the simulations', '--data', newcomer.dataDir])
  assert.equal(sent.state, 'pending')
  assert.equal(sent.vo.name, 'LAN Lab')

  await holdsRequest(admin, newcomer.peerId)
  const requests = await runCliJson<JoinRequest[]>(['vo', 'requests', '--data', admin.dataDir])
  assert.deepEqual(
    requests.map((r) => [r.id, r.peerId, r.label, r.message]),
    [[sent.id, newcomer.peerId, 'lab-pc-7', 'Room 12, for the simulations']],
  )
  // Asking again changes nothing: one request per newcomer, under the same id.
  assert.equal((await newcomer.client.voRequestJoin({ voId: vo.id, label: 'lab-pc-7' })).id, sent.id)
  assert.equal((await admin.client.voRequests({})).length, 1)

  const approved = await runCli(['vo', 'approve', sent.id, '--data', admin.dataDir])
  assert.equal(approved.code, 0, approved.stderr)
  const status = await newcomer.waitForStatus((s) => s.vo?.id === vo.id && lists(admin.peerId)(s), 'the newcomer to join and connect')
  assert.equal(status.vo?.role, 'member')
  await admin.waitForStatus(lists(newcomer.peerId), 'the admin to see its new member')
  assert.deepEqual(await admin.client.voRequests({}), [])
  assert.equal((await newcomer.client.voNearby({})).request, null)
})

netnsTest('a refused join request: the newcomer is told, and nothing is stored', FILE, async (t) => {
  const { admin, newcomer, vo } = await adminAndNewcomer(t, 'LAN Lab')
  const sent = await newcomer.client.voRequestJoin({ voId: vo.id, label: 'stranger' })
  await holdsRequest(admin, newcomer.peerId)
  const refused = await runCli(['vo', 'refuse', sent.id, '--data', admin.dataDir])
  assert.equal(refused.code, 0, refused.stderr)

  await newcomer.waitForEvent('nearby', () => newcomer.client.voNearby({}), (n) => n.request?.state === 'refused', 'the newcomer to learn it was refused')
  assert.equal((await newcomer.client.status({})).vo, null)
  await assert.rejects(newcomer.client.voMembers({}), (err: unknown) => err instanceof GridNodeError && err.code === 'NOT_IN_VO')
  assert.deepEqual(await admin.client.voRequests({}), [])
  assert.ok(!(await admin.client.voMembers({})).some((m) => m.peerId === newcomer.peerId))
  // A decided request cannot be decided again.
  const again = await runCli(['vo', 'approve', sent.id, '--data', admin.dataDir])
  assert.match(again.stderr, /\(JOIN_REQUEST_UNKNOWN\)\s*$/)
})
