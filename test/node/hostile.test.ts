/**
 * A stranger with a real libp2p host attacks a real node: streams on members-only protocols are
 * refused and the connection is closed within the proof deadline; garbage, wrongly shaped and
 * oversized messages on the protocols open to strangers abort only their stream, and those
 * protocols answer a stranger only so often. The node keeps serving, and a real member can still join.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Connection } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createHost, type GridHost } from '../../main/p2p/host.ts'
import { MAX_MESSAGE_BYTES, request } from '../../main/p2p/messaging.ts'
import { createTrafficCounter } from '../../main/p2p/traffic.ts'
import { OVERLAY_PROTOCOLS } from '../../main/overlay/wire.ts'
import { PROOF_DEADLINE_MS, PUBLIC_RATE } from '../../main/vo/constants.ts'
import { NearbyAnswerSchema, VO_PROTOCOLS } from '../../main/vo/wire.ts'
import { formVo, startNodes } from '../harness/node-process.ts'

/** Slack over the proof deadline for the close to travel back on a loaded machine. */
const CLOSE_SLACK_MS = 3000

async function stranger(t: { after: (fn: () => Promise<void>) => void }): Promise<GridHost> {
  const host = await createHost({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], metrics: createTrafficCounter().metrics, mdns: false })
  await host.start()
  t.after(async () => {
    await host.stop()
  })
  return host
}

/** Sends raw bytes as one length-prefixed message and reports whether any answer came back. */
async function sendRaw(connection: Connection, protocol: string, bytes: Uint8Array): Promise<'answered' | 'aborted'> {
  const stream = await connection.newStream(protocol, { signal: AbortSignal.timeout(5000) })
  const framed = lpStream(stream, { maxDataLength: 4 * MAX_MESSAGE_BYTES })
  try {
    await framed.write(bytes, { signal: AbortSignal.timeout(5000) })
    await framed.read({ signal: AbortSignal.timeout(5000) })
    return 'answered'
  } catch {
    return 'aborted'
  }
}

test('a stranger can run nothing but the public protocols, and is cut off within the proof deadline', async (t) => {
  const [node] = await startNodes(t, ['target'])
  assert.ok(node)
  await formVo([node])
  const host = await stranger(t)
  const disconnected = new Promise<number>((resolve) => host.addEventListener('peer:disconnect', () => resolve(performance.now()), { once: true }))
  const openedAt = performance.now()
  const connection = await host.dial(multiaddr(node.addr))

  const outcome = await sendRaw(connection, OVERLAY_PROTOCOLS.message, dagCbor.encode({ type: 'noise' })).catch(() => 'aborted' as const)
  assert.equal(outcome, 'aborted', 'a members-only protocol is refused to a stranger')

  const closedAfter = (await Promise.race([disconnected, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('not disconnected')), PROOF_DEADLINE_MS + CLOSE_SLACK_MS))])) - openedAt
  assert.ok(closedAfter <= PROOF_DEADLINE_MS + CLOSE_SLACK_MS, `closed after ${closedAfter} ms`)
})

test('garbage, misshapen and oversized messages abort their stream only; the node carries on', async (t) => {
  const [node, member] = await startNodes(t, ['target', 'member'])
  assert.ok(node && member)
  await formVo([node])
  const host = await stranger(t)

  const attacks: Array<[string, Uint8Array]> = [
    ['not CBOR', new Uint8Array([0xff, 0xfe, 0x00, 0x13, 0x37])],
    ['CBOR of the wrong shape', dagCbor.encode({ token: 42, extra: ['x'] })],
    ['a proof that is not one', dagCbor.encode({ charter: 'no', chain: [], addrs: [] })],
    ['oversized', new Uint8Array(MAX_MESSAGE_BYTES + 1024)],
  ]
  for (const protocol of [VO_PROTOCOLS.join, VO_PROTOCOLS.auth, VO_PROTOCOLS.nearby, VO_PROTOCOLS.request]) {
    for (const [what, bytes] of attacks) {
      // A fresh connection each time: the node closes an unproven one at its deadline anyway.
      const connection = await host.dial(multiaddr(node.addr))
      assert.equal(await sendRaw(connection, protocol, bytes), 'aborted', `${protocol}: ${what}`)
      await connection.close().catch(() => undefined)
    }
  }

  const status = await node.client.status({})
  assert.equal(status.node.peerId, node.peerId, 'the node still answers')
  const { token } = await node.client.voInvite({})
  assert.equal((await member.client.voJoin({ token })).role, 'member', 'a real member still joins')
})

test('a stranger learns which VO a node is in, by id and name only, and only so often', async (t) => {
  const [node] = await startNodes(t, ['target'])
  assert.ok(node)
  const vo = await node.client.voCreate({ name: 'Lab' })
  const host = await stranger(t)
  const connection = await host.dial(multiaddr(node.addr))
  const ask = () => request(connection, VO_PROTOCOLS.nearby, {}, NearbyAnswerSchema)

  // A burst is answered; the one after it is refused until the bucket refills.
  for (let i = 0; i < PUBLIC_RATE.perPeer.burst; i++) assert.deepEqual(await ask(), { ok: true, vo: { id: vo.id, name: 'Lab' }, admits: true })
  const refused = await ask()
  assert.equal(refused.ok, false)
  assert.equal(refused.ok === false && refused.error.code, 'RATE_LIMITED')
})
