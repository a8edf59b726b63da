/**
 * Shared entry of `npm run bench` and `npm run sim`: `NAME` selects `<dir>/NAME.ts`, whose default
 * export receives the remaining arguments. Exit 2 with the list of names on a usage error.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export type NamedRun = (args: string[]) => Promise<void>

export interface RunNamedInit {
  kind: 'bench' | 'sim'
  dir: string
  /** Files of `dir`; every `*.ts` except index.ts is a runnable name. */
  names: string[]
}

export async function runNamed({ kind, dir, names }: RunNamedInit): Promise<void> {
  const available = names.filter((file) => file.endsWith('.ts') && file !== 'index.ts').map((file) => file.slice(0, -3)).sort()
  const [name, ...args] = process.argv.slice(2)
  if (name === undefined || !available.includes(name)) {
    process.stderr.write(`usage: npm run ${kind} -- NAME [--json] [options]\n  NAME: ${available.join(', ') || '(none yet)'}\n`)
    process.exit(2)
  }
  const module = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as { default: NamedRun }
  await module.default(args)
}
