/** "3 d 4 h", "2 h 05 min", "4 min 09 s", "12 s": the two largest units, enough to read at a glance. */
export function formatDuration(totalSec: number): string {
  const days = Math.floor(totalSec / 86_400)
  const hours = Math.floor((totalSec % 86_400) / 3_600)
  const minutes = Math.floor((totalSec % 3_600) / 60)
  const seconds = Math.floor(totalSec % 60)
  const pad = (n: number): string => String(n).padStart(2, '0')
  if (days > 0) return `${days} d ${hours} h`
  if (hours > 0) return `${hours} h ${pad(minutes)} min`
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`
  return `${seconds} s`
}

export function formatLatency(latencyMs: number | null): string {
  if (latencyMs === null) return '—'
  // Loopback pings take a fraction of a millisecond; "0 ms" would read as broken.
  return latencyMs < 1 ? '< 1 ms' : `${Math.round(latencyMs)} ms`
}
