/**
 * Whether this machine can open the desktop app, found without importing `electron` (recent
 * Electron downloads its binary on first import, which must never happen from plain Node).
 * Mirrors how the electron package itself locates its binary: `path.txt` names it inside `dist/`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The Electron entry electron-vite builds. */
export const DESKTOP_ENTRY = fileURLToPath(new URL('../../out/main/index.js', import.meta.url))

export type Availability = { ok: true; binary: string } | { ok: false; reason: string }

export function findElectronBinary(): Availability {
  let packageDir: string
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return { ok: false, reason: 'Electron is not installed' }
  }
  const pathFile = join(packageDir, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const binary =
    override !== undefined ? join(override, executable ?? 'electron') : executable !== undefined ? join(packageDir, 'dist', executable) : undefined
  if (binary === undefined || !existsSync(binary)) {
    return { ok: false, reason: 'the Electron binary is not installed (node_modules/electron/dist is missing)' }
  }
  return { ok: true, binary }
}

/** Electron binary, a display to show it on, and the built app: all three, or why not. */
export function desktopAvailability(): Availability {
  const electron = findElectronBinary()
  if (!electron.ok) return electron
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' }
  }
  if (!existsSync(DESKTOP_ENTRY)) return { ok: false, reason: 'the desktop app is not built (run npm run build)' }
  return electron
}
