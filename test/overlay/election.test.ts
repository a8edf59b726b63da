import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ANSWER_TIMEOUT_MS, FAILURE_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, JOIN_JITTER_MS, JOIN_WAIT_MS } from '../../main/overlay/constants.ts'
import type { Output } from '../../main/overlay/core.ts'
import { createElection, type Election } from '../../main/overlay/election.ts'
import type { ElectionMessage } from '../../main/overlay/messages.ts'

const group = 's1'
const base = { level: 'subgrid' as const, group, now: 0, random: () => 0 }

/** Runs elections among in-process cores, delivering every message at once, until quiet. */
function cluster(scores: Record<string, number>) {
  const peers = Object.keys(scores)
  const nodes = new Map<string, Election>(peers.map((self) => [self, createElection({ ...base, self, score: scores[self]!, members: peers })]))
  const dead = new Set<string>()
  const leaders = new Map<string, string | null>()
  const deliver = (from: string, outputs: Output[], now: number): void => {
    for (const o of outputs) {
      if (o.type === 'effect') {
        if (o.effect.type === 'leader-changed') leaders.set(from, o.effect.leader)
        continue
      }
      if (dead.has(o.to)) continue
      deliver(o.to, nodes.get(o.to)!.handle({ type: 'message', now, from, message: o.message as ElectionMessage }), now)
    }
  }
  return {
    nodes,
    leaders,
    kill: (peer: string) => dead.add(peer),
    /** Ticks every live node every `step` ms up to `until`. */
    run(from: number, until: number, step = 50): void {
      for (let now = from; now <= until; now += step) {
        for (const [peer, node] of nodes) if (!dead.has(peer) && node.nextDeadline() <= now) deliver(peer, node.handle({ type: 'tick', now }), now)
      }
    },
    leaderOf: (peer: string) => nodes.get(peer)!.snapshot().leader,
  }
}

test('the highest score wins, ties broken by the greater peer id', () => {
  const c = cluster({ a: 0.5, b: 0.9, c: 0.3, d: 0.9 })
  c.run(0, JOIN_WAIT_MS + JOIN_JITTER_MS + 2000)
  for (const peer of ['a', 'b', 'c', 'd']) assert.equal(c.leaderOf(peer), 'd')
  assert.equal(c.nodes.get('d')!.snapshot().role, 'leader')
})

test('when the leader stops, the next one takes office within 3 heartbeat intervals', () => {
  const c = cluster({ a: 0.5, b: 0.8, c: 0.3, d: 0.9 })
  c.run(0, 5000)
  assert.equal(c.leaderOf('a'), 'd')
  const killedAt = 5000
  c.kill('d')
  let electedAt = Infinity
  for (let now = killedAt; now <= killedAt + 3 * HEARTBEAT_INTERVAL_MS && electedAt === Infinity; now += 10) {
    c.run(now, now, 10)
    if (c.nodes.get('b')!.snapshot().role === 'leader') electedAt = now
  }
  assert.ok(electedAt - killedAt <= 3 * HEARTBEAT_INTERVAL_MS, `elected ${electedAt - killedAt} ms after the kill`)
  c.run(electedAt, electedAt + 500, 10)
  for (const peer of ['a', 'c']) assert.equal(c.leaderOf(peer), 'b')
})

test('a higher-scored node joining takes over from a live leader (bully)', () => {
  const c = cluster({ a: 0.5, b: 0.6 })
  c.run(0, 4000)
  assert.equal(c.leaderOf('a'), 'b')
  const joiner = createElection({ ...base, now: 4000, self: 'z', score: 0.95, members: ['a', 'b'] })
  c.nodes.set('z', joiner)
  for (const node of [c.nodes.get('a')!, c.nodes.get('b')!]) node.handle({ type: 'peer-up', now: 4000, peer: 'z' })
  c.run(4000, 8000)
  for (const peer of ['a', 'b', 'z']) assert.equal(c.leaderOf(peer), 'z')
})

test('a coordinator of an older term is ignored (a dead leader’s late heartbeat)', () => {
  const node = createElection({ ...base, self: 'a', score: 0.1, members: ['old', 'new'] })
  const coordinator = (term: number, score: number): ElectionMessage => ({ type: 'coordinator', level: 'subgrid', group, term, score })
  node.handle({ type: 'message', now: 10, from: 'new', message: coordinator(5, 0.5) })
  assert.equal(node.snapshot().leader, 'new')
  const outputs = node.handle({ type: 'message', now: 20, from: 'old', message: coordinator(4, 0.9) })
  assert.deepEqual(outputs, [])
  assert.equal(node.snapshot().leader, 'new')
  assert.equal(node.snapshot().term, 5)
  // The same message with a newer term is obeyed: the check is the term, not the sender.
  node.handle({ type: 'message', now: 30, from: 'old', message: coordinator(6, 0.9) })
  assert.equal(node.snapshot().leader, 'old')
})

test('a follower whose leader goes silent elects after the failure timeout, not before', () => {
  const node = createElection({ ...base, self: 'a', score: 0.9, members: ['b'] })
  node.handle({ type: 'message', now: 0, from: 'b', message: { type: 'coordinator', level: 'subgrid', group, term: 1, score: 0.95 } })
  assert.deepEqual(node.handle({ type: 'tick', now: FAILURE_TIMEOUT_MS - 1 }), [])
  const outputs = node.handle({ type: 'tick', now: FAILURE_TIMEOUT_MS })
  assert.ok(outputs.some((o) => o.type === 'effect' && o.effect.type === 'leader-changed' && o.effect.leader === null))
  // b is known to outrank a, so a asks b; silence for ANSWER_TIMEOUT_MS makes a the leader.
  assert.ok(outputs.some((o) => o.type === 'send' && o.to === 'b' && o.message.type === 'election'))
  node.handle({ type: 'tick', now: FAILURE_TIMEOUT_MS + ANSWER_TIMEOUT_MS })
  assert.equal(node.snapshot().role, 'leader')
  assert.ok(node.snapshot().term > 1)
})
