/**
 * The group log's entry kinds as people read them. The join protocol's five steps (seed patent
 * Figs. 4A/4B, as DESIGN.md lists them) get their number and what happens in them, so a join can
 * be followed step by step; the other phases of a group's life get a plain name.
 */

/** What the joining member does in each step of the join protocol. */
export const JOIN_STEPS = [
  'gets the group state',
  'finds its subgroups',
  'announces its subgroups',
  'receives configurations',
  'sends its configuration · mirroring starts',
] as const

const PHASES: Record<string, string> = {
  'catch-up': 'Catch-up',
  failover: 'Failover',
  handover: 'Handover',
  recruit: 'Recruiting',
  quota: 'Disk quota',
  leave: 'Leave',
  rejected: 'Refused',
}

export interface LogKind {
  /** "Join 3", "Failover". */
  tag: string
  /** What happens in a join step ("announces its subgroups"); null for other kinds. */
  step: string | null
  /** The join step (1…5), or null for any other kind. */
  joinStep: number | null
}

/** `kind` as the node logs it: `join-3` (or the patent's own numbering, `4A.3 …`), `failover`, … */
export function describeLogKind(kind: string): LogKind {
  const step = Number(/^(?:join-|4[AB]\.)([1-5])\b/.exec(kind)?.[1] ?? Number.NaN)
  if (Number.isInteger(step)) return { tag: `Join ${step}`, step: JOIN_STEPS[step - 1]!, joinStep: step }
  const words = kind.replaceAll(/[-_]+/g, ' ').trim()
  return { tag: PHASES[kind] ?? (words === '' ? 'Event' : words[0]!.toUpperCase() + words.slice(1)), step: null, joinStep: null }
}
