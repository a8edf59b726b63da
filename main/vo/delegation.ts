/**
 * Admins hand issue rights to the overlay's leaders (super-peers and region peers): the most
 * available machines of the VO, so invites are redeemed and join requests decided while every
 * admin's laptop is off. An admin node that sees a leader without issue rights sends it a
 * delegated certificate; the leader keeps it (a delegation lasts as long as any certificate, and a
 * revocation of the leader voids it together with what it issued).
 */
import type { Logger } from '../log/logger.ts'
import type { VoMembership } from './membership.ts'

export interface DelegationComponents {
  vo: VoMembership
  /** The overlay's leaders this node knows of now (peer ids). */
  leaders: () => string[]
  logger: Logger
}

export interface Delegation {
  /** Delegates to every known leader that lacks issue rights; run when leaders or members change. */
  check(): void
}

export function createDelegation({ vo, leaders, logger }: DelegationComponents): Delegation {
  const inflight = new Set<string>()
  return {
    check() {
      if (vo.info()?.role !== 'admin') return
      for (const peer of new Set(leaders())) {
        const member = vo.provenMembership(peer)
        if (member === undefined || member.canIssue || inflight.has(peer)) continue
        inflight.add(peer)
        vo.delegate(peer)
          .catch((err: unknown) => logger.info({ peer, err: (err as Error).message }, 'could not delegate issuing'))
          .finally(() => inflight.delete(peer))
      }
    },
  }
}
