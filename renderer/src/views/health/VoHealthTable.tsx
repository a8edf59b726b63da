import { Badge, Table } from '@mantine/core'
import { useSyncExternalStore } from 'react'
import type { OverlayInfo } from '../../../../shared/api/overlay-schemas.ts'
import { formatBytes, formatPercent, shortPeerId } from '../../format.ts'
import { UNSQUEEZABLE } from '../vo/RoleBadge.tsx'
import type { HealthStore } from './health-store.ts'
import type { Candidate } from './useVoHealth.ts'
import { loadState, type MemberState, type VoHealthRows } from './vo-health.ts'
import { MonoCopy } from '../../components/MonoCopy.tsx'

/** This node first (from its own samples), then each advertised member, then those with no advertisement. */
export function VoHealthTable({ rows, selfId, overlay, store }: { rows: VoHealthRows; selfId: string; overlay: OverlayInfo | null; store: HealthStore }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" highlightOnHover style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Table.Thead>
          <Table.Tr style={{ whiteSpace: 'nowrap' }}>
            <Table.Th>Peer ID</Table.Th>
            <Table.Th>Sub-grid / region</Table.Th>
            <Table.Th ta="right">Cores</Table.Th>
            <Table.Th ta="right">Disk offered</Table.Th>
            <Table.Th ta="right">Load</Table.Th>
            <Table.Th ta="right">p</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <SelfRow peerId={selfId} overlay={overlay} store={store} />
          {rows.advertised.map((candidate) => (
            <AdvertisedRow key={candidate.peer} candidate={candidate} />
          ))}
          {rows.unreachable.map((member) => (
            <HealthRow key={member.peerId} peerId={member.peerId} state="not reachable" />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/**
 * The node is not in its own discovery, so its headline comes from the same figures it advertises
 * (cores, free disk, machine load, p). Only this row hears each second's sample.
 */
function SelfRow({ peerId, overlay, store }: { peerId: string; overlay: OverlayInfo | null; store: HealthStore }) {
  const sample = useSyncExternalStore(store.subscribe, store.getLatest)
  const scalability = useSyncExternalStore(store.subscribe, store.getScalability)
  return (
    <HealthRow
      peerId={peerId}
      state="this node"
      figures={
        sample === null
          ? undefined
          : {
              subgrid: overlay?.subgrid ?? null,
              region: overlay?.region ?? null,
              cores: sample.cpu.cores,
              diskBytes: sample.disk.freeBytes,
              load: sample.cpu.machine,
              p: scalability?.p ?? null,
            }
      }
    />
  )
}

function AdvertisedRow({ candidate }: { candidate: Candidate }) {
  return <HealthRow peerId={candidate.peer} state={loadState(candidate.load)} figures={candidate} />
}

interface Figures {
  subgrid: string | null
  region: string | null
  cores: number
  diskBytes: number
  load: number
  p: number | null
}

/** One member; without figures (no advertisement, or no sample yet) its cells say "—". */
function HealthRow({ peerId, state, figures }: { peerId: string; state: MemberState; figures?: Figures | undefined }) {
  return (
    <Table.Tr data-testid="vo-health-row" data-peer-id={peerId}>
      <Table.Td>
        <MonoCopy value={peerId} shown={shortPeerId(peerId)} label="Copy peer ID" wrap={false} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{figures?.subgrid == null ? '—' : `${figures.subgrid} / ${figures.region ?? '—'}`}</Table.Td>
      <Table.Td ta="right">{figures?.cores ?? '—'}</Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        {figures === undefined ? '—' : formatBytes(figures.diskBytes)}
      </Table.Td>
      <Table.Td ta="right">{figures === undefined ? '—' : formatPercent(figures.load)}</Table.Td>
      <Table.Td ta="right">{figures?.p == null ? '—' : figures.p.toFixed(2)}</Table.Td>
      <Table.Td>
        <StateBadge state={state} />
      </Table.Td>
    </Table.Tr>
  )
}

const STATE_LOOK: Record<MemberState, { variant: string; color: string }> = {
  // Outlined, like the VO page's "this node": it names the row rather than measuring it.
  'this node': { variant: 'outline', color: 'teal' },
  ok: { variant: 'dot', color: 'teal' },
  busy: { variant: 'dot', color: 'orange' },
  'not reachable': { variant: 'dot', color: 'gray' },
}

function StateBadge({ state }: { state: MemberState }) {
  const look = STATE_LOOK[state]
  return (
    <Badge variant={look.variant} color={look.color} tt="none" styles={UNSQUEEZABLE} data-testid="vo-health-state">
      {state}
    </Badge>
  )
}
