/**
 * Validation at both levels: the wire schemas refuse malformed messages and persisted records
 * (so the adapter can close the stream), and a member refuses well-formed messages that make no
 * sense for it — another group, a stranger, an older epoch, a non-primary's update, a non-host's
 * configuration — with a logged reason, never an exception.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createGroupMember, createGroupState, parseGroupMessage, parsePersistedGroup, type GroupEffect, type GroupMember, type GroupMessage, type Output } from '../../main/groups/index.ts'
import { seededRandom } from '../../main/util/random.ts'
import { createNetwork, startGroup } from './network.ts'

const access = (owns: string | null) => ({ canAccess: () => false, owns: (r: { id: string }) => (r.id === owns ? { path: '/data' } : null) })
const logs = (outputs: Output[]) => outputs.flatMap((o) => (o.type === 'effect' && o.effect.type === 'log' ? [o.effect] : []))
const effects = (outputs: Output[], type: GroupEffect['type']) => outputs.filter((o) => o.type === 'effect' && o.effect.type === type)
const reasons = (outputs: Output[]) => logs(outputs).flatMap((l) => (l.reason === undefined ? [] : [l.reason]))

const update = (epoch: number, seq: number): GroupMessage => ({ type: 'update', group: 'g1', epoch, update: { epoch, seq, prevEpoch: seq === 1 ? 0 : epoch, size: 1, payload: 'x' } })

test('the wire schema accepts the messages members send and refuses malformed ones', () => {
  const net = createNetwork()
  startGroup(net)
  net.propose('P', { path: 'a.txt' })
  net.run(net.now + 500)
  // Every message the members sent went through parseGroupMessage on delivery.
  assert.deepEqual(net.violations, [])
  const bad: unknown[] = [
    null,
    'heartbeat',
    { type: 'nonsense', group: 'g1', epoch: 1 },
    { type: 'join-request', epoch: 1 },
    { type: 'join-request', group: 'g1', epoch: -1 },
    { type: 'join-request', group: 'x'.repeat(1000), epoch: 1 },
    { type: 'update', group: 'g1', epoch: 1, update: { epoch: 1, seq: 0, prevEpoch: 0, size: 1, payload: 'x' } },
    { type: 'update', group: 'g1', epoch: 1, update: { epoch: 1, seq: 1, prevEpoch: 0, size: 1.5, payload: 'x' } },
    { type: 'ack', group: 'g1', epoch: 1, applied: { epoch: 1, seq: 1 } },
    { type: 'state', group: 'g1', epoch: 1, state: { ...createGroupState({ id: 'g1', name: 'n' }), backupOrder: ['backup-1'] } },
    { type: 'state', group: 'g1', epoch: 1, state: { ...createGroupState({ id: 'g1', name: 'n' }), hosts: { elsewhere: { peer: 'P', version: 1 } } } },
    { type: 'resource-config', group: 'g1', epoch: 1, resource: 'primary', config: {}, step: 3 },
  ]
  for (const input of bad) assert.equal(parseGroupMessage(input).ok, false, JSON.stringify(input)?.slice(0, 80))
  assert.equal(parseGroupMessage(update(1, 1)).ok, true)
})

test('a persisted record round-trips through its schema; a damaged one is refused', () => {
  const net = createNetwork()
  startGroup(net)
  const record = JSON.parse(JSON.stringify(net.node('B1').persisted))
  const parsed = parsePersistedGroup(record)
  assert.ok(parsed.ok)
  assert.equal(parsed.value.state.hosts['backup-1']?.peer, 'B1')
  assert.equal(parsePersistedGroup({ ...record, v: 2 }).ok, false)
  assert.equal(parsePersistedGroup({ ...record, vote: { epoch: 0, peer: 'P' } }).ok, false)
})

test('a member refuses messages for another group, from strangers, of an older epoch, and authority it does not have', () => {
  const member: GroupMember = createGroupMember({ self: 'B1', now: 0, persisted: { v: 1, state: createGroupState({ id: 'g1', name: 'Photos' }), vote: null, applied: { epoch: 0, seq: 0 }, configs: {} } })
  const state = createGroupState({ id: 'g1', name: 'Photos' })
  state.members = { P: { incarnation: 1, subgroups: ['primary'], left: false }, B1: { incarnation: 1, subgroups: ['backup-1'], left: false } }
  state.hosts = { primary: { peer: 'P', version: 1 }, 'backup-1': { peer: 'B1', version: 1 } }
  state.primary = { epoch: 3, peer: 'P' }
  const fresh = createGroupMember({ self: 'B1', now: 0, state })
  fresh.handle({ type: 'join', now: 0, access: access('backup-1') })
  const at = (message: GroupMessage, from = 'P') => fresh.handle({ type: 'message', now: 10, from, message })

  assert.deepEqual(reasons(member.handle({ type: 'message', now: 1, from: 'P', message: update(1, 1) })), ['not-joined'])
  assert.deepEqual(reasons(at({ ...update(3, 1), group: 'other' })), ['wrong-group'])
  assert.deepEqual(reasons(at(update(3, 1), 'mallory')), ['unknown-member'])
  const stale = at(update(2, 1))
  assert.deepEqual(reasons(stale), ['stale-epoch'])
  assert.equal(effects(stale, 'refused-stale').length, 1)
  assert.ok(stale.some((o) => o.type === 'send' && o.to === 'P' && o.message.type === 'stale'), 'the sender is told the newer epoch')
  assert.equal(effects(stale, 'apply-update').length, 0)
  // Same epoch, but not from the primary of that epoch.
  state.members.B2 = { incarnation: 1, subgroups: [], left: false }
  assert.deepEqual(reasons(at({ type: 'announce', group: 'g1', epoch: 3, record: state.members.B2, hosts: {}, applied: { epoch: 0, seq: 0 } }, 'B2')), [])
  assert.deepEqual(reasons(at(update(3, 1), 'B2')), ['not-primary'])
  assert.deepEqual(reasons(at({ type: 'ack', group: 'g1', epoch: 3, applied: { epoch: 3, seq: 1 }, diverged: false }, 'B2')), ['not-primary'])
  assert.deepEqual(reasons(at({ type: 'resource-config', group: 'g1', epoch: 3, resource: 'primary', config: {}, step: 4 }, 'B2')), ['not-host'])
  assert.deepEqual(reasons(at({ type: 'announce', group: 'g1', epoch: 3, record: state.members.B2, hosts: { primary: { peer: 'P', version: 9 } }, applied: { epoch: 0, seq: 0 } }, 'B2')), ['not-allowed'])
  // And the right update is applied.
  assert.equal(effects(at(update(3, 1)), 'apply-update').length, 1)
})

test('a member never throws on any well-formed message, and everything it sends is well-formed', () => {
  const random = seededRandom(7)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const peers = ['P', 'B1', 'B2', 'X']
  const resources = ['primary', 'backup-1', 'backup-2', 'nope']
  const position = () => ({ epoch: Math.floor(random() * 4), seq: Math.floor(random() * 5) })
  const ref = () => (random() < 0.3 ? null : { epoch: 1 + Math.floor(random() * 4), peer: pick(peers) })
  const record = () => ({ incarnation: Math.floor(random() * 4), subgroups: [pick(resources.slice(0, 3))], left: random() < 0.2 })
  const state = () => {
    const s = createGroupState({ id: 'g1', name: 'Photos' })
    s.members = { [pick(peers)]: record(), [pick(peers)]: record() }
    s.hosts = { [pick(resources.slice(0, 3))]: { peer: pick([...peers, null]), version: Math.floor(random() * 4) } }
    s.primary = ref()
    return s
  }
  const messages: (() => unknown)[] = [
    () => ({ type: 'join-request' }),
    () => ({ type: 'state-request' }),
    () => ({ type: 'state', state: state() }),
    () => ({ type: 'announce', record: record(), hosts: { [pick(resources.slice(0, 3))]: { peer: pick([...peers, null]), version: Math.floor(random() * 4) } }, applied: position() }),
    () => ({ type: 'resource-config', resource: pick(resources), config: { k: 1 }, step: pick([4, 5]) }),
    () => ({ type: 'heartbeat', primary: ref(), acting: random() < 0.5, applied: position(), clock: { members: { [pick(peers)]: 3 }, hosts: {} } }),
    () => {
      const seq = 1 + Math.floor(random() * 5)
      const epoch = 1 + Math.floor(random() * 3)
      return { type: 'update', update: { epoch, seq, prevEpoch: Math.floor(random() * epoch + 1), size: 3, payload: [seq] } }
    },
    () => ({ type: 'ack', applied: position(), diverged: random() < 0.2 }),
    () => ({ type: 'resend', from: 1 + Math.floor(random() * 5) }),
    () => ({ type: 'full', resource: pick(resources) }),
    () => ({ type: 'claim', last: position(), handover: random() < 0.3 }),
    () => ({ type: 'vote', claim: 1 + Math.floor(random() * 4), granted: random() < 0.5, last: position() }),
    () => ({ type: 'handover', last: position() }),
    () => ({ type: 'stale', primary: ref() }),
    () => ({ type: 'invite', resource: pick(resources), name: 'x' }),
    () => ({ type: 'dissolve' }),
  ]
  for (const [self, owns] of [
    ['P', 'primary'],
    ['B1', 'backup-1'],
  ] as const) {
    const member = createGroupMember({ self, now: 0, state: createGroupState({ id: 'g1', name: 'Photos' }) })
    member.handle({ type: 'join', now: 0, access: access(owns) })
    for (let i = 1; i <= 3000; i++) {
      const raw = { ...(pick(messages)() as object), group: random() < 0.95 ? 'g1' : 'g2', epoch: Math.floor(random() * 5) }
      const parsed = parseGroupMessage(raw)
      if (!parsed.ok) continue
      const outputs = member.handle({ type: 'message', now: i * 10, from: pick(peers.filter((p) => p !== self)), message: parsed.value })
      if (i % 7 === 0) outputs.push(...member.handle({ type: 'tick', now: i * 10 }))
      if (i % 11 === 0) outputs.push(...member.handle({ type: 'propose', now: i * 10, payload: i, size: 1 }))
      for (const o of outputs) if (o.type === 'send') assert.ok(parseGroupMessage(JSON.parse(JSON.stringify(o.message))).ok, `${self} sent an invalid ${o.message.type}`)
      member.snapshot()
    }
  }
})
