/**
 * `npm run bench -- NAME [--json] [options]`: runs one benchmark. Each prints its figures as ratios
 * against a baseline measured in the same run; with --json, as one JSON object on stdout.
 */
import { readdirSync } from 'node:fs'
import { runNamed } from '../scripts/run-named.ts'

await runNamed({ kind: 'bench', dir: import.meta.dirname, names: readdirSync(import.meta.dirname) })
