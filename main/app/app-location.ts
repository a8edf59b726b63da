/**
 * Where the app's own page lives, and whether a URL is that page. Navigation, IPC and the CSP are
 * all gated on this one answer: the built index.html (file:) or, in development, the dev server.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type AppLocation =
  | { readonly kind: 'file'; readonly indexFile: string }
  | { readonly kind: 'dev'; readonly url: string; readonly origin: string }

/** `devServerUrl` is electron-vite's ELECTRON_RENDERER_URL, set only by `electron-vite dev`. */
export function appLocation(indexFile: string, devServerUrl: string | undefined): AppLocation {
  if (devServerUrl !== undefined && devServerUrl !== '') return { kind: 'dev', url: devServerUrl, origin: new URL(devServerUrl).origin }
  return { kind: 'file', indexFile: resolve(indexFile) }
}

/** True for the app's page itself, whatever its query or fragment (the UI routes with hashes). */
export function isAppUrl(url: string, location: AppLocation): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (location.kind === 'dev') return parsed.origin === location.origin
  if (parsed.protocol !== 'file:') return false
  try {
    return resolve(fileURLToPath(parsed)) === location.indexFile
  } catch {
    // A file URL with a host (file://server/share) is not ours.
    return false
  }
}

export interface FrameFacts {
  url: string
  /** The frame has no parent: iframes, even of our own page, get no API. */
  isTopFrame: boolean
}

/** Whether an IPC call comes from the app's own top-level page. */
export function isTrustedFrame(frame: FrameFacts | null, location: AppLocation): boolean {
  return frame !== null && frame.isTopFrame && isAppUrl(frame.url, location)
}

/** Links the app may hand to the system browser: web pages only, never file: or custom schemes. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}
