/**
 * `npm run sim -- NAME [--json] [options]`: runs one simulation of the protocol cores or of the
 * scalability model, printing its figures (one JSON object with --json).
 */
import { readdirSync } from 'node:fs'
import { runNamed } from '../scripts/run-named.ts'

await runNamed({ kind: 'sim', dir: import.meta.dirname, names: readdirSync(import.meta.dirname) })
