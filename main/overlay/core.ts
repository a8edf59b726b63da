/**
 * The shape shared by every protocol core: inputs carry the time (`now`, ms), a core answers with
 * outputs — messages to send and effects for the runtime — and says when it next needs a tick.
 * The runtime (libp2p node or simulator) delivers messages, fires one timer at nextDeadline(), and
 * acts on effects; cores never read clocks, sockets or Math.random.
 */
import type { Advertisement, Level, OverlayMessage } from './messages.ts'

/** A libp2p peer id, as a string. */
export type PeerId = string

export type OverlayEffect =
  /** `group`'s leader (super-peer for level subgrid, region peer for level region) is now `leader`; null while unknown. */
  | { type: 'leader-changed'; level: Level; group: string; leader: PeerId | null; term: number }
  /** A discovery this node started has ended; `hops` is the length of the longest path that contributed a candidate. */
  | { type: 'discovery-result'; id: string; candidates: Advertisement[]; path: PeerId[]; hops: number; satisfied: boolean }

export type Output = { type: 'send'; to: PeerId; message: OverlayMessage } | { type: 'effect'; effect: OverlayEffect }

/** Inputs every core understands. */
export type TickInput = { type: 'tick'; now: number }

export interface Core<Input> {
  handle(input: Input): Output[]
  /** When the core next needs a tick (ms, same clock as `now`); Infinity if never. */
  nextDeadline(): number
}
