import { formatDuration } from '../format.ts'
import { useNow } from '../hooks/useNow.ts'

/**
 * "12 s ago" or "in 6 d 23 h" for an ISO time, the exact time on hover; kept current by its own slow
 * ticker so its parent does not re-render.
 */
export function RelativeTime({ iso }: { iso: string | null }) {
  const now = useNow(5_000)
  if (iso === null) return <>never</>
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return <>unknown</>
  const aheadSec = (at - now) / 1000
  return <span title={new Date(at).toLocaleString()}>{aheadSec > 0 ? `in ${formatDuration(aheadSec)}` : `${formatDuration(-aheadSec)} ago`}</span>
}
