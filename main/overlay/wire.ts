/** The overlay's libp2p protocols. */
import { z } from 'zod'

export const OVERLAY_PROTOCOLS = {
  /** One overlay message per stream, acknowledged; the cores tolerate loss and reordering. */
  message: '/gridnode/overlay/1.0.0',
  /** Exchanged once per newly proven member: where each side sits in the hierarchy. */
  hello: '/gridnode/overlay/hello/1.0.0',
} as const

const group = z.string().min(1).max(64)
const addrs = z.array(z.string().max(256)).max(16)

/** How many known peers a hello passes on: enough for a newcomer to find its sub-grid's members. */
export const HELLO_DIRECTORY_LIMIT = 64

export const DirectoryEntrySchema = z.object({ peer: z.string().min(1).max(128), subgrid: group, region: group, addrs })
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>

/** Where the sender sits, where it listens, and the peers it knows (a newcomer meets its sub-grid). */
export const HelloSchema = z.object({ subgrid: group, region: group, addrs, known: z.array(DirectoryEntrySchema).max(HELLO_DIRECTORY_LIMIT) })
export type Hello = z.infer<typeof HelloSchema>
export const AckSchema = z.object({ ok: z.boolean() })
