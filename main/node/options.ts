/**
 * Turns what a person typed (`gridnode start --data … --listen … --api …`, or the Electron app's
 * arguments) into a complete GridNodeInit, with the defaults of DESIGN.md.
 */
import { fileURLToPath } from 'node:url'
import envPaths from 'env-paths'
import { GridNodeError } from '../../shared/errors.ts'
import { lanSubgrid } from './lan-subgrid.ts'
import type { ApiAddress, GridNodeInit } from './types.ts'

export interface NodeOptions {
  data?: string | undefined
  listen?: string[] | undefined
  api?: string | undefined
  uiDir?: string | undefined
  subgrid?: string | undefined
  region?: string | undefined
  /** False for `--no-mdns`; mDNS is on unless asked off, so a LAN works without addresses. */
  mdns?: boolean | undefined
  /** `--backup-grace SECONDS`: how long a backup host of a mirrored folder may be gone before it is replaced. */
  backupGraceSec?: number | undefined
}

export const DEFAULT_LISTEN = '/ip4/0.0.0.0/tcp/0'
export const DEFAULT_API = '127.0.0.1:0'
/**
 * Without hints every node is in one region, and in its LAN's sub-grid (lan-subgrid.ts). Admins who
 * know their topology better give --subgrid and --region.
 */
export const DEFAULT_REGION = 'default'

/**
 * Both shells resolve to the same per-user folder, so the CLI finds the desktop app's node.
 * From main/node/ and from the bundled out/main/ alike, the UI bundle is ../../out/renderer.
 */
const BUNDLED_UI_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))

export function defaultDataDir(): string {
  return envPaths('GridNode', { suffix: '' }).data
}

/** The data folder from --data, else GRIDNODE_DATA, else the OS's per-user app-data folder. */
export function resolveDataDir(data: string | undefined): string {
  return data ?? process.env.GRIDNODE_DATA ?? defaultDataDir()
}

/** Parses `HOST:PORT` (IPv6 in brackets: `[::1]:8080`). */
export function parseApiAddress(value: string): ApiAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim())
  const port = match === null ? NaN : Number(match[3])
  if (match === null || port > 65535) {
    throw new GridNodeError('USAGE', `"${value}" is not a HOST:PORT API address (e.g. 127.0.0.1:0).`)
  }
  return { host: match[1] ?? match[2] ?? '', port }
}

export function resolveNodeInit(options: NodeOptions): GridNodeInit {
  return {
    dataDir: resolveDataDir(options.data),
    listen: options.listen !== undefined && options.listen.length > 0 ? options.listen : [DEFAULT_LISTEN],
    api: parseApiAddress(options.api ?? DEFAULT_API),
    mdns: options.mdns ?? true,
    overlay: { subgrid: options.subgrid ?? lanSubgrid(), region: options.region ?? DEFAULT_REGION },
    uiDir: options.uiDir ?? BUNDLED_UI_DIR,
    ...(options.backupGraceSec === undefined ? {} : { backupGraceMs: options.backupGraceSec * 1000 }),
  }
}
