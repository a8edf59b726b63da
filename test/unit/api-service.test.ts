import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createApiClient, type ApiTransport } from '../../shared/api/client.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { createApiService } from '../../main/api/service.ts'
import { createLogger } from '../../main/log/logger.ts'
import { fixtureHandlers } from '../harness/fixtures.ts'

const peer = { peerId: '12D3KooWpeer', addrs: ['/ip4/127.0.0.1/tcp/1'], latencyMs: 3 }
const handlers = fixtureHandlers({
  peers: async () => [peer],
  connect: async ({ multiaddr }) => {
    if (multiaddr === '/unreachable') throw new GridNodeError('DIAL_FAILED', 'no route')
    if (multiaddr === '/bug') throw new TypeError('boom')
    return peer
  },
})
const service = createApiService({ handlers, subscribe: () => () => undefined, logger: createLogger({ level: 'silent' }) })

test('calls are validated against the contract before any handler runs', async () => {
  assert.deepEqual(await service.call('peers', {}), { ok: true, value: [peer] })
  for (const [method, input, code] of [
    ['nope', {}, 'UNKNOWN_METHOD'],
    ['toString', {}, 'UNKNOWN_METHOD'],
    ['connect', {}, 'INVALID_INPUT'],
    ['connect', { multiaddr: '' }, 'INVALID_INPUT'],
    ['connect', { multiaddr: 'x'.repeat(2000) }, 'INVALID_INPUT'],
    ['status', [], 'INVALID_INPUT'],
  ] as const) {
    const result = await service.call(method, input)
    assert.equal(result.ok, false)
    assert.equal(!result.ok && result.error.code, code, `${method} ${JSON.stringify(input).slice(0, 30)}`)
  }
})

test('handler errors keep their code; unexpected ones become INTERNAL', async () => {
  const dial = await service.call('connect', { multiaddr: '/unreachable' })
  assert.deepEqual(dial, { ok: false, error: { code: 'DIAL_FAILED', message: 'no route' } })
  const bug = await service.call('connect', { multiaddr: '/bug' })
  assert.equal(!bug.ok && bug.error.code, 'INTERNAL')
})

test('the typed client turns error envelopes into GridNodeErrors and refuses answers off-contract', async () => {
  const direct: ApiTransport = { call: (method, input) => service.call(method, input), events: async () => undefined }
  const client = createApiClient(direct)
  assert.deepEqual(await client.peers({}), [peer])
  await assert.rejects(client.connect({ multiaddr: '/unreachable' }), (err) => err instanceof GridNodeError && err.code === 'DIAL_FAILED')

  const lying: ApiTransport = { call: async () => ({ ok: true, value: [{ peerId: 7 }] }), events: async () => undefined }
  await assert.rejects(createApiClient(lying).peers({}), (err) => err instanceof GridNodeError && err.code === 'BAD_RESPONSE')
  const garbage: ApiTransport = { call: async () => 'garbage', events: async () => undefined }
  await assert.rejects(createApiClient(garbage).status({}), (err) => err instanceof GridNodeError && err.code === 'BAD_RESPONSE')
})
