/**
 * Named errors shared by the node, its API adapters, the CLI and the UI.
 * Every failure carries a stable `code` (what programs and tests match on) and a human sentence
 * (what people read). Codes are mapped once here to HTTP status and CLI exit code.
 */

interface ErrorKind {
  /** HTTP status the API answers with. */
  readonly http: number
  /** Exit code of the CLI: 2 is reserved for usage errors, everything else is 1. */
  readonly exit: 1 | 2
}

export const ERROR_KINDS = {
  USAGE: { http: 400, exit: 2 },
  UNAUTHORIZED: { http: 401, exit: 1 },
  FORBIDDEN: { http: 403, exit: 1 },
  BAD_REQUEST: { http: 400, exit: 1 },
  INVALID_INPUT: { http: 400, exit: 1 },
  UNKNOWN_METHOD: { http: 404, exit: 1 },
  NOT_FOUND: { http: 404, exit: 1 },
  PAYLOAD_TOO_LARGE: { http: 413, exit: 1 },
  INVALID_MULTIADDR: { http: 400, exit: 1 },
  DIAL_FAILED: { http: 502, exit: 1 },
  SPEEDTEST_FAILED: { http: 502, exit: 1 },
  NODE_NOT_RUNNING: { http: 503, exit: 1 },
  NODE_UNREACHABLE: { http: 503, exit: 1 },
  NODE_STOPPING: { http: 503, exit: 1 },
  DATA_DIR_LOCKED: { http: 409, exit: 1 },
  DATA_DIR_UNUSABLE: { http: 500, exit: 1 },
  STORE_SCHEMA_NEWER: { http: 500, exit: 1 },
  IDENTITY_CORRUPT: { http: 500, exit: 1 },
  BAD_RESPONSE: { http: 502, exit: 1 },
  TIMEOUT: { http: 504, exit: 1 },
  NO_ESTIMATE: { http: 409, exit: 1 },
  NOT_IN_VO: { http: 409, exit: 1 },
  ALREADY_IN_VO: { http: 409, exit: 1 },
  NOT_ADMIN: { http: 403, exit: 1 },
  NOT_A_MEMBER: { http: 403, exit: 1 },
  INVITE_INVALID: { http: 400, exit: 1 },
  INVITE_EXPIRED: { http: 400, exit: 1 },
  INVITE_USED_UP: { http: 409, exit: 1 },
  INVITE_FOREIGN: { http: 400, exit: 1 },
  CERT_INVALID: { http: 403, exit: 1 },
  CERT_EXPIRED: { http: 403, exit: 1 },
  MEMBER_REVOKED: { http: 403, exit: 1 },
  VO_EXPIRED: { http: 403, exit: 1 },
  JOIN_FAILED: { http: 502, exit: 1 },
  /** A public VO protocol (nearby, join requests) was asked too often by one peer. */
  RATE_LIMITED: { http: 429, exit: 1 },
  /** No pending join request has this id (never made, decided, or expired). */
  JOIN_REQUEST_UNKNOWN: { http: 404, exit: 1 },
  /** The VO asked for is not among the VOs this node heard of on its network. */
  VO_NOT_NEARBY: { http: 404, exit: 1 },
  FOLDER_MISSING: { http: 404, exit: 1 },
  FOLDER_UNREADABLE: { http: 403, exit: 1 },
  PATH_ESCAPE: { http: 400, exit: 1 },
  CHUNK_CORRUPT: { http: 502, exit: 1 },
  CHUNK_MISSING: { http: 502, exit: 1 },
  QUOTA_EXCEEDED: { http: 507, exit: 1 },
  DEST_NOT_EMPTY: { http: 409, exit: 1 },
  KEY_UNWRAP_FAILED: { http: 403, exit: 1 },
  CORES_EXCEED_MACHINE: { http: 400, exit: 1 },
  QUOTA_EXCEEDS_DISK: { http: 400, exit: 1 },
  INVALID_MODULE: { http: 400, exit: 1 },
  JOB_TIMEOUT: { http: 422, exit: 1 },
  JOB_MEMORY: { http: 422, exit: 1 },
  JOB_TRAPPED: { http: 422, exit: 1 },
  JOB_CANCELLED: { http: 409, exit: 1 },
  /** The job has no result (yet): it is queued or running, or ended without one. */
  JOB_NOT_DONE: { http: 409, exit: 1 },
  /** The job's replicas never agreed on a result. */
  JOB_UNVERIFIED: { http: 422, exit: 1 },
  /** The job's runs kept being lost with their nodes. */
  JOB_LOST: { http: 503, exit: 1 },
  INTERNAL: { http: 500, exit: 1 },
} as const satisfies Record<string, ErrorKind>

export type ErrorCode = keyof typeof ERROR_KINDS

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_KINDS, value)
}

/** The wire form of an error, as the API returns it. */
export interface ErrorBody {
  code: ErrorCode
  message: string
}

export class GridNodeError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GridNodeError'
    this.code = code
  }

  get httpStatus(): number {
    return ERROR_KINDS[this.code].http
  }

  get exitCode(): 1 | 2 {
    return ERROR_KINDS[this.code].exit
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message }
  }

  static fromBody(body: ErrorBody): GridNodeError {
    return new GridNodeError(body.code, body.message)
  }
}

/** Any thrown value as a GridNodeError; unknown failures become INTERNAL with their message kept. */
export function toGridNodeError(err: unknown): GridNodeError {
  if (err instanceof GridNodeError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new GridNodeError('INTERNAL', message || 'Unexpected internal error.', { cause: err })
}
