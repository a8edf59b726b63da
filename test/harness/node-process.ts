/**
 * Starts real GridNode processes on 127.0.0.1, each with its own data folder, and stops or kills
 * them for real. Readiness is the node's own "Ready." line plus its api.json; waits for state are
 * driven by the node's event stream, never by sleeping. Every wait and every teardown is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiClient, type ApiClient } from '../../shared/api/client.ts'
import { createHttpTransport } from '../../shared/api/http-transport.ts'
import type { ApiEvent } from '../../shared/api/contract.ts'
import type { Status } from '../../shared/api/schemas.ts'
import { readApiFile, type ApiFile } from '../../main/api/api-file.ts'
import { dataDirLayout } from '../../main/node/data-dir.ts'
import { GRIDNODE_BIN, LOOPBACK_LISTEN } from './paths.ts'

export const READY_TIMEOUT_MS = 20_000
export const STOP_TIMEOUT_MS = 5_000
export const WAIT_TIMEOUT_MS = 15_000

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface NodeProcess {
  readonly name: string
  readonly dataDir: string
  readonly api: ApiFile
  readonly client: ApiClient
  readonly peerId: string
  /** The node's first listen multiaddr, with its /p2p/ peer id. */
  readonly addr: string
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  readonly exited: Promise<Exit>
  /** Resolves with the first pushed status that satisfies `predicate` (or the current one). */
  waitForStatus(predicate: (status: Status) => boolean, what: string, timeoutMs?: number): Promise<Status>
  /**
   * Resolves with the first pushed event of `type` whose data satisfies `predicate`. Events other
   * than status carry no current value on subscribing: `current` (asked once subscribed) stands in.
   */
  waitForEvent<T extends ApiEvent['type']>(type: T, current: () => Promise<EventData<T>>, predicate: (data: EventData<T>) => boolean, what: string, timeoutMs?: number): Promise<EventData<T>>
  /** Sends a signal and waits (bounded) for the process to end. */
  signal(signal: NodeJS.Signals, timeoutMs?: number): Promise<Exit>
  /** SIGTERM, bounded; then SIGKILL. Safe to call on a dead process. */
  stop(): Promise<Exit>
  /** Error lines and fatal entries from the node's log file: a clean run has none. */
  crashes(): Promise<string[]>
}

export type EventData<T extends ApiEvent['type']> = Extract<ApiEvent, { type: T }>['data']

export interface StartNodeOptions {
  name: string
  /** Reuse a data folder (restart); default is a new temp folder. */
  dataDir?: string
  args?: string[]
  /**
   * mDNS multicasts on every interface the node sees (STACK.md), so it stays off unless the test
   * runs in a network namespace of its own (test/harness/netns.ts).
   */
  mdns?: boolean
}

function timeout<T>(ms: number, message: string): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined
  const promise = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return { promise, cancel: () => clearTimeout(timer) }
}

export async function newDataDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `gridnode-${name}-`))
}

/** Spawns `gridnode start` and resolves once it printed its ready line (or rejects with its output). */
export function spawnNode(dataDir: string, args: string[] = [], mdns = false): { child: ChildProcess; ready: Promise<void>; output: () => string; exited: Promise<Exit> } {
  const options = ['--headless', '--data', dataDir, '--listen', LOOPBACK_LISTEN, '--api', '127.0.0.1:0', ...(mdns ? [] : ['--no-mdns'])]
  const child = spawn(process.execPath, [GRIDNODE_BIN, 'start', ...options, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  const log = createWriteStream(join(dataDir, 'process.log'), { flags: 'a' })
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString()
      log.write(chunk)
      if (/^Ready\./m.test(text)) resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((exit) => reject(new Error(`node exited (${exit.code ?? exit.signal}) before it was ready:\n${text}`)))
  })
  void exited.then(() => log.end())
  // A node expected to fail (e.g. a locked data folder) is awaited through `exited` instead.
  ready.catch(() => undefined)
  return { child, ready, output: () => text, exited }
}

export async function startNode({ name, dataDir, args = [], mdns = false }: StartNodeOptions): Promise<NodeProcess> {
  const dir = dataDir ?? (await newDataDir(name))
  const { child, ready, output, exited } = spawnNode(dir, args, mdns)
  const limit = timeout<void>(READY_TIMEOUT_MS, `${name} was not ready within ${READY_TIMEOUT_MS} ms`)
  try {
    await Promise.race([ready, limit.promise])
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  } finally {
    limit.cancel()
  }
  const api = await readApiFile(dataDirLayout(dir).apiFile, dir)
  const client = createApiClient(createHttpTransport(api))
  const status = await client.status({})
  let exit: Exit | undefined
  void exited.then((value) => (exit = value))

  const waitForEvent = async (
    type: ApiEvent['type'],
    current: (() => Promise<unknown>) | undefined,
    predicate: (data: never) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<never> => {
    const abort = new AbortController()
    const bound = timeout<never>(timeoutMs, `${name}: timed out waiting for ${what}`)
    const matched = new Promise<never>((resolve, reject) => {
      const check = (data: unknown): void => {
        if (predicate(data as never)) resolve(data as never)
      }
      client
        .subscribe((event) => {
          if (event.type === type) check(event.data)
        }, abort.signal)
        .catch(reject)
      // Asked after subscribing, so a change between the two is not missed.
      current?.().then(check, reject)
    })
    try {
      return await Promise.race([matched, bound.promise])
    } finally {
      bound.cancel()
      abort.abort()
    }
  }

  const signal = async (sig: NodeJS.Signals, timeoutMs = STOP_TIMEOUT_MS): Promise<Exit> => {
    if (exit !== undefined) return exit
    child.kill(sig)
    const bound = timeout<Exit>(timeoutMs, `${name} did not exit within ${timeoutMs} ms of ${sig}`)
    try {
      return await Promise.race([exited, bound.promise])
    } finally {
      bound.cancel()
    }
  }

  return {
    name,
    dataDir: dir,
    api,
    client,
    peerId: status.node.peerId,
    addr: status.node.listen[0] ?? '',
    output,
    exited,
    // The stream opens with the current status, then carries every change.
    waitForStatus: (predicate, what, timeoutMs = WAIT_TIMEOUT_MS) => waitForEvent('status', undefined, predicate, what, timeoutMs),
    waitForEvent: (type, current, predicate, what, timeoutMs = WAIT_TIMEOUT_MS) => waitForEvent(type, current, predicate, what, timeoutMs),
    signal,
    async stop() {
      try {
        return await signal('SIGTERM')
      } catch {
        return signal('SIGKILL')
      }
    },
    async crashes() {
      const text = await readFile(dataDirLayout(dir).logFile, 'utf8').catch(() => '')
      const fatal = text.split('\n').filter((line) => /"level":60/.test(line))
      const uncaught = output().split('\n').filter((line) => /Uncaught|Unhandled|node:internal/.test(line))
      return [...fatal, ...uncaught]
    },
  }
}

/** Starts nodes for one test and stops them all afterwards, failing the test on any crash. */
export async function startNodes(
  t: { after: (fn: () => Promise<void>) => void },
  names: string[],
  argsOf: (name: string) => string[] = () => [],
  mdns = false,
): Promise<NodeProcess[]> {
  const nodes: NodeProcess[] = []
  t.after(async () => {
    const exits = await Promise.all(nodes.map((node) => node.stop()))
    // A node the test did not kill must end its own way: exit 0 on SIGTERM.
    const failedExits = nodes.flatMap((node, i) => {
      const exit = exits[i]
      return exit !== undefined && exit.code !== 0 && exit.signal !== 'SIGKILL' ? [`${node.name}: exited ${exit.code ?? exit.signal}`] : []
    })
    const crashes = [
      ...failedExits,
      ...(await Promise.all(nodes.map(async (node) => (await node.crashes()).map((line) => `${node.name}: ${line}`)))).flat(),
    ]
    if (crashes.length > 0) throw new Error(`nodes crashed:\n${crashes.join('\n')}`)
  })
  for (const name of names) nodes.push(await startNode({ name, args: argsOf(name), mdns }))
  return nodes
}

/**
 * Makes the first node create a VO and every other node join it with an invite from the first
 * (bootstrapping from it, so each joiner ends up connected to the first). Returns the VO's id.
 */
export async function formVo(nodes: NodeProcess[], name = 'Test VO'): Promise<string> {
  const [admin, ...joiners] = nodes
  if (admin === undefined) throw new Error('formVo needs at least one node')
  const vo = await admin.client.voCreate({ name })
  for (const joiner of joiners) {
    const { token } = await admin.client.voInvite({})
    await joiner.client.voJoin({ token })
  }
  return vo.id
}
