import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OverlayEffect, Output } from '../../main/overlay/core.ts'
import { createDiscovery, type Discovery } from '../../main/overlay/discovery.ts'
import type { Advertisement, DiscoveryMessage, QuerySpec } from '../../main/overlay/messages.ts'

const ad = (peer: string, cores: number, score = 0.5): Advertisement => ({ peer, subgrid: 's', region: 'r', cores, diskBytes: 1e9, load: 0, p: null, addrs: [], score })

/**
 * Region r1: super-peers sp1 (origin o's), sp2, sp3. Region r2: region peer rp2 and super-peer sp4.
 * `index` says what each super-peer's index holds.
 */
function network(index: Record<string, Advertisement[]>) {
  const r1 = ['sp1', 'sp2', 'sp3']
  const r2 = ['rp2', 'sp4']
  const received: Array<{ to: string; message: DiscoveryMessage }> = []
  const effects: OverlayEffect[] = []
  const nodes = new Map<string, Discovery>()
  for (const self of ['o', ...r1, ...r2]) {
    const region = r2.includes(self) ? r2 : r1
    nodes.set(
      self,
      createDiscovery(
        { self },
        {
          superPeer: () => (self === 'o' ? 'sp1' : self),
          matches: (spec: QuerySpec, limit: number, exclude: string) => (index[self] ?? []).filter((a) => a.peer !== exclude && a.cores >= (spec.cores ?? 0)).slice(0, limit),
          regionSuperPeers: () => region.filter((p) => p !== self),
          otherRegionPeers: () => (region === r1 ? ['rp2'] : ['sp1']),
        },
      ),
    )
  }
  const route = (outputs: Output[], now: number): void => {
    for (const o of outputs) {
      if (o.type === 'effect') effects.push(o.effect)
      else {
        received.push({ to: o.to, message: o.message as DiscoveryMessage })
        route(nodes.get(o.to)!.handle({ type: 'message', now, from: 'x', message: o.message as DiscoveryMessage }), now)
      }
    }
  }
  return {
    nodes,
    received,
    effects,
    route,
    discover: (want: number, spec: QuerySpec, ttl?: number) => route(nodes.get('o')!.handle({ type: 'discover', now: 0, id: 'q1', spec, want, ...(ttl === undefined ? {} : { ttl }) }), 0),
    result: () => effects.find((e) => e.type === 'discovery-result'),
  }
}

test('answered from the super-peer’s index, it stops there: no super-peer else is asked', () => {
  const net = network({ sp1: [ad('a', 4), ad('b', 8, 0.9)], sp2: [ad('c', 4)] })
  net.discover(2, { cores: 4 })
  const result = net.result()
  assert.ok(result?.type === 'discovery-result')
  assert.equal(result.satisfied, true)
  assert.deepEqual(result.candidates.map((c) => c.peer), ['b', 'a']) // ranked by score
  assert.deepEqual(result.path, ['o', 'sp1'])
  assert.equal(result.hops, 1)
  assert.ok(net.received.every((r) => r.to === 'sp1' || r.to === 'o'))
})

test('it widens to the region, then to other regions, and returns the path that found the last candidate', () => {
  const net = network({ sp2: [ad('c', 16)], rp2: [ad('d', 16)], sp4: [ad('e', 16, 0.9)] })
  net.discover(3, { cores: 16 })
  const result = net.result()
  assert.ok(result?.type === 'discovery-result')
  assert.equal(result.satisfied, true)
  assert.deepEqual(result.candidates.map((c) => c.peer), ['e', 'd', 'c']) // by score, ties by the greater peer id
  assert.deepEqual(result.path, ['o', 'sp1', 'rp2', 'sp4'])
  assert.equal(result.hops, 3)
})

test('the TTL bounds the path: with ttl 1 only the super-peer answers', () => {
  const net = network({ sp2: [ad('c', 16)] })
  net.discover(1, { cores: 16 }, 1)
  const result = net.result()
  assert.ok(result?.type === 'discovery-result')
  assert.equal(result.satisfied, false)
  assert.deepEqual(net.received.filter((r) => r.message.type === 'query').map((r) => r.to), ['sp1'])
  assert.ok(net.received.every((r) => r.message.type !== 'query' || r.message.ttl >= 0))
})

test('a query id is handled once: duplicates are dropped', () => {
  const net = network({ sp2: [ad('c', 4)] })
  const query: DiscoveryMessage = { type: 'query', id: 'dup', scope: 'answer', origin: 'o', coordinator: 'sp1', spec: { cores: 4 }, want: 1, ttl: 1, path: ['o', 'sp1'] }
  const sp2 = net.nodes.get('sp2')!
  const first = sp2.handle({ type: 'message', now: 0, from: 'sp1', message: query })
  const second = sp2.handle({ type: 'message', now: 5, from: 'sp3', message: query })
  assert.equal(first.length, 1)
  assert.deepEqual(second, [])
})

test('a super-peer that never answers: the origin retries once, then reports failure', () => {
  const origin = createDiscovery({ self: 'o' }, { superPeer: () => 'sp1', matches: () => [], regionSuperPeers: () => [], otherRegionPeers: () => [] })
  const sent = origin.handle({ type: 'discover', now: 0, id: 'q', spec: {}, want: 1 })
  assert.equal(sent.length, 1)
  const retry = origin.handle({ type: 'tick', now: origin.nextDeadline() })
  assert.ok(retry.length === 1 && retry[0]!.type === 'send' && retry[0]!.message.type === 'query' && retry[0]!.message.id !== 'q')
  const failed = origin.handle({ type: 'tick', now: origin.nextDeadline() })
  assert.ok(failed[0]?.type === 'effect' && failed[0].effect.type === 'discovery-result' && failed[0].effect.id === 'q' && !failed[0].effect.satisfied)
})
