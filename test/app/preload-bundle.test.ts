/**
 * The built preload must load in a sandboxed renderer: CommonJS, requiring nothing but 'electron'
 * (a sandboxed preload cannot load other modules). Checks the output of `npm run build`, which
 * `npm test` runs first, and runs it in a bare context with a stand-in 'electron' module.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runInNewContext } from 'node:vm'
import { IPC_EVENT_CHANNEL, ipcChannel } from '../../shared/api/bridge.ts'
import { METHOD_NAMES } from '../../shared/api/contract.ts'

const bundle = join(import.meta.dirname, '..', '..', 'out', 'preload', 'index.cjs')
const NOT_BUILT = 'out/preload/index.cjs not built (run `npm run build`)'

test('the preload bundle is self-contained CommonJS', async (t) => {
  if (!existsSync(bundle)) return t.skip(NOT_BUILT)
  const code = await readFile(bundle, 'utf8')
  const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]))
  assert.deepEqual([...required], ['electron'])
  assert.doesNotMatch(code, /^\s*(import|export)\s/m, 'no ES module syntax')
  assert.doesNotMatch(code, /import\.meta|\bimport\(/, 'no ES module features')
})

test('the preload exposes exactly the bridge, and no IPC object reaches the page', async (t) => {
  if (!existsSync(bundle)) return t.skip(NOT_BUILT)
  const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>()
  const invoked: unknown[][] = []
  const listeners = new Map<string, (event: unknown, payload: unknown) => void>()
  const ipcRenderer = {
    invoke: async (...args: unknown[]) => invoked.push(args),
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  }
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => exposed.set(key, api) },
    ipcRenderer,
  }
  const requireInSandbox = (id: string): unknown => {
    if (id === 'electron') return electron
    throw new Error(`A sandboxed preload cannot require "${id}"`)
  }
  const module = { exports: {} }
  runInNewContext(await readFile(bundle, 'utf8'), { require: requireInSandbox, module, exports: module.exports })

  assert.deepEqual([...exposed.keys()], ['gridnode'])
  const bridge = exposed.get('gridnode')!
  assert.deepEqual(Object.keys(bridge).sort(), [...METHOD_NAMES, 'onEvent', 'pickFolder'].sort())
  assert.ok(!Object.values(bridge).includes(ipcRenderer as never))

  await bridge.status!({})
  assert.deepEqual(invoked, [[ipcChannel('status'), {}]])

  const seen: unknown[] = []
  const unsubscribe = bridge.onEvent!((event: unknown) => seen.push(event)) as () => void
  listeners.get(IPC_EVENT_CHANNEL)?.({ sender: ipcRenderer }, { type: 'status' })
  assert.deepEqual(seen, [{ type: 'status' }], 'the page gets the payload, never the IPC event and its sender')
  unsubscribe()
  assert.equal(listeners.has(IPC_EVENT_CHANNEL), false)
})
