/**
 * Tests that need real multicast (mDNS) run in a network namespace of their own: only a loopback
 * interface, with multicast on, so nothing leaves the namespace and nothing outside hears it.
 *
 * `netnsTest(name, file, fn)` registers a test that, from the normal runner, starts this same file
 * again under `unshare` (new user, network and PID namespaces: no privileges needed where user
 * namespaces are allowed) with a name pattern selecting that one test; inside, the test runs for
 * real: node processes, the test's API clients and the browser all live in the namespace, and all
 * of them end when the run's first process does. Where namespaces cannot be made, the test skips
 * and says why (in CI that is a failure).
 */
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test, type TestContext } from 'node:test'

const INSIDE = 'GRIDNODE_NETNS'
/** New namespaces; the PID one makes every process of the run die with its first (--kill-child). */
const UNSHARE = ['-rn', '--pid', '--fork', '--kill-child']
/** Brings loopback up with multicast, which a new namespace leaves off, then runs the command given. */
const SETUP = 'ip link set lo up && ip link set lo multicast on && exec "$0" "$@"'
/** A namespaced run starts several nodes (and maybe a browser); bound it below the runner's own timeout. */
const RUN_TIMEOUT_MS = 170_000

export const inIsolatedNetwork = (): boolean => process.env[INSIDE] === '1'

let checked: string | undefined | null = null

/** Why namespaced tests cannot run here, or undefined when they can. Throws in CI. */
export function netnsUnavailable(): string | undefined {
  if (checked === null) {
    const probe = spawnSync('unshare', [...UNSHARE, 'sh', '-c', SETUP, 'true'], { encoding: 'utf8' })
    checked = probe.status === 0 ? undefined : `cannot make a network namespace (unshare -rn, ip): ${(probe.error?.message ?? probe.stderr).trim()}`
  }
  if (checked !== undefined && process.env.CI) throw new Error(`${checked}; CI must run the mDNS tests`)
  return checked
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Runs `fn` as test `name` inside a fresh network namespace; `file` is the test file's import.meta.url. */
export function netnsTest(name: string, file: string, fn: (t: TestContext) => Promise<void>): void {
  if (inIsolatedNetwork()) {
    test(name, fn)
    return
  }
  test(`${name} (in a network namespace)`, async (t) => {
    const skip = netnsUnavailable()
    if (skip !== undefined) return t.skip(skip)
    // The runner marks its children with NODE_TEST_CONTEXT; the inner run must report as a top-level run.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env
    const args = [process.execPath, '--test-reporter=spec', `--test-name-pattern=^${escapeRegExp(name)}$`, fileURLToPath(file)]
    const child = spawn('unshare', [...UNSHARE, 'sh', '-c', SETUP, ...args], { env: { ...env, [INSIDE]: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)))
    clearTimeout(timer)
    // A test that skips inside (no browser) skips outside too, with its reason.
    if (code === 0 && /^ℹ skipped 1$/m.test(output)) return t.skip(/^﹣ .*?\([\d.]+ms\) # (.*)$/m.exec(output)?.[1] ?? 'skipped inside the namespace')
    if (code !== 0 || !/^ℹ pass 1$/m.test(output)) throw new Error(`the namespaced run of "${name}" failed (exit ${code}):\n${output}`)
  })
}
