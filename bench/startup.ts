/**
 * `npm run bench -- startup [--json] [--runs N] [--idle-seconds S]`: how fast a node is ready and
 * how little it costs when idle (issue 2). Baseline, measured in the same run: a bare Node process
 * of the same binary doing nothing but printing its ready line and then idling.
 * Goals: ready ≤ 1.5 s, RSS ≤ 150 MB after 30 s idle, idle CPU ≤ 1 %.
 */
import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { newDataDir, spawnNode } from '../test/harness/node-process.ts'
import { median, printFigures } from '../scripts/figures.ts'

interface ProcSample {
  cpuSeconds: number
  rssMb: number
}

const CLOCK_TICKS = 100

async function sampleProc(pid: number): Promise<ProcSample> {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? []
  // Fields after the command: utime and stime are the 12th and 13th.
  const ticks = Number(stat[11]) + Number(stat[12])
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1])
  return { cpuSeconds: ticks / CLOCK_TICKS, rssMb: rssKb / 1024 }
}

/** CPU % and RSS of a process over an idle window. */
async function idleCost(pid: number, seconds: number): Promise<{ cpuPercent: number; rssMb: number }> {
  const before = await sampleProc(pid)
  const started = performance.now()
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  const after = await sampleProc(pid)
  const elapsed = (performance.now() - started) / 1000
  return { cpuPercent: (100 * (after.cpuSeconds - before.cpuSeconds)) / elapsed, rssMb: after.rssMb }
}

function startBareNode(): { pid: number; ready: Promise<number>; kill: () => void } {
  const started = performance.now()
  const child = spawn(process.execPath, ['-e', "console.log('Ready.'); setInterval(() => {}, 60_000)"], { stdio: ['ignore', 'pipe', 'inherit'] })
  const ready = new Promise<number>((resolve) => child.stdout.once('data', () => resolve(performance.now() - started)))
  return { pid: child.pid ?? 0, ready, kill: () => child.kill('SIGKILL') }
}

async function startGridNode(): Promise<{ readyMs: number; stopMs: () => Promise<number>; pid: number }> {
  const dataDir = await newDataDir('bench')
  const started = performance.now()
  const node = spawnNode(dataDir)
  await node.ready
  const readyMs = performance.now() - started
  return {
    readyMs,
    pid: node.child.pid ?? 0,
    stopMs: async () => {
      const stopping = performance.now()
      node.child.kill('SIGTERM')
      await node.exited
      const ms = performance.now() - stopping
      await rm(dataDir, { recursive: true, force: true })
      return ms
    },
  }
}

export default async function startup(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, runs: { type: 'string', default: '5' }, 'idle-seconds': { type: 'string', default: '30' } } })
  const runs = Number(values.runs)
  const idleSeconds = Number(values['idle-seconds'])

  const bareReady: number[] = []
  const nodeReady: number[] = []
  const nodeStop: number[] = []
  for (let i = 0; i < runs; i++) {
    const bare = startBareNode()
    bareReady.push(await bare.ready)
    bare.kill()
    const node = await startGridNode()
    nodeReady.push(node.readyMs)
    nodeStop.push(await node.stopMs())
  }

  const bare = startBareNode()
  await bare.ready
  const node = await startGridNode()
  const [bareIdle, nodeIdle] = await Promise.all([idleCost(bare.pid, idleSeconds), idleCost(node.pid, idleSeconds)])
  bare.kill()
  await node.stopMs()

  printFigures(values.json === true, {
    bench: 'startup',
    runs,
    idleSeconds,
    readyMs: { median: median(nodeReady), baseline: median(bareReady), ratio: median(nodeReady) / median(bareReady), goal: 1500 },
    stopMs: { median: median(nodeStop), max: Math.max(...nodeStop), goal: 2000 },
    idleRssMb: { value: nodeIdle.rssMb, baseline: bareIdle.rssMb, ratio: nodeIdle.rssMb / bareIdle.rssMb, goal: 150 },
    idleCpuPercent: { value: nodeIdle.cpuPercent, baseline: bareIdle.cpuPercent, goal: 1 },
  })
}
