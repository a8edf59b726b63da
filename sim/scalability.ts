/**
 * `npm run sim -- scalability --cpus 4 --clients 10 --p 0.1:0.9:0.1 [--seed S] [--json]`
 * Injects p into the paper's Fig. 2 model and prints, per row, the paper's estimate, the
 * contention-corrected one and the recommended one, with their errors.
 *
 * `npm run sim -- scalability --what-if --p 0.8 --demand 10 --think 10 --cpus 1,2,4,8 --clients 10,20`
 * Predicts speedup and throughput for other core and client counts from an estimate of p.
 */
import { parseArgs } from 'node:util'
import { simulate, whatIf } from '../main/health/simulator.ts'
import { estimateRow } from '../scripts/figures.ts'

/** Issue 6's goals for the simulator. */
const PAPER_GOAL = { upToP: 0.6, maxError: 0.02 }
const RECOMMENDED_GOAL = { upToP: 0.9, maxError: 0.05 }

/** "a:b:step" → [a, a+step, …, b]; "a,b,c" → [a, b, c]. */
function numbers(text: string): number[] {
  const range = text.split(':').map(Number)
  if (range.length === 3) {
    const [from = 0, to = 0, step = 1] = range
    const count = Math.floor((to - from) / step + 1e-9) + 1
    return Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(9)))
  }
  return text.split(',').map(Number)
}

function maxAbs(values: number[]): number | null {
  return values.length === 0 ? null : Math.max(...values.map(Math.abs))
}

export default async function scalability(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      cpus: { type: 'string', default: '4' },
      clients: { type: 'string', default: '10' },
      p: { type: 'string', default: '0.1:0.9:0.1' },
      seed: { type: 'string', default: '1' },
      demand: { type: 'string', default: '10' },
      think: { type: 'string', default: '10' },
      windows: { type: 'string', default: '60' },
      'what-if': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  const seed = Number(values.seed)
  const demandMs = Number(values.demand)
  const thinkMs = Number(values.think)
  const print = (figures: object, table: () => void): void => {
    if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`)
    else table()
  }

  if (values['what-if']) {
    const p = numbers(values.p)[0] ?? 0
    const rows = whatIf({ p, demandMs, thinkMs, cpus: numbers(values.cpus), clients: numbers(values.clients), seed })
    print({ p, demandMs, thinkMs, rows }, () => {
      console.log(`what-if from p = ${p}, D = ${demandMs} ms, Z = ${thinkMs} ms`)
      console.table(
        rows.map((r) => ({
          cpus: r.cpus,
          clients: r.clients,
          speedup: r.speedup.toFixed(2),
          'bound X/s': r.bounds.max.toFixed(0),
          'simulated X/s': r.simulatedThroughput.toFixed(0),
        })),
      )
    })
    return
  }

  const cpus = Number(values.cpus)
  const clients = Number(values.clients)
  const started = performance.now()
  const rows = numbers(values.p).map((injected) => {
    const { estimate, throughput, utilisation, kinds } = simulate({ cpus, clients, p: injected, demandMs, thinkMs, windows: Number(values.windows), seed })
    return { ...estimateRow(injected, estimate), throughput, utilisation, windows: kinds }
  })
  const paperErrors = rows.filter((r) => r.injected <= PAPER_GOAL.upToP + 1e-9).map((r) => r.paperError ?? Infinity)
  const recommendedErrors = rows.filter((r) => r.injected <= RECOMMENDED_GOAL.upToP + 1e-9).map((r) => r.error ?? Infinity)
  const summary = {
    paperMaxAbsError: maxAbs(paperErrors),
    paperGoal: PAPER_GOAL,
    recommendedMaxAbsError: maxAbs(recommendedErrors),
    recommendedGoal: RECOMMENDED_GOAL,
  }
  const config = { cpus, clients, demandMs, thinkMs, windows: Number(values.windows), seed }
  print({ config, rows, summary, elapsedMs: performance.now() - started }, () => {
    const fmt = (x: number | null): string => (x === null ? '—' : x.toFixed(3))
    const signed = (x: number | null): string => (x === null ? '—' : (x >= 0 ? '+' : '') + x.toFixed(3))
    console.log(`Fig. 2 model: N = ${cpus} CPUs, Nc = ${clients} clients, D = ${demandMs} ms, Z = ${thinkMs} ms, ${config.windows} windows, seed ${seed}`)
    console.table(
      rows.map((r) => ({
        injected: r.injected,
        paper: fmt(r.paper),
        'paper err': signed(r.paperError),
        corrected: fmt(r.corrected),
        'corr err': signed(r.correctedError),
        recommended: `${fmt(r.estimated)} (${r.method ?? 'none'})`,
        error: signed(r.error),
        'X/s': r.throughput.toFixed(0),
        U: r.utilisation.toFixed(2),
      })),
    )
    console.log(`paper method, p ≤ ${PAPER_GOAL.upToP}: max |error| ${fmt(summary.paperMaxAbsError)} (goal ≤ ${PAPER_GOAL.maxError})`)
    console.log(`recommended, p ≤ ${RECOMMENDED_GOAL.upToP}: max |error| ${fmt(summary.recommendedMaxAbsError)} (goal ≤ ${RECOMMENDED_GOAL.maxError})`)
  })
}
