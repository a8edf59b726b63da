/** Tunables of the mirror service (issue 4), with the reason for each value. */

/** The bulk chunk protocol: sealed chunks, a copy's state and its reference set, members only. */
export const CHUNK_PROTOCOL = '/gridnode/mirror/chunks/1.0.0'

/**
 * Chunk ids one update adds or drops at most: 1,024 ids keep an update message near 70 KB (well
 * within a group message), while a batch is still big enough (64 MiB of average chunks) that the
 * per-update round trip does not show in the transfer time.
 */
export const UPDATE_MAX_REFS = 1024

/** Pieces of one manifest (64 KiB average each: manifests up to ≈ 128 MiB, some 800,000 files). */
export const MANIFEST_MAX_PIECES = 2048

/** Ids asked in one chunk request: an update's worth plus its manifest. */
export const CHUNK_REQUEST_MAX_IDS = UPDATE_MAX_REFS + MANIFEST_MAX_PIECES

/** Chunks a server reads (and seals) ahead of the one it is sending: keeps the disk and the stream busy at once. */
export const SERVE_READ_AHEAD = 16

/** Frames of a chunk stream are gathered into sends of about this size: each send is one yamux frame (up to the peer's window) and one window update back. */
export const SEND_COALESCE_BYTES = 512 * 1024
/** A client stops reading a response (the stream's flow control then holds the sender) past this many bytes waiting to be stored. */
export const RECEIVE_HIGH_WATER_BYTES = 16 * 1024 * 1024

/** Chunks stored at the same time: their fsyncs overlap (the file system commits them together). */
export const STORE_CONCURRENCY = 32

/** Largest control frame (a copy's state, a batch of reference ids). */
export const CONTROL_FRAME_MAX_BYTES = 1024 * 1024

/** Ids per frame when a reference set is streamed (64 hex characters each). */
export const REFS_PER_FRAME = 8192

/** A chunk request, or a state question, that sees no progress this long is given up (the source is gone). */
export const CHUNK_IDLE_TIMEOUT_MS = 15_000

/** A copy that could not fetch what an update needs tries again after this, doubling up to the maximum. */
export const FETCH_RETRY_MS = 500
export const FETCH_RETRY_MAX_MS = 5000

/** Restore: ids coalesced into one chunk request, and requests in flight to one source. */
export const RESTORE_BATCH_IDS = 256
export const RESTORE_REQUESTS_IN_FLIGHT = 4

/** A reader not yet in its group is invited again this often, until it joins. */
export const READER_INVITE_INTERVAL_MS = 3000

/** Members a recruitment asks discovery for: enough to skip the busy, the full and the refusing. */
export const RECRUIT_CANDIDATES = 8

/** Discovery found nobody: ask again after this, up to this many times, before the group core's own retry. */
export const RECRUIT_RETRY_MS = 250
export const RECRUIT_ATTEMPTS = 20

/** A member that did not take an invite is not asked again for this long. */
export const RECRUIT_SHUN_MS = 60_000

/** Updates a host fetches at once, ahead of the one it records. */
export const PREFETCH_UPDATES = 2

/** Sealed bytes asked in one chunk request, and requests in flight to one source, when a copy pulls. */
export const FETCH_BATCH_BYTES = 16 * 1024 * 1024
export const FETCH_REQUESTS_IN_FLIGHT = 2

/** A first full scan proposes what it has read so far after this many new chunks or bytes (a few updates' worth). */
export const PARTIAL_PROPOSAL_CHUNKS = 2 * UPDATE_MAX_REFS
export const PARTIAL_PROPOSAL_BYTES = 64 * 1024 * 1024
/** The owner keeps the chunks a scan found new sealed in memory up to this, for the backups' first pull. */
export const SEAL_CACHE_BYTES = 128 * 1024 * 1024
/** ...plus this much more for chunks of at most SEAL_CACHE_SMALL_CHUNK_BYTES (small files, where reading one again costs more than its bytes). */
export const SEAL_CACHE_SMALL_BYTES = 64 * 1024 * 1024
export const SEAL_CACHE_SMALL_CHUNK_BYTES = 16 * 1024
/** Chunks read back from their files for one copy are kept up to this for the others pulling the same update. */
export const RECENT_SERVED_BYTES = 32 * 1024 * 1024
