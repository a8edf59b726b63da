import { useEffect, useState } from 'react'

/** Seconds since `startedAt` (ISO time), counted here with a 1 s ticker instead of asking the node. */
export function useUptime(startedAt: string): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const ticker = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(ticker)
  }, [])
  const started = Date.parse(startedAt)
  return Number.isNaN(started) ? 0 : Math.max(0, Math.floor((now - started) / 1000))
}
