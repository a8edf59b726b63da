/**
 * Mirrored folders on a running node (issue 4): shares folders, keeps backup copies for other
 * members, restores. It is the application of the group runtime (main/groups-runtime/), and moves
 * the data path's chunks (main/mirror/) between copies.
 *
 *   service.ts        the composition: groups' effects → the owner's engine, copies' applies, recruiting; the API's operations
 *   owner.ts          the owner's folder: watch, scan, diff, propose; chunks served from the files
 *   payload.ts        what an update carries (chunk ids only), the manifest as sealed pieces
 *   chunk-protocol.ts the bulk chunk protocol between copies (and readers)
 *   fetch-chunks.ts   a copy pulls what an update needs, within its quota
 *   remote-source.ts  a remote copy as a restore's chunk source, with read-ahead
 *   folder-records.ts what this node records of each group's copy
 *   views.ts, api-handlers.ts   the API's view of groups
 */
export { mirrorHandlers } from './api-handlers.ts'
export { CHUNK_PROTOCOL } from './constants.ts'
export { createMirrorService } from './service.ts'
export type { MirrorService, MirrorServiceComponents, MirrorServiceInit, ShareRequest } from './service.ts'
