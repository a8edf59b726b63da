import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AD_TTL_MS, REGISTER_INTERVAL_MS } from '../../main/overlay/constants.ts'
import type { Output } from '../../main/overlay/core.ts'
import type { Advertisement } from '../../main/overlay/messages.ts'
import { createRegistration } from '../../main/overlay/registration.ts'

const ad = (peer: string, cores = 4): Advertisement => ({ peer, subgrid: 's', region: 'r', cores, diskBytes: 1e9, load: 0.1, p: null, addrs: [], score: 0.5 })
const sends = (outputs: Output[]) => outputs.flatMap((o) => (o.type === 'send' ? [o] : []))

test('a member registers with a new super-peer at once and refreshes every interval', () => {
  const member = createRegistration({ self: 'm', ad: ad('m'), now: 0 })
  const first = sends(member.handle({ type: 'super-peer', now: 100, superPeer: 'sp' }))
  assert.deepEqual(first.map((s) => [s.to, s.message.type]), [['sp', 'register']])
  assert.equal(member.nextDeadline(), 100 + REGISTER_INTERVAL_MS)
  assert.equal(sends(member.handle({ type: 'tick', now: 100 + REGISTER_INTERVAL_MS - 1 })).length, 0)
  assert.equal(sends(member.handle({ type: 'tick', now: 100 + REGISTER_INTERVAL_MS })).length, 1)
})

test('the super-peer’s index expires ads not refreshed in time', () => {
  const sp = createRegistration({ self: 'sp', ad: ad('sp', 1), now: 0 })
  sp.handle({ type: 'super-peer', now: 0, superPeer: 'sp' })
  sp.handle({ type: 'message', now: 0, from: 'a', message: { type: 'register', ad: ad('a') } })
  sp.handle({ type: 'message', now: 1000, from: 'b', message: { type: 'register', ad: ad('b') } })
  assert.deepEqual(sp.matches({ cores: 2 }, 10, 'x', 1000).map((a) => a.peer).sort(), ['a', 'b'])
  sp.handle({ type: 'tick', now: AD_TTL_MS })
  assert.deepEqual(sp.matches({ cores: 2 }, 10, 'x', AD_TTL_MS).map((a) => a.peer), ['b'])
  assert.equal(sp.indexSize(AD_TTL_MS), 2) // b and the super-peer itself
})

test('an ad is indexed only from its own peer, and only by a super-peer', () => {
  const sp = createRegistration({ self: 'sp', ad: ad('sp'), now: 0 })
  sp.handle({ type: 'message', now: 0, from: 'a', message: { type: 'register', ad: ad('a') } })
  sp.handle({ type: 'super-peer', now: 0, superPeer: 'sp' })
  sp.handle({ type: 'message', now: 0, from: 'mallory', message: { type: 'register', ad: ad('a') } })
  assert.equal(sp.indexSize(0), 1)
})

test('after a re-election the new super-peer starts empty and is rebuilt by re-registrations', () => {
  const members = ['a', 'b', 'c'].map((peer) => createRegistration({ self: peer, ad: ad(peer), now: 0 }))
  const oldSp = createRegistration({ self: 'old', ad: ad('old'), now: 0 })
  const newSp = createRegistration({ self: 'new', ad: ad('new'), now: 0 })
  const route = (outputs: Output[], now: number) => {
    for (const s of sends(outputs)) if (s.message.type === 'register') (s.to === 'old' ? oldSp : newSp).handle({ type: 'message', now, from: s.message.ad.peer, message: s.message })
  }
  oldSp.handle({ type: 'super-peer', now: 0, superPeer: 'old' })
  for (const m of members) route(m.handle({ type: 'super-peer', now: 0, superPeer: 'old' }), 0)
  assert.equal(oldSp.indexSize(0), 4)
  // "new" was a member of the old super-peer; it wins the election and serves with an empty index.
  newSp.handle({ type: 'super-peer', now: 0, superPeer: 'old' })
  newSp.handle({ type: 'super-peer', now: 3000, superPeer: 'new' })
  assert.equal(newSp.indexSize(3000), 1)
  for (const m of members) route(m.handle({ type: 'super-peer', now: 3000, superPeer: 'new' }), 3001)
  assert.equal(newSp.indexSize(3001), 4)
})

test('a member whose connection drops leaves the index at once, and registers again when it is back', () => {
  const sp = createRegistration({ self: 'sp', ad: ad('sp'), now: 0 })
  const member = createRegistration({ self: 'a', ad: ad('a'), now: 0 })
  sp.handle({ type: 'super-peer', now: 0, superPeer: 'sp' })
  member.handle({ type: 'super-peer', now: 0, superPeer: 'sp' })
  sp.handle({ type: 'message', now: 0, from: 'a', message: { type: 'register', ad: ad('a') } })
  assert.equal(sp.indexSize(0), 2)
  sp.handle({ type: 'peer-down', now: 10, peer: 'a' })
  assert.deepEqual(sp.matches({}, 10, 'x', 10).map((a) => a.peer), ['sp'])
  assert.deepEqual(sends(member.handle({ type: 'peer-up', now: 20, peer: 'other' })), [])
  assert.deepEqual(sends(member.handle({ type: 'peer-up', now: 20, peer: 'sp' })).map((s) => [s.to, s.message.type]), [['sp', 'register']])
})
