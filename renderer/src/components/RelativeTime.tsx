import { formatDuration } from '../../format.ts'
import { useNow } from '../../hooks/useNow.ts'

/** "12 s ago" for an ISO time, kept current by its own slow ticker so its parent does not re-render. */
export function Age({ iso }: { iso: string | null }) {
  const now = useNow(5_000)
  if (iso === null) return <>never</>
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return <>unknown</>
  return <span title={new Date(at).toLocaleString()}>{formatDuration(Math.max(0, (now - at) / 1000))} ago</span>
}
