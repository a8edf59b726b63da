/**
 * Token buckets for the public protocols that strangers may call (which VO is here, join
 * requests): each remote peer gets its own bucket, and all of them share one more, so neither
 * one peer nor many can make the node do unbounded work. Pure: time is passed in.
 */

export interface RateLimitInit {
  /** Requests one peer may make in a burst, and how many it regains per second. */
  perPeer: { burst: number; perSecond: number }
  /** The same for all peers together. */
  total: { burst: number; perSecond: number }
  /** Buckets kept at most; the least recently used peer's is dropped first (a full bucket again). */
  maxPeers: number
}

export interface RateLimiter {
  /** Takes one token for `peer` (and one from the total) if both have one; false means refuse. */
  take(peer: string, now: number): boolean
}

interface Bucket {
  tokens: number
  at: number
}

function refill(bucket: Bucket, rate: { burst: number; perSecond: number }, now: number): void {
  bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond)
  bucket.at = now
}

export function createRateLimiter(init: RateLimitInit): RateLimiter {
  const peers = new Map<string, Bucket>()
  let total: Bucket | undefined
  return {
    take(peer, now) {
      total ??= { tokens: init.total.burst, at: now }
      const bucket = peers.get(peer) ?? { tokens: init.perPeer.burst, at: now }
      // Re-inserted on every use, so the map's first key is the least recently used.
      peers.delete(peer)
      peers.set(peer, bucket)
      if (peers.size > init.maxPeers) peers.delete(peers.keys().next().value!)
      refill(bucket, init.perPeer, now)
      refill(total, init.total, now)
      if (bucket.tokens < 1 || total.tokens < 1) return false
      bucket.tokens -= 1
      total.tokens -= 1
      return true
    },
  }
}
