/** The notice that a copy fell out of sync, from the node's successive status.groups. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { GroupCopy, GroupSummary } from '../../shared/api/group-schemas.ts'
import { EMPTY_WATCH, lookAtGroups, type SyncWatch } from '../../renderer/src/views/folders/sync-watch.ts'

const SELF = 'me'
const GRACE = 10_000

const copy = (host: string | null, state: GroupCopy['state'], more: Partial<GroupCopy> = {}): GroupCopy => ({
  host,
  state,
  behindUpdates: state === 'behind' ? 1 : 0,
  behindBytes: 0,
  behindFiles: 0,
  reason: null,
  ...more,
})

const group = (backups: GroupCopy[], more: Partial<GroupSummary> = {}): GroupSummary => ({
  id: 'g1',
  name: 'Photos',
  role: 'primary',
  copies: 2,
  inSync: backups.filter((b) => b.state === 'in-sync').length,
  backups,
  epoch: 1,
  seq: 10,
  primary: SELF,
  acting: false,
  path: '/home/me/Photos',
  files: 10,
  bytes: 1000,
  ...more,
})

/** Feeds successive looks, returning each one's findings. */
function looks(steps: Array<{ at: number; groups: GroupSummary[] }>) {
  let watch: SyncWatch = EMPTY_WATCH
  return steps.map(({ at, groups }) => {
    const look = lookAtGroups(watch, groups, SELF, at, GRACE)
    watch = look.watch
    return look
  })
}

test('a copy in sync that fails is reported at once, and its recovery later', () => {
  const [first, failed, still, back] = looks([
    { at: 0, groups: [group([copy('A', 'in-sync'), copy('B', 'in-sync')])] },
    { at: 1_000, groups: [group([copy('A', 'in-sync'), copy('B', 'failed', { reason: 'disk full' })])] },
    { at: 2_000, groups: [group([copy('A', 'in-sync'), copy('B', 'failed', { reason: 'disk full' })])] },
    { at: 3_000, groups: [group([copy('A', 'in-sync'), copy('B', 'in-sync')])] },
  ])
  assert.deepEqual(first!.fell, [])
  assert.deepEqual(
    failed!.fell.map((a) => [a.groupName, a.host, a.copy?.reason, a.at]),
    [['Photos', 'B', 'disk full', 1_000]],
  )
  assert.deepEqual(still!.fell, [], 'reported once')
  assert.deepEqual(back!.recovered, [failed!.fell[0]!.key])
})

test('a copy briefly behind after an edit is not news; one behind past the grace is', () => {
  const [, behind, caught] = looks([
    { at: 0, groups: [group([copy('A', 'in-sync')])] },
    { at: 1_000, groups: [group([copy('A', 'behind')])] },
    { at: 1_500, groups: [group([copy('A', 'in-sync')])] },
  ])
  assert.deepEqual(behind!.fell, [])
  assert.equal(behind!.nextCheckAt, 1_000 + GRACE, 'look again when the grace ends, even if no status comes')
  assert.deepEqual(caught!.fell, [])
  assert.deepEqual(caught!.recovered, [])
  assert.equal(caught!.nextCheckAt, null)

  const [, , late] = looks([
    { at: 0, groups: [group([copy('A', 'in-sync')])] },
    { at: 1_000, groups: [group([copy('A', 'behind')])] },
    { at: 1_000 + GRACE, groups: [group([copy('A', 'behind', { behindUpdates: 7 })])] },
  ])
  assert.deepEqual(late!.fell.map((a) => [a.host, a.copy?.behindUpdates]), [['A', 7]])
  assert.equal(late!.nextCheckAt, null)
})

test('a copy being filled for the first time, or already failed when first seen, never alarms', () => {
  const steps = looks([
    { at: 0, groups: [group([copy('A', 'filling', { behindFiles: 9 }), copy('B', 'failed')])] },
    { at: 60_000, groups: [group([copy('A', 'filling', { behindFiles: 2 }), copy('B', 'failed')])] },
    { at: 70_000, groups: [group([copy('A', 'in-sync'), copy('B', 'failed')])] },
  ])
  assert.deepEqual(steps.flatMap((look) => look.fell), [])
  assert.deepEqual(steps.flatMap((look) => look.recovered), [])
})

test('a host that held an in-sync copy and vanished from the backups is reported; its replacement being recruited is not', () => {
  const [, gone] = looks([
    { at: 0, groups: [group([copy('A', 'in-sync'), copy('B', 'in-sync')])] },
    { at: 1_000, groups: [group([copy('A', 'in-sync'), copy(null, 'filling')])] },
  ])
  assert.deepEqual(gone!.fell.map((a) => [a.host, a.copy]), [['B', null]])
})

test('only the node sequencing the folder watches its copies: the owner or an acting primary', () => {
  const asBackup = (backups: GroupCopy[], primary: string) => group(backups, { role: 'backup', primary, acting: primary === SELF })
  const other = looks([
    { at: 0, groups: [asBackup([copy('A', 'in-sync')], 'owner')] },
    { at: 1_000, groups: [asBackup([copy('A', 'failed')], 'owner')] },
  ])
  assert.deepEqual(other.flatMap((look) => look.fell), [])
  const acting = looks([
    { at: 0, groups: [asBackup([copy('A', 'in-sync')], SELF)] },
    { at: 1_000, groups: [asBackup([copy('A', 'failed')], SELF)] },
  ])
  assert.equal(acting[1]!.fell.length, 1)
})

test('an unshared folder is forgotten without a notice', () => {
  const [, after] = looks([
    { at: 0, groups: [group([copy('A', 'in-sync')])] },
    { at: 1_000, groups: [] },
  ])
  assert.deepEqual(after!.fell, [])
  assert.equal(after!.watch.size, 0)
})
