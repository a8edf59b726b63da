/**
 * The desktop app accepts the same node options as `gridnode start` (--data, --listen, --api,
 * --subgrid, --region, --no-mdns).
 * Electron and Chromium put their own switches on the same command line, so unknown options and
 * positionals are ignored rather than rejected.
 */
import { parseArgs } from 'node:util'
import { GridNodeError } from '../../shared/errors.ts'

export interface AppArgs {
  data?: string
  listen?: string[]
  api?: string
  subgrid?: string
  region?: string
  mdns?: false
}

const OPTIONS = {
  data: { type: 'string' },
  listen: { type: 'string', multiple: true },
  api: { type: 'string' },
  subgrid: { type: 'string' },
  region: { type: 'string' },
  'no-mdns': { type: 'boolean' },
} as const

/** Rejects with USAGE when one of our options is given without a value. */
export function parseAppArgs(argv: readonly string[]): AppArgs {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true })
  const args: AppArgs = {}
  for (const name of ['data', 'api', 'subgrid', 'region'] as const) {
    const value = values[name]
    if (value === undefined) continue
    if (typeof value !== 'string') throw missingValue(name)
    args[name] = value
  }
  if (values['no-mdns'] === true) args.mdns = false
  if (values.listen !== undefined) {
    // Without strict parsing, a bare --listen comes back as `true` inside the list.
    const listen = [values.listen].flat()
    if (!listen.every((value): value is string => typeof value === 'string')) throw missingValue('listen')
    args.listen = listen
  }
  return args
}

function missingValue(name: string): GridNodeError {
  return new GridNodeError('USAGE', `The option --${name} needs a value.`)
}
