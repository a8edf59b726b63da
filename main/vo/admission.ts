/**
 * Admission without an admin at hand: VOs found on the LAN (lan.ts), join requests held by issuers
 * (request-inbox.ts) and sent by newcomers (request-outbox.ts), and issue rights delegated to the
 * overlay's leaders (delegation.ts). One service for the composition root, in the API's shapes.
 */
import type { JoinRequest, Nearby, OutgoingRequest } from '../../shared/api/vo-schemas.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { createDelegation } from './delegation.ts'
import { createLanDiscovery } from './lan.ts'
import type { VoMembership } from './membership.ts'
import { createRequestInbox } from './request-inbox.ts'
import { createRequestOutbox, type OutgoingView, type SendInit } from './request-outbox.ts'
import type { VoStore } from './vo-store.ts'

export interface AdmissionComponents {
  host: GridHost
  vo: VoMembership
  voStore: VoStore
  logger: Logger
  /** The overlay's leaders this node knows of (peer ids): who gets issue rights. */
  leaders: () => string[]
}

export interface AdmissionInit {
  /** Whether the host listens for the LAN (mDNS); reported so the UI can say why nothing shows. */
  mdns: boolean
}

export interface Admission {
  start(): Promise<void>
  stop(): void
  nearby(): Nearby
  requestJoin(init: SendInit): Promise<OutgoingRequest>
  requests(): Promise<JoinRequest[]>
  approve(id: string): Promise<{ peerId: string }>
  refuse(id: string): Promise<{ peerId: string }>
  /** Call when the overlay's leaders may have changed. */
  leadersChanged(): void
  onNearbyChange(listener: () => void): () => void
  onRequestsChange(listener: () => void): () => void
}

const iso = (ms: number): string => new Date(ms).toISOString()
const outgoing = (view: OutgoingView): OutgoingRequest => ({ ...view, sentAt: iso(view.sentAt), expiresAt: iso(view.expiresAt) })

export function createAdmission({ host, vo, voStore, logger, leaders }: AdmissionComponents, { mdns }: AdmissionInit): Admission {
  const lan = createLanDiscovery({ host, vo, logger })
  const inbox = createRequestInbox({ host, vo, voStore, logger })
  const outbox = createRequestOutbox({ host, vo, voStore, lan, logger })
  const delegation = createDelegation({ vo, leaders, logger })
  const unsubscribe: Array<() => void> = []

  return {
    async start() {
      await lan.start()
      await inbox.start()
      await outbox.start()
      unsubscribe.push(vo.onProven(() => delegation.check()), vo.onChange(() => delegation.check()))
    },
    stop() {
      unsubscribe.splice(0).forEach((off) => off())
      outbox.stop()
      inbox.stop()
      lan.stop()
    },
    nearby() {
      const request = outbox.state()
      return { mdns, vos: lan.vos().map((v) => ({ ...v, seenAt: iso(v.seenAt) })), request: request === null ? null : outgoing(request) }
    },
    requestJoin: async (init) => outgoing(await outbox.send(init)),
    requests: async () => (await inbox.pending()).map((r) => ({ ...r, receivedAt: iso(r.receivedAt), expiresAt: iso(r.expiresAt) })),
    approve: (id) => inbox.approve(id),
    refuse: (id) => inbox.refuse(id),
    leadersChanged: () => delegation.check(),
    onNearbyChange(listener) {
      const offs = [lan.onChange(listener), outbox.onChange(listener), vo.onChange(listener)]
      return () => offs.forEach((off) => off())
    },
    onRequestsChange: (listener) => inbox.onChange(listener),
  }
}
