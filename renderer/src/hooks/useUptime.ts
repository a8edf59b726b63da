import { useNow } from './useNow.ts'

/** Seconds since `startedAt` (ISO time), counted here with a 1 s ticker instead of asking the node. */
export function useUptime(startedAt: string): number {
  const now = useNow(1_000)
  const started = Date.parse(startedAt)
  return Number.isNaN(started) ? 0 : Math.max(0, Math.floor((now - started) / 1000))
}
