/** The answer to an IPC call from a frame that is not the app's own page. */
import type { Envelope } from '../../shared/api/envelope.ts'
import { GridNodeError } from '../../shared/errors.ts'

export function forbiddenEnvelope(method: string): Envelope<never> {
  const error = new GridNodeError('FORBIDDEN', `Only the GridNode window may call "${method}".`)
  return { ok: false, error: error.toBody() }
}
