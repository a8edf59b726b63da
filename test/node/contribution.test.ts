/**
 * Issue 5's contribution settings on real processes: `gridnode contribute` changes what a node
 * offers, the change survives a restart, shows in `status --json` under `resources`, and is what
 * another member's discovery finds in the overlay.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Resources } from '../../shared/api/contribution-schemas.ts'
import type { DiscoverResult } from '../../shared/api/overlay-schemas.ts'
import type { Status } from '../../shared/api/schemas.ts'
import { cliErrorCode, runCli, runCliJson } from '../harness/cli.ts'
import { formVo, newDataDir, startNode, startNodes } from '../harness/node-process.ts'
import { agreedSuperPeer } from '../harness/overlay.ts'

const GiB = 2 ** 30

test('`gridnode contribute --cores 1 --disk 1GiB` persists across a restart, shows in status and in discovery from another node', async (t) => {
  const dataDir = await newDataDir('contributor')
  const before = await startNode({ name: 'contributor', dataDir })
  t.after(() => before.stop())
  const set = await runCliJson<Resources>(['contribute', '--cores', '1', '--disk', '1GiB', '--data', dataDir])
  assert.equal(set.cores.offered, 1)
  assert.equal(set.cores.mode, 'cores')
  assert.equal(set.disk.quotaBytes, GiB)
  // Refused changes say why, and change nothing.
  assert.equal(cliErrorCode(await runCli(['contribute', '--cores', '4096', '--data', dataDir])), 'CORES_EXCEED_MACHINE')
  assert.equal((await runCli(['contribute', '--cores', '1', '--cpu', '50', '--data', dataDir])).code, 2)
  assert.equal((await runCli(['contribute', '--disk', 'lots', '--data', dataDir])).code, 2)
  assert.deepEqual(await before.signal('SIGTERM'), { code: 0, signal: null })

  const [admin] = await startNodes(t, ['admin'])
  assert.ok(admin)
  const contributor = await startNode({ name: 'contributor-again', dataDir })
  t.after(async () => {
    await contributor.stop()
    assert.deepEqual(await contributor.crashes(), [])
  })
  const shown = await runCliJson<Resources>(['contribute', '--data', dataDir])
  assert.deepEqual({ cores: shown.cores.offered, quota: shown.disk.quotaBytes }, { cores: 1, quota: GiB })
  const { resources } = await runCliJson<Status>(['status', '--data', dataDir])
  assert.ok(resources)
  assert.equal(resources.cores.offered, 1)
  assert.ok(resources.cores.machine >= 1)
  assert.equal(resources.idleOnly, false)
  assert.equal(resources.state, 'running')
  assert.equal(resources.disk.quotaBytes, GiB)
  assert.ok(resources.disk.freeBytes > 0 && resources.disk.freeBytes <= GiB - resources.disk.usedBytes)

  await formVo([admin, contributor])
  const superPeer = await agreedSuperPeer([admin, contributor])
  const leader = [admin, contributor].find((node) => node.peerId === superPeer)!
  // The super-peer indexes itself and, once it has registered, the other member.
  await leader.waitForStatus((s) => (s.overlay?.indexSize ?? 0) >= 2, 'the super-peer to index both members')
  const found = await runCliJson<DiscoverResult>(['discover', '--cores', '1', '--want', '1', '--data', admin.dataDir])
  const ad = found.candidates.find((c) => c.peer === contributor.peerId)
  assert.ok(ad, `the contributor is found: ${JSON.stringify(found)}`)
  assert.equal(ad.cores, 1)
  assert.ok(ad.diskBytes > 0 && ad.diskBytes <= GiB, `advertises at most its quota: ${ad.diskBytes}`)
  const tooMuch = await admin.client.discover({ cores: 2, want: 1 })
  assert.ok(!tooMuch.candidates.some((c) => c.peer === contributor.peerId), 'not found for more cores than it offers')

  // A change reaches the status stream at once.
  await runCliJson<Resources>(['contribute', '--cores', '0', '--data', dataDir])
  await contributor.waitForStatus((s) => s.resources?.state === 'off', 'the contributor to report it offers no CPU')
})
