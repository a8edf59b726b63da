/**
 * Issue 4's mirrored folders on real node processes (real libp2p, real SIGKILL): a folder shared
 * with K = 2 stays in sync through edits, adds, renames and deletes; a restore is byte-identical;
 * when the primary host is SIGKILLed a backup acts for it and a reader restores; the owner comes
 * back and takes over; a lost or full backup host is replaced and the new one filled; a corrupt
 * chunk on a backup is repaired on restore; names that escape the folder are logged, not mirrored;
 * bad input gets its error code.
 */
import assert from 'node:assert/strict'
import { chmod, mkdir, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { GroupSummary } from '../../shared/api/group-schemas.ts'
import type { Status } from '../../shared/api/schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { cliErrorCode, runCli, runCliJson } from '../harness/cli.ts'
import { formVo, startNode, startNodes, type NodeProcess } from '../harness/node-process.ts'
import { assertSameFolder, describeFolder, seededBytes, tempDir } from '../mirror/helpers.ts'

/** Backup hosts gone this long are replaced (the default 60 s would only slow the test down). */
const GRACE = ['--backup-grace', '2']
const SYNC_TIMEOUT_MS = 30_000
/** Names the folder holds that are never mirrored: a backslash would be a separator on Windows; a symlink leaves the folder. */
const REFUSED = new Set(['bad\\name.txt', 'outside-link'])

const groupIn = (status: Status, id: string): GroupSummary | undefined => status.groups?.find((g) => g.id === id)
const inSync = (group: GroupSummary | undefined, files?: number): boolean =>
  group !== undefined && group.inSync === group.copies && group.backups.every((b) => b.state === 'in-sync' && b.behindUpdates === 0) && (files === undefined || group.files === files)

/** The files (count and bytes) a folder holds that a mirror carries. */
async function filesOf(dir: string): Promise<{ files: number; bytes: number }> {
  const rows = await describeFolder(dir, REFUSED)
  return { files: rows.filter((r) => r.size !== undefined).length, bytes: rows.reduce((sum, r) => sum + Number(r.size ?? 0), 0) }
}

/** Waits until the primary reports every backup in sync with the folder as it is now. */
async function waitInSync(node: NodeProcess, id: string, folder: string, what: string): Promise<GroupSummary> {
  const want = await filesOf(folder)
  try {
    const status = await node.waitForStatus((s) => inSync(groupIn(s, id), want.files) && groupIn(s, id)!.bytes === want.bytes, what, SYNC_TIMEOUT_MS)
    return groupIn(status, id)!
  } catch (err) {
    // The group's own log says why, for whoever reads the failure.
    const log = await node.client.groupLog({ id, limit: 60 }).catch(() => [])
    const group = await node.client.group({ id }).catch(() => null)
    throw new Error(`${(err as Error).message}\n${JSON.stringify(group)}\n${log.map((e) => `${e.at} ${e.kind} ${e.text}`).join('\n')}`, { cause: err })
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof GridNodeError && err.code === code)
}

/** A folder with nested files, a big random file, an inside symlink and the names a mirror refuses. */
async function makeFolder(t: TestContext): Promise<string> {
  const dir = await tempDir(t, 'gridnode-share-')
  await mkdir(join(dir, 'docs', 'deep'), { recursive: true })
  await writeFile(join(dir, 'a.txt'), 'alpha')
  await writeFile(join(dir, 'docs', 'b.bin'), seededBytes('b', 300_000))
  await writeFile(join(dir, 'docs', 'deep', 'big.bin'), seededBytes('big', 2_500_000))
  await chmod(join(dir, 'docs', 'b.bin'), 0o640)
  await utimes(join(dir, 'a.txt'), 1_600_000_000.25, 1_600_000_000.25)
  await symlink('docs/b.bin', join(dir, 'link'))
  await symlink('/etc/hostname', join(dir, 'outside-link'))
  await writeFile(join(dir, 'bad\\name.txt'), 'refused')
  return dir
}

async function restoreInto(t: TestContext, node: NodeProcess, id: string): Promise<string> {
  const dest = join(await tempDir(t, 'gridnode-restore-'), 'out')
  await node.client.restore({ id, dest })
  return dest
}

test('a shared folder stays in sync on two backups through edits; a failover serves a reader; the owner comes back and takes over', async (t) => {
  const nodes = await startNodes(t, ['owner', 'backup-a', 'backup-b', 'reader'], () => GRACE)
  await formVo(nodes)
  const [owner, , , reader] = nodes as [NodeProcess, NodeProcess, NodeProcess, NodeProcess]
  const folder = await makeFolder(t)

  const shared = await runCliJson<{ id: string }>(['share', folder, '--copies', '2', '--readers', reader.peerId, '--data', owner.dataDir])
  const id = shared.id
  const first = await waitInSync(owner, id, folder, 'both backups in sync after the share')
  const hosts = first.backups.map((b) => b.host)
  assert.ok(!hosts.includes(reader.peerId) && !hosts.includes(owner.peerId), 'the backups are on two other members, not the reader')
  await assertSameFolder(await restoreInto(t, owner, id), folder, REFUSED)

  // Refused names are in the group's log with their reasons, and nowhere else.
  const log = await runCli(['group', 'log', id, '--data', owner.dataDir])
  assert.match(log.stdout, /bad\\name\.txt: not mirrored \(PATH_ESCAPE\)/)
  assert.match(log.stdout, /outside-link: not mirrored \(SYMLINK_OUTSIDE\)/)
  assert.match(log.stdout, /join-5/)

  // Change, add, rename, delete: both copies follow, and a restore from them is byte-identical.
  await writeFile(join(folder, 'a.txt'), 'alpha, edited')
  await writeFile(join(folder, 'docs', 'c.txt'), seededBytes('c', 70_000))
  await rename(join(folder, 'docs', 'b.bin'), join(folder, 'docs', 'b-renamed.bin'))
  await rm(join(folder, 'docs', 'deep', 'big.bin'))
  await symlink('docs/b-renamed.bin', join(folder, 'link2'))
  await waitInSync(owner, id, folder, 'both backups in sync after the edits')
  await reader.waitForStatus((s) => groupIn(s, id) !== undefined, 'the reader to have joined')
  await assertSameFolder(await restoreInto(t, reader, id), folder, REFUSED)

  // SIGKILL of the primary host: a backup acts for it and the reader restores from the backups.
  const killedAt = performance.now()
  await owner.signal('SIGKILL')
  await reader.waitForStatus((s) => {
    const group = groupIn(s, id)
    return group !== undefined && group.primary !== null && group.primary !== owner.peerId && group.acting
  }, 'a backup to act as primary', SYNC_TIMEOUT_MS)
  t.diagnostic(`SIGKILL to acting primary seen by the reader: ${Math.round(performance.now() - killedAt)} ms`)
  await assertSameFolder(await restoreInto(t, reader, id), folder, REFUSED)

  // The owner returns, catches up, takes the primary role back, and goes on mirroring.
  const back = await startNode({ name: 'owner-again', dataDir: owner.dataDir, args: GRACE })
  t.after(() => back.stop().then(() => undefined))
  await back.waitForStatus((s) => groupIn(s, id)?.primary === back.peerId && inSync(groupIn(s, id)), 'the owner to take the primary role back', SYNC_TIMEOUT_MS)
  await writeFile(join(folder, 'after-return.txt'), 'written after the owner came back')
  await waitInSync(back, id, folder, 'the backups to follow the returned owner')
  await assertSameFolder(await restoreInto(t, reader, id), folder, REFUSED)
})

test('a lost backup host and a full one are replaced and the new ones filled; a corrupt chunk is repaired on restore', async (t) => {
  const nodes = await startNodes(t, ['owner', 'n1', 'n2', 'n3'], () => GRACE)
  await formVo(nodes)
  const [owner] = nodes as [NodeProcess]
  const folder = await makeFolder(t)
  const { id } = await owner.client.share({ path: folder, copies: 2 })
  const first = await waitInSync(owner, id, folder, 'both backups in sync')
  const byId = (peer: string | null) => nodes.find((n) => n.peerId === peer)
  const [lost, kept] = first.backups.map((b) => byId(b.host)!)

  // A backup host dies: after the grace period a spare is recruited and filled.
  await lost!.signal('SIGKILL')
  const refilled = await owner.waitForStatus((s) => inSync(groupIn(s, id)) && !groupIn(s, id)!.backups.some((b) => b.host === lost!.peerId), 'a new backup host in sync', SYNC_TIMEOUT_MS)
  const spare = byId(groupIn(refilled, id)!.backups.map((b) => b.host).find((h) => h !== kept!.peerId)!)!

  // The lost host comes back replaced: it drops its copy and is a spare again.
  const returned = await startNode({ name: 'returned', dataDir: lost!.dataDir, args: GRACE })
  t.after(() => returned.stop().then(() => undefined))
  await returned.waitForStatus((s) => groupIn(s, id) === undefined, 'the replaced host to leave the group', SYNC_TIMEOUT_MS)

  // A host whose user lowers its quota below what it holds cannot take the next change: another member is recruited.
  assert.equal((await runCli(['contribute', '--disk', '64KiB', '--data', kept!.dataDir])).code, 0)
  await writeFile(join(folder, 'more.bin'), seededBytes('more', 400_000))
  const want = await filesOf(folder)
  const replaced = await owner.waitForStatus(
    (s) => inSync(groupIn(s, id), want.files) && groupIn(s, id)!.bytes === want.bytes && !groupIn(s, id)!.backups.some((b) => b.host === kept!.peerId),
    'the full host to be replaced',
    SYNC_TIMEOUT_MS,
  )
  assert.deepEqual(new Set(groupIn(replaced, id)!.backups.map((b) => b.host)), new Set([spare.peerId, returned.peerId]))
  const ownerLog = await owner.client.groupLog({ id, limit: 500 })
  assert.ok(ownerLog.some((e) => e.kind === 'quota'), 'the full store is in the log')

  // Every chunk of the first backup copy (restores read backups first, in backup order) corrupted: each chunk is repaired from another copy.
  // A backup keeps chunks in pack files: a u32 count and 36 bytes per chunk of header, then the chunks, each of which gets a byte flipped here.
  const firstCopy = byId(groupIn(replaced, id)!.backups[0]!.host) ?? returned
  const packsDir = join(firstCopy.dataDir, 'store', 'chunks', id, 'packs')
  let flipped = 0
  for (const name of (await readdir(packsDir)).filter((n) => n.endsWith('.pack'))) {
    const corrupt = await readFile(join(packsDir, name))
    const count = corrupt.readUInt32BE(0)
    let offset = 4 + count * 36
    for (let i = 0; i < count; i++) {
      corrupt[offset]! ^= 0xff
      offset += corrupt.readUInt32BE(4 + i * 36 + 32)
      flipped++
    }
    await writeFile(join(packsDir, name), corrupt)
  }
  assert.ok(flipped > 0)
  const dest = join(await tempDir(t, 'gridnode-restore-'), 'out')
  const result = await owner.client.restore({ id, dest })
  assert.ok(result.repairedChunks > 0, `repaired ${result.repairedChunks} chunks`)
  await assertSameFolder(dest, folder, REFUSED)
})

test('bad input gets its error code: outside a VO, a missing folder, an unknown group, a busy destination, a copy without the key', async (t) => {
  const [lone] = await startNodes(t, ['lone'])
  const folder = await tempDir(t, 'gridnode-share-')
  await rejectsWith(lone!.client.share({ path: folder, copies: 1 }), 'NOT_IN_VO')

  const nodes = await startNodes(t, ['owner', 'host'])
  await formVo(nodes)
  const [owner, host] = nodes as [NodeProcess, NodeProcess]
  assert.equal(cliErrorCode(await runCli(['share', join(folder, 'missing'), '--data', owner.dataDir])), 'FOLDER_MISSING')
  await rejectsWith(owner.client.share({ path: 'relative/path', copies: 1 }), 'INVALID_INPUT')
  await rejectsWith(owner.client.share({ path: folder, copies: 1, readers: ['not-a-peer-id'] }), 'INVALID_INPUT')
  assert.equal((await runCli(['share', folder, '--copies', '0', '--data', owner.dataDir])).code, 2)
  for (const args of [['group', 'f00d'], ['group', 'log', 'f00d'], ['unshare', 'f00d'], ['restore', 'f00d', join(folder, 'dest')]]) {
    assert.equal(cliErrorCode(await runCli([...args, '--data', owner.dataDir])), 'NOT_FOUND', args.join(' '))
  }

  await writeFile(join(folder, 'x.txt'), 'x')
  const { id } = await owner.client.share({ path: folder, copies: 1 })
  await waitInSync(owner, id, folder, 'the backup in sync')
  await rejectsWith(owner.client.restore({ id, dest: folder }), 'DEST_NOT_EMPTY')
  await host.waitForStatus((s) => groupIn(s, id)?.role === 'backup', 'the host to know its role')
  await rejectsWith(host.client.restore({ id, dest: join(folder, 'never') }), 'FORBIDDEN')
  await rejectsWith(host.client.unshare({ id }), 'FORBIDDEN')

  // Unsharing ends the group everywhere: the host drops its copy.
  assert.equal((await runCli(['unshare', id, '--data', owner.dataDir])).code, 0)
  await host.waitForStatus((s) => groupIn(s, id) === undefined, 'the host to drop the dissolved group')
  assert.deepEqual(await readdir(join(host.dataDir, 'store', 'chunks')).then((names) => names.filter((n) => n === id)), [])
})
