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
