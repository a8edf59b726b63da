/**
 * The node as its two shells (the headless CLI and the Electron app) see it.
 */
import type { Status } from '../../shared/api/schemas.ts'
import type { HttpEndpoint } from '../../shared/api/http-transport.ts'
import type { ApiService } from '../api/service.ts'
import type { SystemIdleProvider } from '../contribution/contribution-service.ts'
import type { Logger } from '../log/logger.ts'

export interface ApiAddress {
  host: string
  /** 0 picks a free port. */
  port: number
}

export interface GridNodeInit {
  /** Holds identity, database, contributed store, logs and api.json. */
  dataDir: string
  /** libp2p listen multiaddrs. */
  listen: string[]
  /** Where the HTTP API (and the headless UI) is served. */
  api: ApiAddress
  /** Find peers and VOs on the local network by mDNS (on for people; tests turn it off). */
  mdns: boolean
  /** Where this node sits in the overlay; nodes with the same sub-grid elect one super-peer. */
  overlay: { subgrid: string; region: string }
  /** Built UI bundle served at the API URL; when absent, / explains how to build it. */
  uiDir?: string
  /** How long the user has been away, where the shell can tell (Electron); "only when idle" uses it. */
  systemIdle?: SystemIdleProvider
  /** How long a backup host of a mirrored folder may be gone before a new one is recruited (default: the groups' 60 s). */
  backupGraceMs?: number
  /** Called when a client asks the node to stop (API `stop`). Defaults to stopping the node. */
  onStopRequested?: () => void
  logger?: Logger
}

export interface GridNode {
  readonly dataDir: string
  /** Base58 peer id; stable across restarts of the same data folder. */
  readonly peerId: string
  /** The typed API, for in-process adapters (Electron IPC). */
  readonly api: ApiService
  /** The HTTP API endpoint (also written to api.json). Available once started. */
  readonly endpoint: HttpEndpoint
  /** The UI's URL with the token in its fragment, so nobody types it by hand. */
  readonly uiUrl: string
  status(): Status
  /** Idempotent. Rejects with DATA_DIR_LOCKED if another node holds the data folder. */
  start(): Promise<void>
  /** Idempotent; stops libp2p, the API server and the database, and removes api.json. */
  stop(): Promise<void>
}
