/**
 * `gridnode job …` and `gridnode jobs`: submit WebAssembly jobs to the VO, follow them, cancel
 * them, fetch their verified results, and run the Mandelbrot demo into a PNG.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { Argument, Command, InvalidArgumentError } from '@commander-js/extra-typings'
import type { ApiClient } from '../../../shared/api/client.ts'
import { JOB_LIMITS, type Demo, type JobDetail, type JobSummary } from '../../../shared/api/compute-schemas.ts'
import { GridNodeError, isErrorCode } from '../../../shared/errors.ts'
import { demoView } from '../../compute/demo.ts'
import { assembleMandelbrot } from '../../compute/mandelbrot.ts'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { printJson } from '../format.ts'
import { dataOption, jsonOption, parsePositiveInt } from '../options.ts'
import { onNode } from '../query-command.ts'
import { parseSize } from './overlay.ts'

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const short = (peer: string): string => `…${peer.slice(-8)}`
const percent = (share: number): string => `${Math.round(100 * share)} %`

function parseSeconds(text: string): number {
  const value = Number(text)
  if (!(value > 0) || value > JOB_LIMITS.maxSeconds) throw new InvalidArgumentError(`a number of seconds, more than 0 and at most ${JOB_LIMITS.maxSeconds}.`)
  return value
}

function formatJobs(jobs: JobSummary[]): string {
  if (jobs.length === 0) return 'No jobs yet. Submit one with: gridnode job submit MODULE.wasm --entry NAME\n'
  return (
    jobs
      .map((job) => {
        const where = job.nodes.length === 0 ? '' : `  on ${job.nodes.map(short).join(', ')}`
        const error = job.error === null ? '' : `  ${job.error.code}`
        return `${job.id}  ${job.state.padEnd(9)} ${percent(job.progress).padStart(5)}  ${job.label ?? job.entry}${where}${error}`
      })
      .join('\n') + '\n'
  )
}

function formatJob(job: JobDetail): string {
  const rows: Array<[string, string]> = [
    ['job', `${job.id}${job.label === null ? '' : ` (${job.label})`}`],
    ['state', `${job.state}, ${percent(job.progress)}${job.error === null ? '' : ` — ${job.error.message} (${job.error.code})`}`],
    ['entry', `${job.entry} of a ${job.module.bytes}-byte module${job.module.checkpointable ? ', checkpointable' : ''}; input ${job.inputBytes} bytes`],
    ['limits', `${job.limits.maxSeconds} s, ${(job.limits.memoryBytes / 2 ** 20).toFixed(1)} MiB`],
    ['replicas', `${job.replicas} (a majority must agree)`],
    ['policy', `W = ${job.checkpointPolicy.weight}, first interval ${job.checkpointPolicy.initialMs} ms; latest interval ${job.intervalMs === null ? '—' : `${Math.round(job.intervalMs)} ms`}`],
    ['checkpoints', String(job.checkpoints)],
  ]
  if (job.result !== null) rows.push(['result', `${job.result.bytes} bytes, sha256 ${job.result.sha256} (${job.result.agreeing} agreeing), ${Math.round(job.result.cpuMs)} ms CPU`])
  const runs = job.runs.map(
    (run) =>
      `  ${run.id}  replica ${run.slot}  ${run.state.padEnd(9)} ${percent(run.progress).padStart(5)}  ${run.node}  ${run.checkpoints} checkpoints${run.resumedFrom === null ? '' : `, resumed from #${run.resumedFrom}`}${run.error === null ? '' : `  ${run.error.message}`}`,
  )
  return rows.map(([label, value]) => `${label.padEnd(12)} ${value}\n`).join('') + (runs.length === 0 ? 'No runs yet: waiting for a node with a free core.\n' : `runs\n${runs.join('\n')}\n`)
}

/** Resolves once every job is done; rejects with a job's own error if one fails or is cancelled. */
export async function waitForJobs(client: ApiClient, ids: string[], onDone: (job: JobSummary) => void = () => undefined): Promise<void> {
  const pending = new Set(ids)
  const abort = new AbortController()
  try {
    await new Promise<void>((resolve, reject) => {
      const check = (job: JobSummary): void => {
        if (!pending.has(job.id) || job.state === 'queued' || job.state === 'running') return
        if (job.state !== 'done') {
          const code = job.error !== null && isErrorCode(job.error.code) ? job.error.code : 'JOB_NOT_DONE'
          return reject(new GridNodeError(code, `Job ${job.id} ${job.state}: ${job.error?.message ?? 'no result'}`))
        }
        pending.delete(job.id)
        onDone(job)
        if (pending.size === 0) resolve()
      }
      let caughtUp = false
      client
        .subscribe((event) => {
          if (event.type === 'job') check(event.data)
          // The stream opens with a status event: from then on no change is missed, so catch up once.
          else if (!caughtUp) {
            caughtUp = true
            client.jobs({}).then((jobs) => jobs.forEach(check), reject)
          }
        }, abort.signal)
        .then(() => reject(new GridNodeError('NODE_UNREACHABLE', 'The node closed its event stream.')), reject)
    })
  } finally {
    abort.abort()
  }
}

interface DemoOptions {
  data?: string | undefined
  json?: true | undefined
  tiles?: number | undefined
  width?: number | undefined
  height?: number | undefined
  iterations?: number | undefined
  replicas?: number | undefined
  out: string
}

async function runDemo(options: DemoOptions): Promise<void> {
  const { client } = await connectToNode(resolveDataDir(options.data))
  const started = performance.now()
  const { tiles: count, width, height, iterations, replicas } = options
  const demo: Demo = await client.jobDemo({ name: 'mandelbrot', tiles: count, width, height, iterations, replicas })
  const nodes: Record<string, number> = {}
  let done = 0
  await waitForJobs(
    client,
    demo.tiles.map((tile) => tile.job),
    (job) => {
      done++
      for (const node of job.nodes) nodes[node] = (nodes[node] ?? 0) + 1
      if (options.json !== true) process.stdout.write(`tile ${done}/${demo.tiles.length} done on ${job.nodes.map(short).join(', ')}\n`)
    },
  )
  const tiles = await Promise.all(
    demo.tiles.map(async (tile, index) => ({
      tile: { index, left: tile.x, top: tile.y, width: tile.width, height: tile.height, input: new Uint8Array() },
      output: new Uint8Array(Buffer.from((await client.jobResult({ id: tile.job })).output, 'base64')),
    })),
  )
  await writeFile(options.out, assembleMandelbrot(demoView(demo), tiles))
  const ms = performance.now() - started
  if (options.json === true) printJson({ id: demo.id, out: options.out, width: demo.width, height: demo.height, tiles: demo.tiles.length, ms, nodes })
  else process.stdout.write(`Wrote ${options.out} (${demo.width}×${demo.height}, ${demo.tiles.length} tiles on ${Object.keys(nodes).length} node(s)) in ${(ms / 1000).toFixed(1)} s.\n`)
}

export const jobsCommand = () =>
  new Command('jobs')
    .description("this node's jobs with their state and progress")
    .addOption(dataOption())
    .addOption(jsonOption())
    .action((options) => onNode(options, (client) => client.jobs({}), formatJobs))

export const jobCommand = () =>
  new Command('job')
    .description('submit, follow, cancel jobs and fetch their results; `gridnode job ID` shows one job')
    .addCommand(
      new Command('show')
        .description('one job in detail: state, replicas with their nodes, checkpoints, W and the interval (the default: `gridnode job ID`)')
        .argument('<id>', "the job's id, as `gridnode jobs` shows it")
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((id, options) => onNode(options, (client) => client.job({ id }), formatJob)),
      { isDefault: true },
    )
    .addCommand(
      new Command('submit')
        .description('submit a WebAssembly job to the VO; prints its id')
        .argument('<module>', 'the .wasm file')
        .requiredOption('--entry <name>', 'the exported function to run')
        .option('--input <file>', "a file whose bytes are the job's input")
        .option('--replicas <n>', 'run on this many distinct nodes; a majority must agree', parsePositiveInt, 1)
        .option('--max-seconds <s>', 'stop the job after this long', parseSeconds, JOB_LIMITS.defaultMaxSeconds)
        .option('--memory <size>', 'memory limit, e.g. 64M', parseSize, JOB_LIMITS.defaultMemoryBytes)
        .option('--label <text>', 'a name for people (default: the file name)')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action(async (file, options) => {
          const [module, input] = await Promise.all([readFile(file), options.input === undefined ? Buffer.alloc(0) : readFile(options.input)])
          await onNode(
            options,
            (client) =>
              client
                .jobSubmit({
                  module: base64(module),
                  input: base64(input),
                  entry: options.entry,
                  replicas: options.replicas,
                  maxSeconds: options.maxSeconds,
                  memoryBytes: options.memory,
                  label: options.label ?? file.split('/').at(-1) ?? file,
                })
                .then((job) => ({ id: job.id })),
            ({ id }) => `${id}\n`,
          )
        }),
    )
    .addCommand(
      new Command('cancel')
        .description('cancel a job: its replicas stop and it never runs again')
        .argument('<id>')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((id, options) => onNode(options, (client) => client.jobCancel({ id }), (job) => `Job ${job.id} is ${job.state}.\n`)),
    )
    .addCommand(
      new Command('result')
        .description("write a done job's verified output to a file")
        .argument('<id>')
        .argument('<out>', 'the file to write')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action(async (id, out, options) => {
          await onNode(
            options,
            async (client) => {
              const result = await client.jobResult({ id })
              const output = Buffer.from(result.output, 'base64')
              await writeFile(out, output)
              return { id, out, bytes: output.byteLength, sha256: result.sha256 }
            },
            ({ bytes, sha256 }) => `Wrote ${bytes} bytes to ${out} (sha256 ${sha256}).\n`,
          )
        }),
    )
    .addCommand(
      new Command('demo')
        .description('render the Mandelbrot set as tile jobs spread over the VO, into a PNG')
        .addArgument(new Argument('<name>', 'the demo').choices(['mandelbrot'] as const))
        // Without these, the node's defaults: 16 tiles of a 640×480 image, 500 iterations, 1 replica.
        .option('--tiles <n>', 'how many tile jobs', parsePositiveInt)
        .option('--width <px>', 'image width', parsePositiveInt)
        .option('--height <px>', 'image height', parsePositiveInt)
        .option('--iterations <n>', 'escape-time iterations per pixel', parsePositiveInt)
        .option('--replicas <n>', 'replicas per tile', parsePositiveInt)
        .option('--out <file>', 'the PNG to write', 'mandelbrot.png')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((_name, options) => runDemo(options)),
    )
