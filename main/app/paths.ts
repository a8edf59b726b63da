/**
 * Where the built pieces sit relative to the main bundle (out/main/index.js). The same layout
 * holds inside the packaged app.asar, so these work unpackaged and packaged alike.
 */
import { join } from 'node:path'

export interface AppPaths {
  preload: string
  rendererDir: string
  rendererIndex: string
}

export function appPaths(mainDir: string): AppPaths {
  const rendererDir = join(mainDir, '..', 'renderer')
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    rendererDir,
    rendererIndex: join(rendererDir, 'index.html'),
  }
}
