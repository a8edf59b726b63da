/** The Mandelbrot demo: tiles rendered in the sandbox assemble to the picture of one big tile. */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { decode } from 'fast-png'
import { GridNodeError, type ErrorCode } from '../../shared/errors.ts'
import {
  DEFAULT_MANDELBROT_VIEW,
  assembleMandelbrot,
  mandelbrotCanvas,
  mandelbrotTiles,
  paintTile,
  type MandelbrotTile,
  type MandelbrotView,
} from '../../main/compute/mandelbrot.ts'
import { JOB_MODULES, loadJobModule } from '../../main/compute/modules/index.ts'
import { createSandbox, type Sandbox } from '../../main/compute/sandbox/index.ts'

const view: MandelbrotView = { ...DEFAULT_MANDELBROT_VIEW, width: 160, height: 97, maxIterations: 200 }
const isCode = (code: ErrorCode) => (err: unknown) => err instanceof GridNodeError && err.code === code

let sandbox: Sandbox
let module: Uint8Array

before(async () => {
  sandbox = createSandbox({ workers: 2 })
  module = await loadJobModule('mandelbrot')
})

after(() => sandbox.stop())

async function render(tiles: MandelbrotTile[]): Promise<{ tile: MandelbrotTile; output: Uint8Array }[]> {
  const entry = JOB_MODULES.mandelbrot.entry
  return Promise.all(
    tiles.map(async (tile) => ({ tile, output: (await sandbox.run({ module, entry, input: tile.input, maxSeconds: 30, memoryBytes: 16 << 20 })).output })),
  )
}

test('tiles cover the image in bands of whole rows, top to bottom', () => {
  const tiles = mandelbrotTiles(view, 7)
  assert.equal(tiles.length, 7)
  assert.deepEqual(
    tiles.map((tile) => tile.index),
    [0, 1, 2, 3, 4, 5, 6],
  )
  assert.equal(tiles[0]!.top, 0)
  for (let i = 1; i < tiles.length; i++) assert.equal(tiles[i]!.top, tiles[i - 1]!.top + tiles[i - 1]!.height)
  assert.equal(tiles.reduce((rows, tile) => rows + tile.height, 0), view.height)
  assert.equal(mandelbrotTiles(view, 1000).length, view.height)
  assert.throws(() => mandelbrotTiles(view, 0), isCode('INVALID_INPUT'))
})

test('tiles rendered in the sandbox assemble to a PNG whose pixels equal a single-tile render', async () => {
  const [whole] = await render(mandelbrotTiles(view, 1))
  const png = assembleMandelbrot(view, await render(mandelbrotTiles(view, 7)))
  const image = decode(png)
  assert.equal(image.width, view.width)
  assert.equal(image.height, view.height)
  assert.equal(image.channels, 4)
  assert.deepEqual(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), whole!.output)
  // The picture shows the set (black) and its outside (coloured), not one flat colour.
  const colours = new Set<number>()
  for (let i = 0; i < whole!.output.length; i += 4) colours.add(new DataView(whole!.output.buffer).getUint32(i, true))
  assert.ok(colours.has(0xff000000) && colours.size > 10)
})

test('a tile of the wrong size or a missing tile is refused', async () => {
  const tiles = mandelbrotTiles(view, 3)
  const rendered = await render(tiles)
  assert.throws(() => paintTile(mandelbrotCanvas(view), view, tiles[0]!, new Uint8Array(8)), isCode('BAD_RESPONSE'))
  assert.throws(() => assembleMandelbrot(view, rendered.slice(1)), isCode('INVALID_INPUT'))
})
