/**
 * Keeping K copies: a backup host gone longer than the grace period, or whose quota is full, is
 * replaced by a host the adapter recruits (here: a spare node), which joins through the join
 * protocol and is filled; members leave; the primary host unshares.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createNetwork, payloads, startGroup, type Network } from './network.ts'

const TIMING = { ackTimeoutMs: 2000, recruitGraceMs: 8000 }

const copyOf = (net: Network, resource: string) => net.node('P').member!.snapshot().copies.find((c) => c.resource === resource)

function withSpare(net: Network): void {
  startGroup(net)
  net.add('S')
  net.spares.push('S')
  for (const change of ['one', 'two']) net.propose('P', change)
  net.run(net.now + 500)
}

test('a backup host gone longer than the grace period is replaced: a recruited host joins and is filled', () => {
  const net = createNetwork({ timing: TIMING })
  withSpare(net)
  const killedAt = net.now
  net.kill('B2')
  net.run(killedAt + TIMING.recruitGraceMs - 500)
  assert.equal(net.effectsOf('P', 'recruit-backup-needed').length, 0, 'not within the grace period')
  assert.equal(copyOf(net, 'backup-2')?.state, 'behind', 'gone, but not yet given up')
  net.propose('P', 'three')
  net.run(killedAt + TIMING.recruitGraceMs + 1000)
  const [recruit] = net.effectsOf('P', 'recruit-backup-needed')
  assert.deepEqual(recruit?.resource, 'backup-2')
  assert.ok(recruit.exclude.includes('B1') && recruit.exclude.includes('B2') && recruit.exclude.includes('P'))
  assert.ok(net.runUntil(() => copyOf(net, 'backup-2')?.host === 'S' && copyOf(net, 'backup-2')?.state === 'in-sync'))
  assert.deepEqual(payloads(net, 'S'), ['one', 'two', 'three'])
  assert.ok(net.logs('S', 'join-1').length > 0 && net.logs('P', 'join-5').some((l) => l.peer === 'S'), 'S joined through the join protocol')
  assert.ok(net.node('P').mirroring.has('S/backup-2') && !net.node('P').mirroring.has('B2/backup-2'))
  for (const peer of ['P', 'B1', 'S']) assert.equal(net.node(peer).member!.snapshot().resources.find((r) => r.id === 'backup-2')?.host, 'S')
})

test('a backup host whose quota is full is marked failed and replaced; it drops its copy and leaves', () => {
  const net = createNetwork({ timing: TIMING })
  withSpare(net)
  net.input('B2', (now) => ({ type: 'quota-full', now, resource: 'backup-2' }))
  net.run(net.now + 100)
  assert.ok(net.logs('B2', 'quota').length > 0 && net.logs('P', 'quota').some((l) => l.peer === 'B2'))
  assert.deepEqual(net.effectsOf('P', 'stop-mirroring')[0], { type: 'stop-mirroring', host: 'B2', resource: 'backup-2' }, 'marked failed')
  assert.deepEqual(
    net.effectsOf('P', 'recruit-backup-needed').map((r) => r.resource),
    ['backup-2'],
    'recruited at once, no grace period',
  )
  assert.ok(net.runUntil(() => copyOf(net, 'backup-2')?.state === 'in-sync' && copyOf(net, 'backup-2')?.host === 'S'))
  assert.deepEqual(payloads(net, 'S'), ['one', 'two'])
  assert.ok(net.runUntil(() => net.effectsOf('B2', 'group-left').length === 1))
  assert.deepEqual(net.effectsOf('B2', 'drop-copy'), [{ type: 'drop-copy', resource: 'backup-2' }])
  assert.ok(net.runUntil(() => !net.node('P').member!.snapshot().members.some((m) => m.peer === 'B2')), 'B2 is no member any more')
})

test('a backup host that leaves is replaced at once; a reader that leaves just leaves', () => {
  const net = createNetwork({ timing: TIMING })
  withSpare(net)
  net.add('R', { access: ['primary'] })
  net.join('R', 'g1', 'P')
  net.run(net.now + 1000)
  net.input('R', (now) => ({ type: 'leave', now }))
  net.input('B1', (now) => ({ type: 'leave', now }))
  net.run(net.now + 500)
  assert.deepEqual(
    net.node('P').member!.snapshot().members.map((m) => m.peer),
    ['B2', 'P'],
  )
  assert.ok(net.runUntil(() => copyOf(net, 'backup-1')?.host === 'S' && copyOf(net, 'backup-1')?.state === 'in-sync'))
  for (const peer of ['R', 'B1']) assert.equal(net.effectsOf(peer, 'group-left').length, 1)
})

test('the primary host unshares: every member drops its copy; only the primary host may', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  net.input('B1', (now) => ({ type: 'unshare', now }))
  assert.ok(net.logs('B1', 'rejected').some((l) => l.reason === 'not-allowed'))
  net.input('P', (now) => ({ type: 'unshare', now }))
  net.run(net.now + 500)
  for (const peer of ['P', 'B1', 'B2']) {
    assert.equal(net.effectsOf(peer, 'group-dissolved').length, 1, peer)
    assert.equal(net.node(peer).member!.snapshot().phase, 'dissolved')
  }
  assert.equal(net.node('P').mirroring.size, 0)
})

test('a full host is replaced only once another backup holds every acknowledged update, so a primary failure during the fill loses none', () => {
  const net = createNetwork({ timing: TIMING })
  withSpare(net)
  net.block('P', 'B1')
  net.propose('P', 'three')
  net.run(net.now + TIMING.ackTimeoutMs + 1000)
  assert.equal(net.node('P').acked.length, 3, 'acknowledged with B2 once B1 fell behind')
  net.input('B2', (now) => ({ type: 'quota-full', now, resource: 'backup-2' }))
  net.run(net.now + 2000)
  assert.equal(net.effectsOf('P', 'recruit-backup-needed').length, 0, 'B2 alone holds "three" besides P: it is not replaced yet')
  assert.ok(net.logs('P', 'recruit').some((l) => l.resource === 'backup-2'), 'the wait is in the event log')
  net.heal()
  assert.ok(net.runUntil(() => net.effectsOf('P', 'recruit-backup-needed').length === 1), 'B1 caught up: now B2 is replaced')
  assert.ok(net.runUntil(() => copyOf(net, 'backup-2')?.host === 'S' && copyOf(net, 'backup-2')?.state === 'in-sync'))
  net.kill('P')
  assert.ok(net.runUntil(() => net.acting().length === 1, 10_000))
  assert.deepEqual(payloads(net, net.acting()[0]!), ['one', 'two', 'three'])
})
