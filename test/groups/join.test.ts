/**
 * The join protocol (seed patent Figs. 4A/4B, DESIGN.md steps 1–5), branch by branch, on
 * in-process members over the in-memory network: the first member, a member with access only, a
 * backup host joining before and after the primary host, the primary host joining last with backup
 * hosts already in, a resource with no host yet, and joins over a lossy network.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createGroupState } from '../../main/groups/index.ts'
import { createNetwork, type Network } from './network.ts'

const GROUP = 'g1'
const newGroup = () => createGroupState({ id: GROUP, name: 'Photos', copies: 2 })
const steps = (net: Network, peer: string) => net.logs(peer).map((l) => l.step).filter((s) => s.startsWith('join'))
const sentTypes = (net: Network, peer: string) => net.node(peer).sent.map((s) => s.type)

/** P alone in a new group (so its acting primary), then R joins through it with access to `resources` only. */
function readerJoinsPrimary(resources: string[]): Network {
  const net = createNetwork()
  net.create('P', newGroup(), { owns: 'primary' })
  net.join('P', GROUP)
  net.add('R', { access: resources })
  net.run(50)
  net.join('R', GROUP, 'P')
  net.run(1000)
  return net
}

/** Every live member holds the same hosts and subgroups. */
function assertSameState(net: Network, peers: string[]): void {
  const views = peers.map((p) => {
    const s = net.node(p).member!.snapshot()
    return JSON.stringify({ resources: s.resources, members: s.members.map((m) => ({ peer: m.peer, subgroups: m.subgroups, hosts: m.hosts })) })
  })
  for (const view of views) assert.equal(view, views[0])
}

test('the first member uses its own copy of the group state, and as primary host takes epoch 1', () => {
  const net = createNetwork()
  net.create('P', newGroup(), { owns: 'primary' })
  net.join('P', GROUP)
  net.run(100)
  assert.deepEqual(steps(net, 'P').slice(0, 4), ['join-1', 'join-2', 'join-3', 'join-5'])
  assert.ok(!sentTypes(net, 'P').includes('join-request'), 'nobody to ask')
  assert.deepEqual(net.effectsOf('P', 'become-acting-primary'), [{ type: 'become-acting-primary', epoch: 1 }])
  const snap = net.node('P').member!.snapshot()
  assert.equal(snap.role, 'primary')
  assert.deepEqual(snap.resources.map((r) => r.host), ['P', null, null])
  assert.deepEqual(snap.members.map((m) => m.subgroups), [['primary']])
  // Its state is persisted, and its K backup resources still need hosts.
  assert.equal(net.node('P').persisted?.state.hosts.primary?.peer, 'P')
  net.run(1000)
  assert.deepEqual(net.effectsOf('P', 'recruit-backup-needed').map((e) => e.resource).sort(), ['backup-1', 'backup-2'])
})

test('a member with access only gets the group state from the primary, and the configuration from the host (step 4)', () => {
  const net = readerJoinsPrimary(['primary'])
  assert.deepEqual(steps(net, 'R').slice(0, 4), ['join-1', 'join-1', 'join-2', 'join-3'])
  assert.ok(net.logs('P', 'join-1').some((l) => l.peer === 'R'), 'the primary sent R its copy')
  assert.ok(net.logs('P', 'join-4').some((l) => l.peer === 'R' && l.resource === 'primary'))
  const [config] = net.effectsOf('R', 'resource-config')
  assert.deepEqual(config, { type: 'resource-config', resource: 'primary', from: 'P', config: { host: 'P', resource: 'primary' } })
  assert.ok(net.logs('R', 'join-4').some((l) => l.peer === 'P'), 'R logs the configuration under step 4')
  assert.equal(net.node('R').member!.snapshot().role, 'reader')
  assert.equal(net.node('P').mirroring.size, 0, 'nobody to mirror to: R hosts nothing')
  assertSameState(net, ['P', 'R'])
})

test('a backup host joining before the primary host waits; mirroring starts when the primary host joins', () => {
  const net = createNetwork()
  net.create('B1', newGroup(), { owns: 'backup-1' })
  net.join('B1', GROUP)
  net.run(2000)
  assert.deepEqual(steps(net, 'B1').slice(0, 5), ['join-1', 'join-2', 'join-3', 'join-5', 'join-5'])
  assert.equal(net.acting().length, 0, 'a backup host never begins the sequence')
  assert.equal(net.effectsOf('B1', 'start-mirroring').length, 0)

  net.add('P', { owns: 'primary' })
  net.join('P', GROUP, 'B1')
  net.run(2500)
  assert.ok(net.logs('B1', 'join-1').some((l) => l.peer === 'P'), 'B1 sent P its copy')
  assert.deepEqual(net.effectsOf('P', 'become-acting-primary'), [{ type: 'become-acting-primary', epoch: 1 }])
  assert.deepEqual([...net.node('P').mirroring], ['B1/backup-1'])
  assert.ok(net.logs('P', 'join-5').some((l) => l.peer === 'B1' && l.resource === 'backup-1'), 'P logs starting to mirror to B1 under step 5')
  net.propose('P', 'first change')
  net.run(3000)
  assert.deepEqual(net.node('B1').copy.map((u) => u.payload), ['first change'])
  assertSameState(net, ['P', 'B1'])
})

test('a backup host joining after the primary host: the primary starts mirroring to it (step 5)', () => {
  const net = createNetwork()
  net.create('P', newGroup(), { owns: 'primary' })
  net.join('P', GROUP)
  net.propose('P', 'before B1')
  net.add('B1', { owns: 'backup-1' })
  net.run(50)
  net.join('B1', GROUP, 'P')
  net.run(1000)
  assert.ok(net.logs('P', 'join-3').some((l) => l.peer === 'B1'), 'the primary updated its state from the announcement')
  assert.ok(net.logs('P', 'join-5').some((l) => l.peer === 'B1' && l.resource === 'backup-1'))
  assert.deepEqual([...net.node('P').mirroring], ['B1/backup-1'])
  assert.deepEqual(net.node('B1').copy.map((u) => u.payload), ['before B1'], 'what was sequenced before it joined reaches it too')
  assert.equal(net.node('P').member!.snapshot().copies.find((c) => c.resource === 'backup-1')?.state, 'in-sync')
})

test('the primary host joining last starts mirroring to every backup host already in (step 5)', () => {
  const net = createNetwork()
  net.create('B1', newGroup(), { owns: 'backup-1' })
  net.join('B1', GROUP)
  net.add('B2', { owns: 'backup-2' })
  net.add('R', { access: ['primary', 'backup-1'] })
  net.run(50)
  net.join('B2', GROUP, 'B1')
  net.join('R', GROUP, 'B1')
  net.run(1000)
  assert.ok(net.logs('B2', 'join-5').some((l) => l.resource === 'backup-2'), 'B2 sends its configuration to its subgroup')
  assert.deepEqual(net.effectsOf('R', 'resource-config').map((c) => c.resource), ['backup-1'], 'R gets backup-1 from its host; the primary resource has none yet')

  net.add('P', { owns: 'primary' })
  net.join('P', GROUP, 'B2')
  net.run(2000)
  assert.deepEqual([...net.node('P').mirroring].sort(), ['B1/backup-1', 'B2/backup-2'])
  assert.equal(net.logs('P', 'join-5').filter((l) => l.peer !== undefined).length, 2, 'one step-5 mirroring line per backup host')
  assert.ok(net.effectsOf('P', 'start-mirroring').every((e) => e.host !== 'R'), 'a member with access only is no copy')
  // Step 5 for P: it sends the primary resource's configuration to its subgroup, where R is.
  assert.ok(net.effectsOf('R', 'resource-config').some((c) => c.resource === 'primary' && c.from === 'P'))
  assertSameState(net, ['P', 'B1', 'B2', 'R'])
})

test('a resource with no host yet: the member waits, and gets the configuration when a host joins (step 5 of the host)', () => {
  const net = readerJoinsPrimary(['backup-2'])
  assert.ok(net.logs('R', 'join-4').some((l) => l.resource === 'backup-2' && l.peer === undefined), 'R logs that backup-2 has no host')
  assert.equal(net.effectsOf('R', 'resource-config').length, 0)

  net.add('B2', { owns: 'backup-2' })
  net.join('B2', GROUP, 'P')
  net.run(2000)
  assert.deepEqual(net.effectsOf('R', 'resource-config').map((c) => [c.resource, c.from]), [['backup-2', 'B2']])
  assert.ok(net.logs('R', 'join-5').some((l) => l.peer === 'B2'), 'received under the host’s step 5')
  assert.ok(net.node('P').mirroring.has('B2/backup-2'))
})

test('joins complete and every member agrees on the state over a network that loses, duplicates and reorders messages', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const net = createNetwork({ seed, loss: 0.3, duplicate: 0.2, delay: [1, 80] })
    net.create('P', newGroup(), { owns: 'primary' })
    net.join('P', GROUP)
    for (const [peer, access] of [
      ['B1', { owns: 'backup-1' }],
      ['B2', { owns: 'backup-2' }],
      ['R', { access: ['primary'] }],
    ] as const) {
      net.add(peer, access)
      net.join(peer, GROUP, 'P')
    }
    const all = ['P', 'B1', 'B2', 'R']
    const done = net.runUntil(() => all.every((p) => net.node(p).member!.snapshot().members.length === 4) && net.effectsOf('R', 'resource-config').length > 0, 20_000)
    assert.ok(done, `seed ${seed}: the joins did not converge`)
    net.setLoss(0, 0)
    net.run(net.now + 2000)
    assertSameState(net, all)
    assert.deepEqual([...net.node('P').mirroring].sort(), ['B1/backup-1', 'B2/backup-2'], `seed ${seed}`)
  }
})
