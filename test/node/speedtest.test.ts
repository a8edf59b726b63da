/**
 * The network self-test between two real members: the bytes sent are the bytes the peer counted,
 * with a throughput; a peer that is not a connected member is refused with a reason.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { SpeedtestResult } from '../../shared/api/schemas.ts'
import { cliErrorCode, runCli, runCliJson } from '../harness/cli.ts'
import { formVo, startNodes } from '../harness/node-process.ts'

test('speedtest sends the asked bytes to a member and reports the throughput; a stranger is refused', async (t) => {
  const [a, b] = await startNodes(t, ['speed-a', 'speed-b'])
  assert.ok(a && b)
  await formVo([a, b])
  await a.waitForStatus((s) => s.peers.some((p) => p.peerId === b.peerId), 'a to be connected to b')

  const result = await runCliJson<SpeedtestResult>(['speedtest', b.peerId, '--size', '8M', '--data', a.dataDir])
  assert.equal(result.peerId, b.peerId)
  assert.equal(result.bytes, 8 * 2 ** 20)
  assert.ok(result.ms > 0 && result.mbPerSec > 0)

  const stranger = await runCli(['speedtest', '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN', '--data', a.dataDir])
  assert.equal(stranger.code, 1)
  assert.equal(cliErrorCode(stranger), 'NOT_FOUND')
})
