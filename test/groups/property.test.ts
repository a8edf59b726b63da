/**
 * A randomized check over many seeds: a group of three hosts and a spare, a lossy network that
 * duplicates and reorders, a stream of updates on whoever acts as primary, and one host killed at
 * a random moment (sometimes with its connections seen to close, sometimes restarted later) or
cut off from the others for a while (a primary cut off goes on believing it is one); stores apply
updates with random delays, so a crash loses what was handed over but not yet stored.
 * Whatever happens: no two members ever act as primary in the same epoch, updates are applied in
 * order everywhere, and every update acknowledged to a user is in the final primary's copy at the
 * place it was acknowledged at.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { seededRandom } from '../../main/util/random.ts'
import { createNetwork, startGroup } from './network.ts'

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1)
const TIMING = { ackTimeoutMs: 2000, recruitGraceMs: 4000, recruitRetryMs: 4000 }

function runSeed(seed: number): string[] {
  const problems: string[] = []
  const net = createNetwork({ seed, loss: 0.05, duplicate: 0.05, delay: [1, 40], timing: TIMING })
  startGroup(net)
  net.add('S')
  net.spares.push('S')
  const random = seededRandom(seed * 7919)
  for (const node of net.nodes.values()) node.applyDelay = random() * 200 // stores that lag behind what they were handed
  const victim = (['P', 'B1', 'B2'] as const)[Math.floor(random() * 3)]!
  const start = net.now
  const killAt = start + 200 + random() * 4000
  const mode = (['kill', 'kill and restart', 'cut off'] as const)[Math.floor(random() * 3)]!
  const backAt = mode === 'kill' ? Infinity : killAt + 1000 + random() * 6000
  const closeConnections = random() < 0.5
  let killed = false
  let back = false
  let n = 0
  while (net.now < start + 15_000) {
    const [acting] = net.acting()
    if (acting !== undefined) net.propose(acting, `${seed}/${++n}`)
    net.run(net.now + 50 + random() * 100)
    if (!killed && net.now >= killAt) {
      if (mode === 'cut off') for (const other of net.nodes.keys()) net.partition(victim, other)
      else net.kill(victim, closeConnections)
      killed = true
    }
    if (!back && net.now >= backAt) {
      if (mode === 'cut off') net.heal()
      else net.restart(victim)
      back = true
    }
  }
  net.setLoss(0, 0)
  const live = [...net.nodes.values()].filter((node) => node.alive && node.member?.snapshot().phase === 'joined')
  const settled = () => net.acting().length === 1 && live.every((node) => node.member!.snapshot().primary === net.acting()[0])
  if (!net.runUntil(settled, 30_000)) problems.push(`no single agreed primary at the end (acting: ${net.acting().join(', ') || 'none'})`)

  for (const [epoch, peers] of net.primaries) if (peers.size > 1) problems.push(`epoch ${epoch} had primaries ${[...peers].join(', ')}`)
  problems.push(...net.violations)
  const [final] = net.acting()
  if (final !== undefined) {
    const copy = net.node(final).copy
    net.run(net.now + 5000) // the last updates reach every copy
    for (const node of live) {
      if (node.member!.snapshot().role !== 'primary' && node.member!.snapshot().role !== 'backup') continue
      if (JSON.stringify(node.copy.map((u) => u.payload)) !== JSON.stringify(copy.map((u) => u.payload))) problems.push(`${node.peer}'s copy differs from ${final}'s`)
    }
    for (const node of net.nodes.values()) {
      for (const ack of node.acked) {
        if (copy[ack.seq - 1]?.payload !== ack.payload) problems.push(`${node.peer}'s acknowledged update ${ack.seq} (${String(ack.payload)}) is not in ${final}'s copy`)
      }
    }
  }
  return problems.map((p) => `seed ${seed} (${mode}: ${victim}): ${p}`)
}

test('over 40 seeds with loss, duplicates, reordering and one host failing or cut off: one primary per epoch, and every acknowledged update survives', () => {
  const problems = SEEDS.flatMap(runSeed)
  assert.deepEqual(problems, [])
})
