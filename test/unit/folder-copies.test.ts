/** What the Folders page says about a shared folder's copies: states in words, progress, headline, log kinds. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { GroupCopy } from '../../shared/api/group-schemas.ts'
import { barLabels, copyInWords, copyProgress, syncHeadline } from '../../renderer/src/views/folders/copy-state.ts'
import { describeLogKind } from '../../renderer/src/views/folders/log-kinds.ts'

const copy = (state: GroupCopy['state'], behind: Partial<GroupCopy> = {}): GroupCopy => ({
  host: 'H1',
  state,
  behindUpdates: 0,
  behindBytes: 0,
  behindFiles: 0,
  reason: null,
  ...behind,
})

test('each copy state reads as words, with what is still to go', () => {
  assert.equal(copyInWords(copy('in-sync')), 'in sync')
  assert.equal(copyInWords(copy('behind', { behindUpdates: 3, behindBytes: 2_100_000, behindFiles: 2 })), 'behind by 3 updates · 2.1 MB')
  assert.equal(copyInWords(copy('behind', { behindUpdates: 1 })), 'behind by 1 update', 'a rename moves no bytes')
  assert.equal(copyInWords(copy('filling', { behindBytes: 40_000_000, behindFiles: 120 })), 'filling: 40 MB and 120 files to go')
  assert.equal(copyInWords(copy('filling', { behindBytes: 812, behindFiles: 1 })), 'filling: 812 B and 1 file to go')
  assert.equal(copyInWords(copy('failed', { reason: 'the host is full' })), 'failed: the host is full')
  assert.equal(copyInWords(copy('failed')), 'failed')
})

test('progress bars fill with what a copy holds of the folder, full only in sync', () => {
  const folder = { bytes: 100_000_000, files: 400 }
  assert.deepEqual(copyProgress(copy('filling', { behindBytes: 40_000_000, behindFiles: 100 }), folder), { bytes: 0.6, files: 0.75 })
  assert.deepEqual(copyProgress(copy('in-sync'), folder), { bytes: 1, files: 1 })
  assert.deepEqual(copyProgress(copy('filling', { behindBytes: 100_000_000, behindFiles: 400 }), folder), { bytes: 0, files: 0 }, 'nothing there yet')
  assert.deepEqual(copyProgress(copy('behind', { behindUpdates: 1, behindBytes: 1, behindFiles: 1 }), folder), { bytes: 0.99, files: 0.99 }, 'never drawn full while behind')
  assert.deepEqual(copyProgress(copy('behind', { behindUpdates: 1 }), folder), { bytes: 1, files: 1 }, 'a rename leaves no bytes or files to move')
  assert.deepEqual(copyProgress(copy('behind', { behindUpdates: 2, behindBytes: 5, behindFiles: 2 }), { bytes: 0, files: 0 }), { bytes: 0, files: 0 }, 'an emptied folder')
  assert.deepEqual(copyProgress(copy('filling', { behindBytes: 300_000_000, behindFiles: 9 }), folder).bytes, 0, 'more to go than the folder holds (rewrites)')
})

test('under the bars: what is still to go, the folder totals once nothing is, nothing for a failed copy', () => {
  const folder = { bytes: 96_400_000, files: 412 }
  assert.deepEqual(barLabels(copy('filling', { behindBytes: 40_000_000, behindFiles: 120 }), folder), { bytes: '40 MB to go', files: '120 files to go' })
  assert.deepEqual(barLabels(copy('in-sync'), folder), { bytes: '96.4 MB', files: '412 files' })
  assert.deepEqual(barLabels(copy('behind', { behindUpdates: 1, behindFiles: 1 }), folder), { bytes: '96.4 MB', files: '1 file to go' }, 'a deletion moves no bytes')
  assert.equal(barLabels(copy('failed', { reason: 'gone' }), folder), null)
})

test('the headline counts copies in sync against those wanted, and says whether the rest is on its way', () => {
  const group = (copies: number, backups: GroupCopy[]) => ({ copies, backups, inSync: backups.filter((b) => b.state === 'in-sync').length })
  assert.deepEqual(syncHeadline(group(2, [copy('in-sync'), copy('in-sync')])), { text: '2 of 2 copies in sync', health: 'complete' })
  assert.deepEqual(syncHeadline(group(2, [copy('in-sync'), copy('filling', { behindFiles: 3 })])), { text: '1 of 2 copies in sync', health: 'syncing' })
  assert.equal(syncHeadline(group(2, [copy('in-sync'), copy('failed')])).health, 'degraded')
  assert.equal(syncHeadline(group(2, [copy('in-sync'), copy('filling', { host: null })])).health, 'degraded', 'no host yet')
  assert.equal(syncHeadline(group(3, [copy('in-sync'), copy('behind')])).health, 'degraded', 'fewer copies than wanted')
  assert.equal(syncHeadline(group(1, [copy('in-sync')])).text, '1 of 1 copy in sync')
})

test('the join protocol steps read with their number and what happens in them', () => {
  assert.deepEqual(describeLogKind('join-3'), { tag: 'Join 3', step: 'announces its subgroups', joinStep: 3 })
  assert.deepEqual(describeLogKind('4A.1 joins the group'), { tag: 'Join 1', step: 'gets the group state', joinStep: 1 })
  assert.equal(describeLogKind('join-5').step, 'sends its configuration · mirroring starts')
  assert.deepEqual(describeLogKind('failover'), { tag: 'Failover', step: null, joinStep: null })
  assert.deepEqual(describeLogKind('chunk-corrupt'), { tag: 'Chunk corrupt', step: null, joinStep: null }, 'kinds the page does not know still read')
  assert.equal(describeLogKind('join-9').joinStep, null)
})
