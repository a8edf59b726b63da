/** What `gridnode contribute` accepts on its command line: counts from 0, percentages, sizes with units. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InvalidArgumentError } from '@commander-js/extra-typings'
import { parsePercent } from '../../main/cli/commands/contribute.ts'
import { parseSize } from '../../main/cli/commands/overlay.ts'
import { parseCount } from '../../main/cli/options.ts'

test('cores are a whole number from 0', () => {
  assert.equal(parseCount('0'), 0)
  assert.equal(parseCount('3'), 3)
  for (const bad of ['', ' ', '-1', '1.5', 'two']) assert.throws(() => parseCount(bad), InvalidArgumentError, bad)
})

test('a CPU share is 0 to 100, with or without a percent sign', () => {
  assert.equal(parsePercent('50'), 50)
  assert.equal(parsePercent('12.5%'), 12.5)
  assert.equal(parsePercent('0'), 0)
  for (const bad of ['', '%', '101', '-5', 'half']) assert.throws(() => parsePercent(bad), InvalidArgumentError, bad)
})

test('a disk quota is a size with a binary unit', () => {
  assert.equal(parseSize('10GiB'), 10 * 2 ** 30)
  assert.equal(parseSize('500MB'), 500 * 2 ** 20)
  assert.equal(parseSize('1.5T'), 1.5 * 2 ** 40)
  assert.equal(parseSize('4096'), 4096)
  for (const bad of ['', 'lots', '10 XB', '-1G']) assert.throws(() => parseSize(bad), InvalidArgumentError, bad)
})
