/** Bounded shutdown: quitting must never hang on a node that does not stop. */
import { GridNodeError, toGridNodeError } from '../../shared/errors.ts'

/** Resolves when `stop` settles; rejects with TIMEOUT if it takes longer than `timeoutMs`. */
export async function stopWithin(stop: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GridNodeError('TIMEOUT', `The node did not stop within ${timeoutMs} ms.`)), timeoutMs)
  })
  try {
    await Promise.race([stop(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Runs `stop` at most once however often quitting is requested. Every caller gets the same
 * outcome: undefined when the node stopped cleanly, otherwise the error (TIMEOUT if it hung).
 */
export function onceStopper(stop: () => Promise<void>, timeoutMs: number): () => Promise<GridNodeError | undefined> {
  let outcome: Promise<GridNodeError | undefined> | undefined
  return () => {
    outcome ??= stopWithin(stop, timeoutMs).then(
      () => undefined,
      (err: unknown) => toGridNodeError(err),
    )
    return outcome
  }
}
