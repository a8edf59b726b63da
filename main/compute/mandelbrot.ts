/**
 * The Mandelbrot demo (issue 5): splits an image into N tile jobs for the `mandelbrot` module
 * (modules/mandelbrot.wat, entry `render`) and paints their RGBA outputs into one PNG. Tiles are
 * bands of whole rows; each tile's pixels are computed from the whole image's pixel index, so
 * any split gives the same picture, bit for bit.
 */
import { encode } from 'fast-png'
import { GridNodeError } from '../../shared/errors.ts'

export interface MandelbrotView {
  width: number
  height: number
  /** The complex point at the image's centre. */
  centerX: number
  centerY: number
  /** Width of the image in the complex plane. */
  span: number
  maxIterations: number
}

/** The whole set, 640×480, detailed enough to look right. */
export const DEFAULT_MANDELBROT_VIEW: MandelbrotView = { width: 640, height: 480, centerX: -0.75, centerY: 0, span: 3.5, maxIterations: 500 }

export interface MandelbrotTile {
  /** 0-based index of the tile, top to bottom. */
  index: number
  left: number
  top: number
  width: number
  height: number
  /** The `render` entry's input (44 bytes, see modules/mandelbrot.wat). */
  input: Uint8Array
}

const INPUT_BYTES = 44
const RGBA = 4

/** Splits the image into `count` bands of rows (count is capped at the image's height). */
export function mandelbrotTiles(view: MandelbrotView, count: number): MandelbrotTile[] {
  checkView(view)
  if (!Number.isInteger(count) || count < 1) throw new GridNodeError('INVALID_INPUT', 'The image needs a whole number of tiles, at least 1.')
  const bands = Math.min(count, view.height)
  const step = view.span / view.width
  const x0 = view.centerX - (view.width / 2) * step
  const y0 = view.centerY - (view.height / 2) * step
  return Array.from({ length: bands }, (_, index) => {
    const top = Math.floor((index * view.height) / bands)
    const height = Math.floor(((index + 1) * view.height) / bands) - top
    const input = new Uint8Array(INPUT_BYTES)
    const fields = new DataView(input.buffer)
    fields.setFloat64(0, x0, true)
    fields.setFloat64(8, y0, true)
    fields.setFloat64(16, step, true)
    fields.setUint32(24, 0, true)
    fields.setUint32(28, top, true)
    fields.setUint32(32, view.width, true)
    fields.setUint32(36, height, true)
    fields.setUint32(40, view.maxIterations, true)
    return { index, left: 0, top, width: view.width, height, input }
  })
}

/** Paints one tile's output into an RGBA canvas of the whole image (for a picture filling tile by tile). */
export function paintTile(canvas: Uint8Array, view: MandelbrotView, tile: MandelbrotTile, output: Uint8Array): void {
  if (output.length !== tile.width * tile.height * RGBA) {
    throw new GridNodeError('BAD_RESPONSE', `Tile ${tile.index} came back with ${output.length} bytes instead of ${tile.width * tile.height * RGBA}.`)
  }
  for (let row = 0; row < tile.height; row++) {
    const from = row * tile.width * RGBA
    canvas.set(output.subarray(from, from + tile.width * RGBA), ((tile.top + row) * view.width + tile.left) * RGBA)
  }
}

/** An empty RGBA canvas for the whole image. */
export function mandelbrotCanvas(view: MandelbrotView): Uint8Array {
  return new Uint8Array(view.width * view.height * RGBA)
}

/** The PNG of a canvas. */
export function encodeCanvas(view: MandelbrotView, canvas: Uint8Array): Uint8Array {
  return encode({ width: view.width, height: view.height, data: canvas, channels: RGBA, depth: 8 })
}

/** The PNG of the whole image from every tile's output. */
export function assembleMandelbrot(view: MandelbrotView, tiles: { tile: MandelbrotTile; output: Uint8Array }[]): Uint8Array {
  const canvas = mandelbrotCanvas(view)
  const rowsPainted = new Uint8Array(view.height)
  for (const { tile, output } of tiles) {
    paintTile(canvas, view, tile, output)
    rowsPainted.fill(1, tile.top, tile.top + tile.height)
  }
  if (rowsPainted.includes(0)) throw new GridNodeError('INVALID_INPUT', 'Some tiles of the image are missing.')
  return encodeCanvas(view, canvas)
}

function checkView(view: MandelbrotView): void {
  const whole = (value: number): boolean => Number.isInteger(value) && value >= 1
  if (!whole(view.width) || !whole(view.height) || !whole(view.maxIterations) || !(view.span > 0)) {
    throw new GridNodeError('INVALID_INPUT', 'The image needs a positive width, height, span and iteration count.')
  }
}
