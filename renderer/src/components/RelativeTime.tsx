import { formatDuration } from '../format.ts'
import { useNow } from '../hooks/useNow.ts'

/**
 * "12 s ago" or "in 6 d 23 h" for an ISO time, the exact time on hover; kept current by its own slow
 * ticker so its parent does not re-render.
 */
const TICK_MS = 5_000

export function RelativeTime({ iso }: { iso: string | null }) {
  const now = useNow(TICK_MS)
  if (iso === null) return <>never</>
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return <>unknown</>
  const aheadSec = (at - now) / 1000
  // Within one tick the ticker's "now" may lag the real one: a moment just past would read "in 1 s".
  const text = Math.abs(aheadSec) < TICK_MS / 1000 ? 'just now' : aheadSec > 0 ? `in ${formatDuration(aheadSec)}` : `${formatDuration(-aheadSec)} ago`
  return <span title={new Date(at).toLocaleString()}>{text}</span>
}
