/**
 * Demos over the VO: the Mandelbrot set as one job per tile (mandelbrot.ts splits the image and
 * paints the tiles; modules/ ships the module). Whoever started a demo — the CLI writing a PNG,
 * the UI painting tiles as they arrive — follows its tile jobs like any others.
 */
import { randomBytes } from 'node:crypto'
import type { z } from 'zod'
import type { Demo, DemoInputSchema } from '../../shared/api/compute-schemas.ts'
import { DEFAULT_MANDELBROT_VIEW, mandelbrotTiles, type MandelbrotView } from './mandelbrot.ts'
import { JOB_MODULES, loadJobModule } from './modules/index.ts'
import type { ComputeService } from './service.ts'

/** A tile takes well under a second on one core; this bounds a runaway view. */
const TILE_MAX_SECONDS = 120

/** The view a demo renders: the whole set, as DEFAULT_MANDELBROT_VIEW frames it, at this size and depth. */
export const demoView = ({ width, height, iterations }: Pick<Demo, 'width' | 'height' | 'iterations'>): MandelbrotView => ({ ...DEFAULT_MANDELBROT_VIEW, width, height, maxIterations: iterations })

export async function startDemo(compute: ComputeService, { tiles, width, height, iterations, replicas }: z.output<typeof DemoInputSchema>): Promise<Demo> {
  const view = demoView({ width, height, iterations })
  const module = await loadJobModule('mandelbrot')
  const parts = mandelbrotTiles(view, tiles)
  // The output and the input, in whole pages, with room for the module's own needs.
  const memoryBytes = Math.ceil((width * height * 4) / 65_536 + 16) * 65_536
  const jobs: Demo['tiles'] = []
  for (const tile of parts) {
    const job = await compute.submit({
      module,
      entry: JOB_MODULES.mandelbrot.entry,
      input: tile.input,
      replicas,
      maxSeconds: TILE_MAX_SECONDS,
      memoryBytes,
      label: `mandelbrot tile ${tile.index + 1}/${parts.length}`,
    })
    jobs.push({ job: job.id, x: tile.left, y: tile.top, width: tile.width, height: tile.height })
  }
  return { id: randomBytes(6).toString('hex'), name: 'mandelbrot', width, height, iterations, tiles: jobs }
}
