/**
 * The framed channel over an in-memory libp2p stream pair: messages and payloads far bigger than
 * one protocol message arrive intact both ways at once; an oversized or lying payload is refused.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { streamPair } from '@libp2p/utils'
import { z } from 'zod'
import { GridNodeError } from '../../shared/errors.ts'
import { openChannel, PAYLOAD_CHUNK_BYTES } from '../../main/p2p/channel.ts'
import { MAX_MESSAGE_BYTES } from '../../main/p2p/messaging.ts'

const Ping = z.object({ n: z.number() })
const isCode = (code: string) => (err: unknown) => err instanceof GridNodeError && err.code === code

test('payloads of many messages and small messages travel both ways on one stream', async () => {
  const [a, b] = await streamPair()
  const left = openChannel(a, { maxPayloadBytes: 8 * MAX_MESSAGE_BYTES })
  const right = openChannel(b, { maxPayloadBytes: 8 * MAX_MESSAGE_BYTES })
  const big = new Uint8Array(randomBytes(4 * MAX_MESSAGE_BYTES + 17))
  const empty = new Uint8Array()
  const sending = (async () => {
    await left.send({ n: 1 })
    await left.sendPayload(big)
    await left.sendPayload(empty)
  })()
  const answering = right.send({ n: 2 })
  assert.deepEqual(await right.receive(Ping), { n: 1 })
  assert.deepEqual(await right.receivePayload(), big)
  assert.deepEqual(await right.receivePayload(), empty)
  assert.deepEqual(await left.receive(Ping), { n: 2 })
  await Promise.all([sending, answering])
})

test('a payload over the limit is refused from its header, before its bytes are kept', async () => {
  const [a, b] = await streamPair()
  const sender = openChannel(a, { maxPayloadBytes: 1 << 30 })
  const receiver = openChannel(b, { maxPayloadBytes: PAYLOAD_CHUNK_BYTES })
  void sender.sendPayload(new Uint8Array(PAYLOAD_CHUNK_BYTES + 1)).catch(() => undefined)
  await assert.rejects(receiver.receivePayload(), isCode('PAYLOAD_TOO_LARGE'))
})

test('a header that is not a size, or chunks beyond the announced size, are refused', async () => {
  const [a, b] = await streamPair()
  const sender = openChannel(a, { maxPayloadBytes: 1 << 20 })
  const receiver = openChannel(b, { maxPayloadBytes: 1 << 20 })
  await sender.send({ payload: -1 })
  await assert.rejects(receiver.receivePayload(), isCode('BAD_REQUEST'))

  const [c, d] = await streamPair()
  const liar = openChannel(c, { maxPayloadBytes: 1 << 20 })
  const victim = openChannel(d, { maxPayloadBytes: 1 << 20 })
  // The next frame (the following payload's 10-byte header) is more than the 5 bytes announced.
  await liar.send({ payload: 5 })
  await liar.sendPayload(new Uint8Array(20))
  await assert.rejects(victim.receivePayload(), isCode('BAD_REQUEST'))
})
