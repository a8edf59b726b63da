/**
 * Issue 2 on real processes: nodes on 127.0.0.1 connect through the CLI and see each other, keep
 * their identity across restarts and SIGKILL, refuse a shared data folder, stop cleanly on
 * signals, and their API refuses what it must.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Peer, Status } from '../../shared/api/schemas.ts'
import { cliErrorCode, runCli, runCliJson } from '../harness/cli.ts'
import { formVo, newDataDir, spawnNode, startNode, startNodes } from '../harness/node-process.ts'

test('two members connect with `gridnode connect` and each lists the other in status --json', async (t) => {
  // b and c each join through the admin; neither has met the other until c connects to b.
  const [admin, b, a] = await startNodes(t, ['admin', 'b', 'a'])
  assert.ok(admin && a && b)
  await formVo([admin, b, a])

  const connected = await runCliJson<Peer>(['connect', b.addr, '--data', a.dataDir])
  assert.equal(connected.peerId, b.peerId)

  const sees = (peerId: string) => (status: Status) => status.peers.some((p) => p.peerId === peerId && p.latencyMs !== null)
  await a.waitForStatus(sees(b.peerId), 'a to list b with a latency')
  await b.waitForStatus(sees(a.peerId), 'b to list a with a latency')

  const statusA = await runCliJson<Status>(['status', '--data', a.dataDir])
  assert.equal(statusA.node.peerId, a.peerId)
  assert.equal(statusA.node.dataDir, a.dataDir)
  assert.match(statusA.node.version, /^\d+\.\d+\.\d+/)
  assert.ok(statusA.node.uptimeSec >= 0)
  assert.ok(statusA.node.listen.every((addr) => addr.startsWith('/ip4/127.0.0.1/tcp/') && addr.endsWith(`/p2p/${a.peerId}`)))
  const peerB = statusA.peers.find((p) => p.peerId === b.peerId)
  assert.ok(peerB, 'a lists b')
  assert.ok(peerB.addrs.length > 0 && peerB.latencyMs !== null)

  const peersOfB = await runCliJson<Peer[]>(['peers', '--data', b.dataDir])
  assert.deepEqual(peersOfB.map((p) => p.peerId).sort(), [a.peerId, admin.peerId].sort())
})

test('a restart keeps the peer id, also after SIGKILL', async (t) => {
  const dataDir = await newDataDir('restart')
  const first = await startNode({ name: 'first', dataDir })
  assert.deepEqual(await first.signal('SIGTERM'), { code: 0, signal: null })
  assert.equal(existsSync(join(dataDir, 'api.json')), false, 'a clean stop removes api.json')

  const second = await startNode({ name: 'second', dataDir })
  assert.equal(second.peerId, first.peerId)
  assert.equal((await second.signal('SIGKILL')).signal, 'SIGKILL')

  const third = await startNode({ name: 'third', dataDir })
  t.after(() => third.stop())
  assert.equal(third.peerId, first.peerId, 'same identity after SIGKILL')
  assert.deepEqual((await third.client.status({})).peers, [])
  assert.equal((await stat(join(dataDir, 'identity.key'))).mode & 0o777, 0o600)
  assert.equal((await stat(join(dataDir, 'api.json'))).mode & 0o777, 0o600)
})

test('a second node on the same data folder is refused and the first keeps running', async (t) => {
  const [first] = await startNodes(t, ['first'])
  assert.ok(first)
  const second = spawnNode(first.dataDir)
  const exit = await second.exited
  assert.equal(exit.code, 1)
  assert.match(second.output(), /\(DATA_DIR_LOCKED\)/)

  const status = await first.client.status({})
  assert.equal(status.node.peerId, first.peerId, 'the first node still answers')
  const fromCli = await runCliJson<Status>(['status', '--data', first.dataDir])
  assert.equal(fromCli.node.peerId, first.peerId, 'api.json still points at the first node')
})

test('SIGINT and SIGTERM stop the node cleanly', async () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const node = await startNode({ name: signal })
    assert.deepEqual(await node.signal(signal), { code: 0, signal: null })
    assert.match(node.output(), /Stopped\./)
    assert.deepEqual(await node.crashes(), [])
    // The database lock was released: the folder opens again at once.
    const again = await startNode({ name: `${signal}-again`, dataDir: node.dataDir })
    assert.equal(again.peerId, node.peerId)
    await again.stop()
  }
})

test('`gridnode stop` stops the node through its API', async () => {
  const node = await startNode({ name: 'stop' })
  const result = await runCli(['stop', '--data', node.dataDir])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(await node.exited, { code: 0, signal: null })
  assert.equal(existsSync(join(node.dataDir, 'api.json')), false)
})

test('the API refuses missing or wrong tokens and malformed input, and keeps serving', async (t) => {
  const [node] = await startNodes(t, ['api'])
  assert.ok(node)
  const call = (method: string, body: string, token: string | undefined) =>
    fetch(`${node.api.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body,
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string } } }))

  const cases: Array<[string, string, string | undefined, number, string]> = [
    ['status', '{}', undefined, 401, 'UNAUTHORIZED'],
    ['status', '{}', 'not-the-token', 401, 'UNAUTHORIZED'],
    ['status', '{"oops"', node.api.token, 400, 'BAD_REQUEST'],
    ['connect', '{"multiaddr": 42}', node.api.token, 400, 'INVALID_INPUT'],
    ['connect', '{}', node.api.token, 400, 'INVALID_INPUT'],
    ['connect', '{"multiaddr": "/not/a/multiaddr"}', node.api.token, 400, 'INVALID_MULTIADDR'],
    ['status', '{"unexpected": true}', node.api.token, 400, 'INVALID_INPUT'],
    ['reboot', '{}', node.api.token, 404, 'UNKNOWN_METHOD'],
    ['status', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), node.api.token, 413, 'PAYLOAD_TOO_LARGE'],
  ]
  for (const [method, body, token, status, code] of cases) {
    const res = await call(method, body, token)
    assert.equal(res.status, status, `${method} ${body.slice(0, 40)}`)
    assert.equal(res.body.ok, false)
    assert.equal(res.body.error?.code, code)
  }
  const events = await fetch(`${node.api.url}/api/events`)
  assert.equal(events.status, 401)
  await events.body?.cancel()

  const ok = await call('status', '{}', node.api.token)
  assert.equal(ok.status, 200)
  assert.equal(ok.body.ok, true)
})

test('the CLI without a running node says so (exit 1) and usage errors exit 2', async () => {
  const empty = await newDataDir('none')
  const status = await runCli(['status', '--data', empty])
  assert.equal(status.code, 1)
  assert.equal(cliErrorCode(status), 'NODE_NOT_RUNNING')
  assert.equal(status.stderr.trim().split('\n').length, 1, 'one line on stderr')

  const viaEnv = await runCli(['peers'], { GRIDNODE_DATA: empty })
  assert.equal(cliErrorCode(viaEnv), 'NODE_NOT_RUNNING')
  assert.match(viaEnv.stderr, new RegExp(empty.replace(/[/\\.]/g, '\\$&')))

  assert.equal((await runCli(['status', '--bogus'])).code, 2)
  assert.equal((await runCli(['no-such-command'])).code, 2)
  assert.equal((await runCli(['connect'])).code, 2)
  assert.equal((await runCli(['start', '--api', 'not-an-address', '--data', empty, '--headless'])).code, 2)
  assert.equal((await runCli(['--help'])).code, 0)
})
