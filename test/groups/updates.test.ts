/**
 * Ordered updates: the acting primary sequences (epoch, seq), backups apply strictly in order
 * whatever the network does, the user hears "safe" only once every in-sync backup stored an
 * update, and a backup that fell behind catches up update by update, or by a full resync once the
 * primary no longer keeps what it lacks.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createNetwork, payloads, startGroup } from './network.ts'

const TIMING = { ackTimeoutMs: 2000 }

test('under loss, duplication and reordering, every backup applies every update once and in order, and the user hears of each', () => {
  for (const seed of [1, 2, 3]) {
    const net = createNetwork({ seed, delay: [1, 60], timing: TIMING })
    startGroup(net)
    net.setLoss(0.2, 0.1)
    const sent = Array.from({ length: 60 }, (_, i) => `change ${i + 1}`)
    for (const change of sent) {
      net.propose('P', change)
      net.run(net.now + 20)
    }
    net.setLoss(0, 0)
    assert.ok(
      net.runUntil(() => net.node('P').acked.length === sent.length && ['B1', 'B2'].every((b) => net.node(b).copy.length === sent.length)),
      `seed ${seed}: not every update arrived`,
    )
    assert.deepEqual(net.violations, [], `seed ${seed}`)
    for (const peer of ['P', 'B1', 'B2']) assert.deepEqual(payloads(net, peer), sent, `seed ${seed}: ${peer}'s copy`)
    assert.deepEqual(
      net.node('P').acked.map((a) => a.seq),
      sent.map((_, i) => i + 1),
      'acknowledged to the user once each, in order',
    )
    assert.ok(['B1', 'B2'].some((b) => net.node(b).sent.some((s) => s.type === 'resend')), 'a backup asked for a gap to be filled')
  }
})

test('an update is acknowledged to the user only once every in-sync backup has stored it', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  net.node('B1').applyDelay = 300
  net.node('B2').applyDelay = 100
  const at = net.now
  net.propose('P', 'edit')
  net.runUntil(() => net.node('P').acked.length === 1, 5000)
  const [ack] = net.node('P').acked
  assert.ok(ack !== undefined && ack.at - at >= 300, 'not before the slower backup stored it')
  assert.ok(ack.at - at < TIMING.ackTimeoutMs, 'and without dropping it from the in-sync set')
})

test('a backup that stops answering holds acknowledgements back until it drops out of sync, then catches up when it returns', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net)
  net.block('P', 'B2')
  const at = net.now
  net.propose('P', { file: 'a.txt', bytes: 1024 })
  net.run(at + TIMING.ackTimeoutMs - 100)
  assert.equal(net.node('P').acked.length, 0, 'B1 stored it, but B2 is still in sync and has not')
  net.run(at + TIMING.ackTimeoutMs + 600)
  assert.equal(net.node('P').acked.length, 1, 'B2 fell out of the in-sync set: B1 suffices')
  const b2 = net.node('P').member!.snapshot().copies.find((c) => c.resource === 'backup-2')!
  assert.equal(b2.state, 'behind')
  assert.equal(b2.behindUpdates, 1)
  assert.equal(b2.behindBytes, JSON.stringify({ file: 'a.txt', bytes: 1024 }).length)
  assert.ok(net.logs('P', 'catch-up').some((l) => l.peer === 'B2'), 'the fall is in the event log')

  net.heal()
  assert.ok(net.runUntil(() => net.node('P').member!.snapshot().copies.every((c) => c.state === 'in-sync')))
  assert.deepEqual(payloads(net, 'B2'), payloads(net, 'P'))
  assert.equal(net.effectsOf('P', 'full-resync-needed').length, 0, 'resent from its last applied update, no full resync')
  // The member that lost the primary never deposed it: nobody voted for its claims.
  assert.deepEqual([...net.primaries.keys()], [1])
})

test('a backup missing updates the primary no longer keeps gets a full resync, then continues update by update', () => {
  const net = createNetwork({ timing: TIMING, logRetention: 8 })
  startGroup(net)
  net.propose('P', 'kept by all')
  net.run(net.now + 200)
  net.partition('P', 'B2')
  for (let i = 1; i <= 20; i++) {
    net.propose('P', `while B2 was away ${i}`)
    net.run(net.now + 50)
  }
  net.run(net.now + TIMING.ackTimeoutMs)
  assert.equal(net.node('P').acked.length, 21, 'acknowledged with B1 alone once B2 fell behind')
  net.heal()
  assert.ok(net.runUntil(() => net.node('P').member!.snapshot().copies.every((c) => c.state === 'in-sync')))
  const resyncs = net.effectsOf('P', 'full-resync-needed')
  assert.equal(resyncs.length, 1)
  assert.equal(resyncs[0]!.host, 'B2')
  assert.deepEqual(payloads(net, 'B2'), payloads(net, 'P'))
  net.propose('P', 'after the resync')
  net.run(net.now + 500)
  assert.deepEqual(payloads(net, 'B2'), payloads(net, 'P'))
  assert.deepEqual(net.violations, [])
})

test('only the acting primary sequences: a proposal elsewhere is refused with the primary named', () => {
  const net = createNetwork()
  startGroup(net)
  net.propose('B1', 'not here')
  assert.deepEqual(net.effectsOf('B1', 'propose-refused'), [{ type: 'propose-refused', reason: 'not-primary', primary: 'P' }])
  assert.equal(net.node('B1').copy.length, 0)
})

test('with K = 3 an update needs at least half of the other hosts, even when fewer are in sync (every election quorum then holds it)', () => {
  const net = createNetwork({ timing: TIMING })
  startGroup(net, 3)
  net.block('P', 'B2')
  net.block('P', 'B3')
  const at = net.now
  net.propose('P', 'edit')
  net.run(at + TIMING.ackTimeoutMs + 1000)
  const copies = net.node('P').member!.snapshot().copies
  assert.deepEqual(
    copies.map((c) => c.state),
    ['in-sync', 'behind', 'behind'],
  )
  assert.equal(net.node('P').acked.length, 0, 'B1 alone is not half of the three other hosts')
  net.heal()
  assert.ok(net.runUntil(() => net.node('P').acked.length === 1))
})
