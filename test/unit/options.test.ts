import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GridNodeError } from '../../shared/errors.ts'
import { DEFAULT_LISTEN, parseApiAddress, resolveNodeInit } from '../../main/node/options.ts'

test('API addresses parse as HOST:PORT, IPv6 in brackets', () => {
  assert.deepEqual(parseApiAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 })
  assert.deepEqual(parseApiAddress('localhost:8080'), { host: 'localhost', port: 8080 })
  assert.deepEqual(parseApiAddress('[::1]:9000'), { host: '::1', port: 9000 })
})

test('malformed API addresses are usage errors', () => {
  for (const bad of ['127.0.0.1', ':80', '127.0.0.1:99999', '::1:80', 'host:port', '']) {
    assert.throws(() => parseApiAddress(bad), (err) => err instanceof GridNodeError && err.code === 'USAGE' && err.exitCode === 2, bad)
  }
})

test('defaults: GRIDNODE_DATA, all interfaces for libp2p, a free loopback port for the API', (t) => {
  const saved = process.env.GRIDNODE_DATA
  process.env.GRIDNODE_DATA = '/tmp/from-env'
  t.after(() => {
    if (saved === undefined) delete process.env.GRIDNODE_DATA
    else process.env.GRIDNODE_DATA = saved
  })
  const init = resolveNodeInit({})
  assert.equal(init.dataDir, '/tmp/from-env')
  assert.deepEqual(init.listen, [DEFAULT_LISTEN])
  assert.deepEqual(init.api, { host: '127.0.0.1', port: 0 })
  assert.equal(init.mdns, true, 'people find their LAN by default')
  assert.equal(resolveNodeInit({ mdns: false }).mdns, false)
  assert.equal(resolveNodeInit({ data: '/tmp/flag' }).dataDir, '/tmp/flag', '--data wins over the environment')
})
