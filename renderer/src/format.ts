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

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const

/** "812 B", "4.2 MB", "118 GB": decimal units, three significant digits at most. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit += 1
  }
  return `${formatSignificant(value)} ${BYTE_UNITS[unit]}`
}

/** A 0…1 share as "23%" ("0.4%" below one percent, where rounding to 0 would read as idle). */
export function formatPercent(share: number): string {
  const percent = share * 100
  return percent > 0 && percent < 1 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`
}

/** Milliseconds with the precision they deserve: "0.42 ms", "3.1 ms", "250 ms". */
export function formatMs(ms: number): string {
  return `${formatSignificant(ms)} ms`
}

/** Requests per second, or "unbounded" where the bound is null (no limit from that resource). */
export function formatRate(perSecond: number | null): string {
  return perSecond === null ? 'unbounded' : `${formatSignificant(perSecond)} req/s`
}

/** Up to three significant digits, never in exponent form: 0.42, 3.14, 12.5, 830, 12345. */
export function formatSignificant(value: number): string {
  if (value === 0) return '0'
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2
  return Number(value.toFixed(digits)).toString()
}

/** An ISO time as people read it where they are: "14 Mar 2026, 14:05" (their locale decides the order). */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/**
 * "12D3KooW…x7Qe9a" for a peer ID: every Ed25519 peer ID starts with 12D3KooW, so the prefix says
 * what it is and the tail tells peers apart. The full ID goes in a title and a copy button.
 */
export function shortPeerId(peerId: string): string {
  return peerId.length <= 16 ? peerId : `${peerId.slice(0, 8)}…${peerId.slice(-6)}`
}
