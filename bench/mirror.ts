/**
 * `npm run bench -- mirror [--small] [--edits 20] [--kills 10] [--json]`: mirrored folders on real
 * node processes on 127.0.0.1 (issue 4). In one run it prints:
 *  1. the baseline: one raw libp2p stream between the same node processes (gridnode speedtest);
 *  2. the first full mirror of a generated tree to 1 and to 2 backups (time, MB/s, ratio to 1);
 *  3. the same tree copied by `rsync -a` through an rsync daemon on 127.0.0.1;
 *  4. the time from a 1 KiB edit to both backups acknowledging it (median, p95);
 *  5. the time from SIGKILL of the primary to an acting primary serving a restore (median, p95).
 * Goals: mirror to 1 ≥ 0.8× the raw stream; 2 backups no slower than rsync to one; edit p95 ≤ 1 s.
 * `--small` shrinks the tree 16× for a quick look; `--only first-mirror` stops after part 3.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import type { GroupSummary } from '../shared/api/group-schemas.ts'
import { formVo, startNode, type NodeProcess } from '../test/harness/node-process.ts'
import { median, percentile, printFigures } from '../scripts/figures.ts'

const run = promisify(execFile)
const MiB = 2 ** 20
const MIRROR_WAIT_MS = 30 * 60_000
const EDIT_WAIT_MS = 60_000
const GOALS = { mirrorVsRaw: 0.8, twoVsRsync: 1, editP95Ms: 1000 }

interface Tree {
  dir: string
  bytes: number
  files: number
}

/** The tree: one 256 MiB file, 2,000 of 64 KiB and 20,000 of 1 KiB, of random bytes (nothing dedupes or compresses). */
async function makeTree(dir: string, scale: number): Promise<Tree> {
  const plan: Array<[string, number, number]> = [
    ['big', 1, (256 * MiB) / scale],
    ['medium', 2000 / scale, 64 * 1024],
    ['small', 20_000 / scale, 1024],
  ]
  let bytes = 0
  let files = 0
  for (const [folder, count, size] of plan) {
    await mkdir(join(dir, folder), { recursive: true })
    for (let i = 0; i < count; i++) {
      // Large files in 16 MiB pieces: one random buffer of 256 MiB is needless memory.
      const handle = await open(join(dir, folder, `f${i}.bin`), 'w')
      for (let written = 0; written < size; written += 16 * MiB) await handle.write(randomBytes(Math.min(16 * MiB, size - written)))
      await handle.close()
      bytes += size
      files++
    }
  }
  return { dir, bytes, files }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** rsync from Debian; the bench installs it when missing (the machines allow apt). */
function ensureRsync(): void {
  if (spawnSync('rsync', ['--version']).status === 0) return
  const installed = spawnSync('sh', ['-c', 'apt-get install -y rsync >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y rsync >/dev/null 2>&1)'])
  if (installed.status !== 0 || spawnSync('rsync', ['--version']).status !== 0) throw new Error('rsync is not installed and apt-get could not install it')
}

/** `rsync -a` of the tree through a daemon on 127.0.0.1, as a second machine would receive it. */
async function rsyncTime(tree: Tree, work: string): Promise<number> {
  ensureRsync()
  const target = join(work, 'rsync-target')
  await mkdir(target)
  const port = await freePort()
  const config = join(work, 'rsyncd.conf')
  await writeFile(config, `use chroot = no\npid file = ${join(work, 'rsyncd.pid')}\n[bench]\n  path = ${target}\n  read only = no\n  uid = ${process.getuid?.() ?? 0}\n  gid = ${process.getgid?.() ?? 0}\n`)
  const daemon: ChildProcess = spawn('rsync', ['--daemon', '--no-detach', `--config=${config}`, `--port=${port}`, '--address=127.0.0.1'], { stdio: 'ignore' })
  try {
    for (let tries = 0; ; tries++) {
      try {
        await run('rsync', [`rsync://127.0.0.1:${port}/`])
        break
      } catch (err) {
        if (tries > 50) throw err
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const started = performance.now()
    await run('rsync', ['-a', `${tree.dir}/`, `rsync://127.0.0.1:${port}/bench/`])
    return performance.now() - started
  } finally {
    daemon.kill('SIGKILL')
  }
}

const groupOf = (id: string) => (s: { groups?: GroupSummary[] | undefined }) => s.groups?.find((g) => g.id === id)
const allInSync = (group: GroupSummary | undefined, copies: number): boolean =>
  group !== undefined && group.inSync >= copies && group.backups.every((b) => b.state === 'in-sync' && b.behindUpdates === 0)

/** Shares `dir` from `primary` with `copies` backups and times until every copy is in sync. */
async function mirrorTime(primary: NodeProcess, dir: string, copies: number, readers: string[] = []): Promise<{ ms: number; id: string }> {
  const started = performance.now()
  const { id } = await primary.client.share({ path: dir, copies, readers })
  await primary.waitForStatus((s) => allInSync(groupOf(id)(s), copies), `${copies} copies of ${dir} in sync`, MIRROR_WAIT_MS)
  return { ms: performance.now() - started, id }
}

/** Rewrites 1 KiB in the middle of one file and times until both backups have acknowledged it. */
async function editTimes(primary: NodeProcess, dir: string, id: string, edits: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < edits; i++) {
    const before = groupOf(id)(await primary.client.status({}))!
    const handle = await open(join(dir, 'medium', `f${i}.bin`), 'r+')
    const started = performance.now()
    await handle.write(randomBytes(1024), 0, 1024, 32 * 1024)
    await handle.close()
    await primary.waitForStatus((s) => {
      const group = groupOf(id)(s)
      return group !== undefined && (group.epoch > before.epoch || group.seq > before.seq) && allInSync(group, before.copies)
    }, `edit ${i} acknowledged by every backup`, EDIT_WAIT_MS)
    times.push(performance.now() - started)
  }
  return times
}

/**
 * SIGKILL of the primary, then a reader restores the folder: timed until the restore has
 * completed from the acting primary. The killed node comes back (it rejoins and takes the primary
 * role back) before the next trial.
 */
async function failoverTimes(nodes: NodeProcess[], dir: string, kills: number, work: string): Promise<number[]> {
  const owner = nodes[0]!
  const reader = nodes[3]!
  const { id } = await mirrorTime(owner, dir, 2, [reader.peerId])
  let primary = owner
  const times: number[] = []
  for (let k = 0; k < kills; k++) {
    const started = performance.now()
    await primary.signal('SIGKILL')
    const dest = join(work, `restore-${k}`)
    await reader.waitForStatus((s) => {
      const group = groupOf(id)(s)
      return group?.primary != null && group.primary !== primary.peerId
    }, 'an acting primary', 30_000)
    await reader.client.restore({ id, dest })
    times.push(performance.now() - started)
    const back = await startNode({ name: primary.name, dataDir: primary.dataDir })
    nodes[nodes.indexOf(primary)] = back
    primary = back
    await back.waitForStatus((s) => groupOf(id)(s)?.primary === back.peerId && allInSync(groupOf(id)(s), 2), 'the owner to take the primary role back', 60_000)
  }
  return times
}

export default async function mirror(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, small: { type: 'boolean' }, edits: { type: 'string', default: '20' }, kills: { type: 'string', default: '10' }, only: { type: 'string' } } })
  if (values.only !== undefined && values.only !== 'first-mirror') throw new Error(`--only takes "first-mirror", not ${JSON.stringify(values.only)}.`)
  const scale = values.small === true ? 16 : 1
  const work = await mkdtemp(join(tmpdir(), 'gridnode-bench-mirror-'))
  const nodes: NodeProcess[] = []
  try {
    const tree = await makeTree(join(work, 'tree'), scale)
    for (const name of ['primary', 'backup-1', 'backup-2', 'reader']) nodes.push(await startNode({ name }))
    await formVo(nodes)
    const [primary, backup] = nodes as [NodeProcess, NodeProcess]
    await primary.waitForStatus((s) => s.peers.some((p) => p.peerId === backup.peerId), 'the primary to be connected to a backup')

    const raw = await primary.client.speedtest({ peerId: backup.peerId, bytes: 256 * MiB })
    const one = await mirrorTime(primary, tree.dir, 1)
    await primary.client.unshare({ id: one.id })
    const two = await mirrorTime(primary, tree.dir, 2)
    const rsyncMs = await rsyncTime(tree, work)
    const mbps = (ms: number): number => tree.bytes / 1e6 / (ms / 1000)
    const firstMirror = {
      tree: { files: tree.files, bytes: tree.bytes },
      baseline: { rawStreamMBps: raw.mbPerSec },
      mirror1: { ms: one.ms, MBps: mbps(one.ms), vsRaw: mbps(one.ms) / raw.mbPerSec, goal: GOALS.mirrorVsRaw },
      mirror2: { ms: two.ms, MBps: mbps(two.ms), vsRsyncToOne: rsyncMs / two.ms, goal: GOALS.twoVsRsync },
      rsync: { ms: rsyncMs, MBps: mbps(rsyncMs) },
    }
    if (values.only === 'first-mirror') {
      printFigures(values.json === true, firstMirror)
      return
    }
    const edits = await editTimes(primary, tree.dir, two.id, Number(values.edits))
    await primary.client.unshare({ id: two.id })

    const small = join(work, 'small-tree')
    await makeTree(small, 256)
    const failovers = await failoverTimes(nodes, small, Number(values.kills), work)

    printFigures(values.json === true, {
      ...firstMirror,
      editToAck: { medianMs: median(edits), p95Ms: percentile(edits, 95), goalP95Ms: GOALS.editP95Ms },
      failoverToRestore: { medianMs: median(failovers), p95Ms: percentile(failovers, 95), trials: failovers.length },
    })
  } finally {
    await Promise.all(nodes.map((node) => node.stop()))
    await rm(work, { recursive: true, force: true })
  }
}
