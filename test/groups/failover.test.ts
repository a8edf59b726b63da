/**
 * Failover: when the primary host dies, the first reachable host in backup order that holds a
 * complete copy becomes acting primary in a new epoch (skipping one that is behind), two rival
 * candidates end with one primary, a stale primary's updates are refused everywhere, and a
 * returning primary host catches up and takes its role back.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_TIMING } from '../../main/groups/constants.ts'
import { createNetwork, payloads, startGroup, type Network } from './network.ts'

const TIMING = { ackTimeoutMs: 2000 }

const primaryOf = (net: Network, peer: string) => net.node(peer).member!.snapshot().primary
const epochOf = (net: Network, peer: string) => net.node(peer).member!.snapshot().epoch

/** No epoch ever had two acting primaries. */
function assertOnePrimaryPerEpoch(net: Network): void {
  for (const [epoch, peers] of net.primaries) assert.equal(peers.size, 1, `epoch ${epoch} had primaries ${[...peers].join(', ')}`)
}

/** Proposes on `peer` and runs until the user heard it is safe. */
function proposeAcked(net: Network, peer: string, payload: string): void {
  const before = net.node(peer).acked.length
  net.propose(peer, payload)
  assert.ok(
    net.runUntil(() => net.node(peer).acked.length > before, 5000),
    `${payload} was never acknowledged`,
  )
}

test('when the primary host dies, the first backup host in backup order takes over within 3 s and keeps replicating', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  proposeAcked(net, 'P', 'before the failure')
  const killedAt = net.now
  net.kill('P')
  assert.ok(net.runUntil(() => net.acting().length === 1, 10_000))
  assert.deepEqual(net.acting(), ['B1'])
  assert.ok(net.now - killedAt <= 3000, `acting primary after ${net.now - killedAt} ms`)
  assert.deepEqual(net.effectsOf('B1', 'become-acting-primary'), [{ type: 'become-acting-primary', epoch: 2 }])
  assert.ok(net.runUntil(() => primaryOf(net, 'B2') === 'B1'))
  proposeAcked(net, 'B1', 'after the failure')
  assert.deepEqual(payloads(net, 'B2'), ['before the failure', 'after the failure'])
  assert.ok(net.logs('B1', 'failover').length > 0 && net.logs('B2', 'failover').some((l) => l.peer === 'B1'))
  assert.equal(net.node('B1').member!.snapshot().copies.find((c) => c.resource === 'backup-2')?.state, 'in-sync')
  assertOnePrimaryPerEpoch(net)
})

test('a backup host that is behind is skipped: the next one in backup order with a complete copy takes over', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  net.block('P', 'B1')
  for (const change of ['one', 'two', 'three']) net.propose('P', change)
  net.run(net.now + TIMING.ackTimeoutMs + 1000)
  assert.equal(net.node('P').acked.length, 3, 'acknowledged with B2 once B1 fell behind')
  assert.equal(net.node('B1').copy.length, 0)
  net.kill('P')
  assert.ok(net.runUntil(() => net.acting().length === 1, 10_000))
  assert.deepEqual(net.acting(), ['B2'])
  assert.ok(net.runUntil(() => payloads(net, 'B1').length === 3), 'B1 catches up from the new primary')
  assert.deepEqual(payloads(net, 'B1'), ['one', 'two', 'three'])
  assert.ok(!net.node('B1').sent.some((s) => s.type === 'claim'), 'B1 knew it was behind and never claimed')
  assertOnePrimaryPerEpoch(net)
})

test('two backup hosts that both claim the primary role end with one primary, the first in backup order', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  proposeAcked(net, 'P', 'before')
  net.partition('B1', 'B2')
  net.kill('P')
  net.run(net.now + 5000)
  assert.ok(net.node('B1').sent.some((s) => s.type === 'claim') && net.node('B2').sent.some((s) => s.type === 'claim'), 'both claimed')
  assert.deepEqual(net.acting(), [], 'neither is a majority of the three hosts alone')
  net.heal()
  assert.ok(net.runUntil(() => net.acting().length === 1 && primaryOf(net, 'B2') === 'B1', 10_000))
  assert.deepEqual(net.acting(), ['B1'])
  assert.equal(epochOf(net, 'B1'), epochOf(net, 'B2'))
  assertOnePrimaryPerEpoch(net)
  proposeAcked(net, 'B1', 'after')
  assert.deepEqual(payloads(net, 'B2'), ['before', 'after'])
})

test('a stale primary cut off from the group: its updates are refused everywhere; it steps down, catches up and takes its role back', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  proposeAcked(net, 'P', 'shared')
  net.partition('P', 'B1')
  net.partition('P', 'B2')
  assert.ok(net.runUntil(() => net.acting().includes('B1'), 10_000))
  net.propose('P', 'stale edit')
  proposeAcked(net, 'B1', 'new edit')
  net.run(net.now + 1000)
  assert.equal(net.node('P').acked.length, 1, 'the stale edit was never acknowledged to the user')

  net.heal()
  assert.ok(net.runUntil(() => net.effectsOf('P', 'stepped-down').length > 0, 5000), 'P learns it is stale')
  const refused = [...net.effectsOf('B1', 'refused-stale'), ...net.effectsOf('B2', 'refused-stale')]
  assert.ok(refused.length > 0 && refused.every((r) => r.from === 'P' && r.epoch === 1))
  assert.ok(net.logs('B1', 'rejected').some((l) => l.reason === 'stale-epoch'))
  assert.deepEqual(net.effectsOf('P', 'stepped-down')[0], { type: 'stepped-down', epoch: 1, unacked: [2] })
  for (const b of ['B1', 'B2']) assert.ok(!payloads(net, b).includes('stale edit'), `${b} never applied the stale edit`)

  assert.ok(net.runUntil(() => net.acting().length === 1 && net.acting()[0] === 'P', 15_000), 'P takes its role back')
  assert.ok(net.logs('P', 'join-1').length >= 2, 'P rejoined through the join protocol')
  assert.deepEqual(payloads(net, 'P'), ['shared', 'new edit'], 'P caught up (its diverged edit replaced)')
  assert.ok(net.effectsOf('B1', 'full-resync-needed').some((e) => e.host === 'P'))
  proposeAcked(net, 'P', 'after the return')
  for (const b of ['B1', 'B2']) assert.deepEqual(payloads(net, b), ['shared', 'new edit', 'after the return'])
  assertOnePrimaryPerEpoch(net)
  assert.deepEqual(net.violations, [])
})

test('a primary host that restarts after a failover rejoins, catches up from the acting primary and takes the role back in a clean hand-over', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  proposeAcked(net, 'P', 'one')
  net.kill('P')
  assert.ok(net.runUntil(() => net.acting().includes('B1'), 10_000))
  proposeAcked(net, 'B1', 'two')
  proposeAcked(net, 'B1', 'three')
  const joinsBefore = net.logs('P', 'join-1').length

  net.restart('P')
  assert.ok(net.runUntil(() => net.acting().includes('P'), 15_000))
  assert.deepEqual(net.acting(), ['P'])
  assert.ok(net.logs('P', 'join-1').length > joinsBefore, 'rejoined through the join protocol')
  assert.deepEqual(payloads(net, 'P'), ['one', 'two', 'three'])
  assert.equal(net.effectsOf('B1', 'full-resync-needed').length, 0, 'P caught up update by update')
  assert.deepEqual(net.effectsOf('B1', 'stepped-down'), [{ type: 'stepped-down', epoch: 2, unacked: [] }], 'nothing was in flight at the hand-over')
  assert.ok(net.logs('B1', 'handover').length > 0 && net.logs('P', 'handover').length > 0)
  assert.deepEqual(net.effectsOf('P', 'become-acting-primary').at(-1), { type: 'become-acting-primary', epoch: 3 })
  assert.deepEqual([...net.node('P').mirroring].sort(), ['B1/backup-1', 'B2/backup-2'])
  proposeAcked(net, 'P', 'four')
  for (const b of ['B1', 'B2']) assert.deepEqual(payloads(net, b), ['one', 'two', 'three', 'four'])
  assertOnePrimaryPerEpoch(net)
})

test('a closed connection makes the primary suspected at once, so failover does not wait for missed heartbeats', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  const killedAt = net.now
  net.kill('P', true)
  assert.ok(net.runUntil(() => net.acting().length === 1, 10_000))
  assert.ok(net.now - killedAt < DEFAULT_TIMING.suspectMs, `acting primary after ${net.now - killedAt} ms`)
})
