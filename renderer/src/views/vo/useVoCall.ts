import { useState } from 'react'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'

export type CallState<R> = { kind: 'idle' } | { kind: 'pending' } | { kind: 'done'; value: R } | { kind: 'failed'; error: GridNodeError }

/**
 * One VO action (join, create, invite, revoke, leave) and where it stands. Joining, creating and
 * leaving change the node's status, and that status event replaces the form that ran them: until
 * it arrives, those forms keep showing progress in 'done'.
 */
export function useVoCall<I, R>(call: (input: I) => Promise<R>): { state: CallState<R>; run: (input: I) => Promise<CallState<R>>; reset: () => void } {
  const [state, setState] = useState<CallState<R>>({ kind: 'idle' })
  /** Resolves with the outcome too, for callers that act on it (a dialog closing on success). */
  async function run(input: I): Promise<CallState<R>> {
    setState({ kind: 'pending' })
    let outcome: CallState<R>
    try {
      outcome = { kind: 'done', value: await call(input) }
    } catch (err) {
      outcome = { kind: 'failed', error: toGridNodeError(err) }
    }
    setState(outcome)
    return outcome
  }
  return { state, run, reset: () => setState({ kind: 'idle' }) }
}
