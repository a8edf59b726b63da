import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createBridge, type IpcPort } from '../../main/app/bridge.ts'
import { IPC_EVENT_CHANNEL, IPC_PICK_FOLDER_CHANNEL, createBridgeTransport, ipcChannel, pickFolderThrough } from '../../shared/api/bridge.ts'
import { METHOD_NAMES } from '../../shared/api/contract.ts'

function fakePort() {
  const invoked: Array<{ channel: string; input: unknown }> = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const port: IpcPort = {
    invoke: async (channel, input) => {
      invoked.push({ channel, input })
      return { ok: true, value: channel }
    },
    listen(channel, listener) {
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set)
      set.add(listener)
      return () => set.delete(listener)
    },
  }
  const push = (channel: string, payload: unknown): void => listeners.get(channel)?.forEach((listener) => listener(payload))
  return { port, invoked, push }
}

test('one function per contract method plus onEvent and pickFolder, and nothing else', () => {
  const bridge = createBridge(METHOD_NAMES, fakePort().port)
  assert.deepEqual(Object.keys(bridge).sort(), [...METHOD_NAMES, 'onEvent', 'pickFolder'].sort())
  assert.ok(Object.isFrozen(bridge))
})

test('each method invokes its own IPC channel with the input', async () => {
  const { port, invoked } = fakePort()
  const bridge = createBridge(METHOD_NAMES, port)
  for (const method of METHOD_NAMES) {
    assert.deepEqual(await bridge[method]({ probe: method }), { ok: true, value: ipcChannel(method) })
  }
  assert.deepEqual(invoked, METHOD_NAMES.map((method) => ({ channel: ipcChannel(method), input: { probe: method } })))
})

test('onEvent delivers event payloads until unsubscribed', () => {
  const { port, push } = fakePort()
  const bridge = createBridge(METHOD_NAMES, port)
  const seen: unknown[] = []
  const unsubscribe = bridge.onEvent((event) => seen.push(event))
  push(IPC_EVENT_CHANNEL, { type: 'status' })
  push('gridnode:other', { type: 'ignored' })
  unsubscribe()
  push(IPC_EVENT_CHANNEL, { type: 'late' })
  assert.deepEqual(seen, [{ type: 'status' }])
})

test('onEvent refuses a non-function listener', () => {
  const bridge = createBridge(METHOD_NAMES, fakePort().port)
  assert.throws(() => bridge.onEvent('nope' as never), TypeError)
})

test('the renderer transport works over the bridge', async () => {
  const transport = createBridgeTransport(createBridge(METHOD_NAMES, fakePort().port))
  assert.deepEqual(await transport.call('status', {}), { ok: true, value: ipcChannel('status') })
})

test('pickFolder asks the main process for a folder and hands back its path, or null when cancelled', async () => {
  const answers: unknown[] = [{ ok: true, value: '/home/user/Photos' }, { ok: true, value: null }, { ok: false, error: { code: 'FORBIDDEN', message: 'no' } }, { ok: true, value: 7 }]
  const invoked: string[] = []
  const bridge = createBridge(METHOD_NAMES, {
    invoke: async (channel) => {
      invoked.push(channel)
      return answers.shift()
    },
    listen: () => () => undefined,
  })
  assert.equal(await pickFolderThrough(bridge), '/home/user/Photos')
  assert.equal(await pickFolderThrough(bridge), null)
  await assert.rejects(pickFolderThrough(bridge), { code: 'FORBIDDEN' })
  await assert.rejects(pickFolderThrough(bridge), { code: 'BAD_RESPONSE' })
  assert.deepEqual(invoked, Array(4).fill(IPC_PICK_FOLDER_CHANNEL))
})
