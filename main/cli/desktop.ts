/**
 * Whether this machine can open the desktop app, found without importing `electron` (recent
 * Electron downloads its binary on first import, which must never happen from plain Node).
 * Mirrors how the electron package itself locates its binary: `path.txt` names it inside `dist/`,
 * or inside ELECTRON_OVERRIDE_DIST_PATH.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The Electron entry electron-vite builds. */
export const DESKTOP_ENTRY = fileURLToPath(new URL('../../out/main/index.js', import.meta.url))

export type Availability = { ok: true; binary: string } | { ok: false; reason: string }

const MISSING = 'the Electron binary is not installed (node_modules/electron/dist is missing; it cannot be downloaded here)'

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): Availability {
  let packageDir: string
  try {
    // Resolving package.json runs none of the package's code.
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return { ok: false, reason: 'Electron is not installed' }
  }
  const pathFile = join(packageDir, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  const binary =
    override !== undefined && override !== ''
      ? join(override, executable ?? 'electron')
      : executable !== undefined
        ? join(packageDir, 'dist', executable)
        : undefined
  if (binary === undefined) return { ok: false, reason: MISSING }
  return existsSync(binary) ? { ok: true, binary } : { ok: false, reason: `${MISSING}; looked for ${binary}` }
}

/** Electron on Linux needs an X11 or Wayland display (xvfb-run provides one on a server). */
export function displayMissing(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return undefined
  return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)'
}

/** Electron binary, a display to show it on, and the built app: all three, or why not. */
export function desktopAvailability(): Availability {
  const electron = findElectronBinary()
  if (!electron.ok) return electron
  const noDisplay = displayMissing()
  if (noDisplay !== undefined) return { ok: false, reason: noDisplay }
  if (!existsSync(DESKTOP_ENTRY)) return { ok: false, reason: 'the desktop app is not built (run npm run build)' }
  return electron
}
