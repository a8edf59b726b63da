/**
 * The overlay's hierarchy as this node knows it — regions, their sub-grids, each sub-grid's
 * members — decided apart from how it is drawn. Leaders come from the node's own view (pushed
 * live with its status); members come from a discovery through the super-peers, which lists every
 * live advertisement. A leader missing from the discovery is still drawn: it is known to lead.
 */
import type { OverlayInfo } from '../../../../shared/api/overlay-schemas.ts'
import type { Candidate } from '../health/useVoHealth.ts'

export type MapRole = 'member' | 'super-peer' | 'region-peer'

export interface MapPeer {
  peer: string
  role: MapRole
  self: boolean
}

export interface MapSubgrid {
  subgrid: string
  superPeer: string | null
  /** Leaders first, then by peer id, so the drawing does not reshuffle between refreshes. */
  peers: MapPeer[]
}

export interface MapRegion {
  region: string
  regionPeer: string | null
  /** This node's region. */
  own: boolean
  subgrids: MapSubgrid[]
}

const RANK: Record<MapRole, number> = { 'region-peer': 0, 'super-peer': 1, member: 2 }

export function overlayMap(overlay: OverlayInfo, selfId: string, candidates: readonly Candidate[]): MapRegion[] {
  const regionPeerOf = new Map(overlay.regionPeers.map((e) => [e.region, e.peer]))
  if (overlay.regionPeer !== null) regionPeerOf.set(overlay.region, overlay.regionPeer)
  // Only this node's region's super-peers are known here; other regions are known by their region peer.
  const superPeerOf = new Map(overlay.superPeers.map((e) => [e.subgrid, e.peer]))
  if (overlay.superPeer !== null) superPeerOf.set(overlay.subgrid, overlay.superPeer)

  // region → subgrid → peers
  const tree = new Map<string, Map<string, Set<string>>>()
  const place = (region: string, subgrid: string | null, peer: string | null): void => {
    const subgrids = tree.get(region) ?? new Map<string, Set<string>>()
    tree.set(region, subgrids)
    if (subgrid === null) return
    const peers = subgrids.get(subgrid) ?? new Set<string>()
    subgrids.set(subgrid, peers)
    if (peer !== null) peers.add(peer)
  }
  place(overlay.region, overlay.subgrid, selfId)
  for (const [subgrid, peer] of superPeerOf) place(overlay.region, subgrid, peer)
  for (const region of regionPeerOf.keys()) place(region, null, null)
  for (const c of candidates) place(c.region, c.subgrid, c.peer)

  return [...tree]
    .map(([region, subgrids]): MapRegion => {
      const regionPeer = regionPeerOf.get(region) ?? null
      return {
        region,
        regionPeer,
        own: region === overlay.region,
        subgrids: [...subgrids]
          .map(([subgrid, peers]): MapSubgrid => {
            const superPeer = region === overlay.region ? (superPeerOf.get(subgrid) ?? null) : null
            const roleOf = (peer: string): MapRole => (peer === regionPeer ? 'region-peer' : peer === superPeer ? 'super-peer' : 'member')
            return {
              subgrid,
              superPeer,
              peers: [...peers]
                .map((peer) => ({ peer, role: roleOf(peer), self: peer === selfId }))
                .sort((a, b) => RANK[a.role] - RANK[b.role] || a.peer.localeCompare(b.peer)),
            }
          })
          .sort((a, b) => a.subgrid.localeCompare(b.subgrid)),
      }
    })
    .sort((a, b) => Number(b.own) - Number(a.own) || a.region.localeCompare(b.region))
}
