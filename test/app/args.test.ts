import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseAppArgs } from '../../main/app/args.ts'
import { GridNodeError } from '../../shared/errors.ts'

test('reads the node options of `gridnode start`', () => {
  assert.deepEqual(parseAppArgs(['--data', '/d', '--listen', '/ip4/127.0.0.1/tcp/0', '--listen=/ip4/127.0.0.1/tcp/4001', '--api', '127.0.0.1:0', '--no-mdns']), {
    data: '/d',
    listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/4001'],
    api: '127.0.0.1:0',
    mdns: false,
  })
})

test('ignores Electron and Chromium switches and the script path', () => {
  const argv = ['/app/out/main/index.js', '--inspect=0', '--remote-debugging-port=0', '--no-sandbox', '--data', '/d']
  assert.deepEqual(parseAppArgs(argv), { data: '/d' })
})

test('no options leaves every default to the node', () => {
  assert.deepEqual(parseAppArgs([]), {})
})

for (const argv of [['--data'], ['--api'], ['--listen'], ['--listen', '/ip4/127.0.0.1/tcp/0', '--listen']]) {
  test(`an option without a value is a usage error: ${argv.join(' ')}`, () => {
    assert.throws(() => parseAppArgs(argv), (err: unknown) => err instanceof GridNodeError && err.code === 'USAGE')
  })
}
