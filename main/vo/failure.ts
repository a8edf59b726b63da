/** Errors as the VO's protocols carry them: a code and a sentence, turned back into GridNodeErrors. */
import { GridNodeError, isErrorCode, toGridNodeError, type ErrorCode } from '../../shared/errors.ts'
import type { Failure } from './wire.ts'

export const failure = (err: unknown): Failure => {
  const error = toGridNodeError(err)
  return { ok: false, error: { code: error.code, message: error.message } }
}

/** A remote failure as an error of ours; a code this version does not know becomes `fallback`. */
export const fromFailure = (f: Failure, fallback: ErrorCode): GridNodeError => new GridNodeError(isErrorCode(f.error.code) ? f.error.code : fallback, f.error.message)

export const rateLimited = (): GridNodeError => new GridNodeError('RATE_LIMITED', 'Too many requests from this node; try again in a few seconds.')
