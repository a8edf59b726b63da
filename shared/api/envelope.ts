/**
 * The result envelope every transport carries: errors travel as data (code + sentence) because
 * neither HTTP bodies nor Electron IPC keep thrown errors intact.
 */
import { z } from 'zod'
import { ERROR_KINDS, type ErrorBody } from '../errors.ts'

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody }

const ErrorCodeSchema = z.enum(Object.keys(ERROR_KINDS) as [keyof typeof ERROR_KINDS, ...(keyof typeof ERROR_KINDS)[]])

export const EnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: ErrorCodeSchema, message: z.string() }) }),
])
