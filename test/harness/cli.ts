/** Runs the real `gridnode` CLI as a separate process, the way a person or a script would. */
import { execFile } from 'node:child_process'
import { GRIDNODE_BIN } from './paths.ts'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Bound on one CLI run, so a hung command fails the test instead of stalling the suite. */
const CLI_TIMEOUT_MS = 30_000

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [GRIDNODE_BIN, ...args], { env: { ...process.env, ...env }, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

/** The error code the CLI put in its one-line reason: `gridnode: <sentence> (<CODE>)`. */
export function cliErrorCode(result: CliResult): string | undefined {
  return /\(([A-Z_]+)\)\s*$/.exec(result.stderr.trim())?.[1]
}

export async function runCliJson<T>(args: string[]): Promise<T> {
  const result = await runCli([...args, '--json'])
  if (result.code !== 0) throw new Error(`gridnode ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}
