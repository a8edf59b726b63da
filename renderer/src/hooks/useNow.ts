import { useEffect, useState } from 'react'

/** The current time (ms), refreshed every `periodMs` here rather than asked of the node. */
export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const ticker = setInterval(() => setNow(Date.now()), periodMs)
    return () => clearInterval(ticker)
  }, [periodMs])
  return now
}
