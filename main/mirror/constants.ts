/**
 * Constants of the mirror data path, with their source. "FastCDC 2020" is Xia et al., "The
 * Design of Fast Content-Defined Chunking for Data Deduplication Based Storage Systems", IEEE
 * TPDS 31(9), 2020; "fastcdc-rs" is its reference Rust crate (github.com/nlfiedler/fastcdc-rs).
 */

const KiB = 1024
const MiB = 1024 * KiB

/**
 * Expected chunk size. 64 KiB keeps manifests small (a 256 MiB file is about 4,000 chunk ids)
 * and per-chunk costs (one store file, one transfer frame) low, while a 1 KiB edit still re-sends
 * only about one chunk. Min and max are avg / 4 and 4 × avg: fastcdc-rs tests its 2020 chunker
 * with exactly 16/64/256 KiB (test_cut_sekien_64k_chunks).
 */
export const CHUNK_AVG_BYTES = 64 * KiB
/** Minimum chunk size; the bytes below it are skipped unhashed (FastCDC's cut-point skipping). */
export const CHUNK_MIN_BYTES = 16 * KiB
/** Maximum chunk size, so pathological input (all zeros) still makes bounded chunks. */
export const CHUNK_MAX_BYTES = 256 * KiB
/** Normalized chunking level: fastcdc-rs's default (NC level 1 of FastCDC 2020, section 3.5). */
export const CHUNK_NORMALIZATION = 1

/** Bytes read from a file per read call while chunking: large reads keep syscalls off the profile. */
export const CHUNK_READ_BYTES = 4 * MiB

/** Scanner: a file whose size or mtime moved while it was chunked is read again this many times, then reported. */
export const SCAN_CHANGE_RETRIES = 3

/** Watcher: paths are reported once the folder has been quiet this long after the last event... */
export const WATCH_QUIET_MS = 100
/** ...or at the latest this long after the first unreported event, so a file written continuously still syncs (issue 4: edit to acknowledged ≤ 1 s). */
export const WATCH_MAX_DELAY_MS = 400
/** Above this many pending paths one full rescan is cheaper than a list (an unpacked archive, a checkout). */
export const WATCH_MAX_PATHS = 10_000
/** Safety-net full rescan, Syncthing's default with its watcher on (rescanIntervalS = 3600). */
export const FULL_RESCAN_INTERVAL_MS = 60 * 60 * 1000

/** Chunk store: puts larger than this are refused outright (a sealed max-size chunk is far smaller). */
export const STORE_MAX_OBJECT_BYTES = CHUNK_MAX_BYTES + 1024

/** Restore: chunks fetched ahead of the one being written, per file (hides a source's latency). */
export const RESTORE_CHUNK_WINDOW = 8
/** Restore: files written at the same time (many small files are dominated by open/close). */
export const RESTORE_FILE_CONCURRENCY = 4
