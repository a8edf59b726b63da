/** What the VO health table says about each member, decided apart from how it is drawn. */
import type { VoMember } from '../../../../shared/api/vo-schemas.ts'
import { BUSY_LOAD } from '../../constants.ts'
import type { Candidate, VoHealthSnapshot } from './useVoHealth.ts'

export type MemberState = 'this node' | 'ok' | 'busy' | 'not reachable'

/** A member's state from the load it advertised. */
export function loadState(load: number): 'ok' | 'busy' {
  return load >= BUSY_LOAD ? 'busy' : 'ok'
}

export interface VoHealthRows {
  /** Members with a live advertisement, in a stable order so rows do not jump between refreshes. */
  advertised: Candidate[]
  /** Members this node knows of with no advertisement in any index: offline, or not registered yet. */
  unreachable: VoMember[]
}

export function healthRows(snapshot: VoHealthSnapshot, selfId: string): VoHealthRows {
  // This node's row comes from its own samples; an index holding its ad too must not list it twice.
  const advertised = snapshot.candidates.filter((candidate) => candidate.peer !== selfId).sort(bySubgridThenPeer)
  const seen = new Set(advertised.map((candidate) => candidate.peer))
  const unreachable = snapshot.members.filter((member) => !member.self && member.peerId !== selfId && !seen.has(member.peerId))
  return { advertised, unreachable: unreachable.sort((a, b) => a.peerId.localeCompare(b.peerId)) }
}

function bySubgridThenPeer(a: Candidate, b: Candidate): number {
  return a.region.localeCompare(b.region) || a.subgrid.localeCompare(b.subgrid) || a.peer.localeCompare(b.peer)
}
