import { Alert, Badge, Button, Group, Loader, Stack, Text, TextInput } from '@mantine/core'
import { IconAccessPointOff, IconHandStop, IconHourglassHigh, IconSend } from '@tabler/icons-react'
import { useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import { RequestLabelSchema, type NearbyVo, type OutgoingRequest } from '../../../../shared/api/vo-schemas.ts'
import { MonoCopy } from '../../components/MonoCopy.tsx'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { useNodeFeed } from './useNodeFeed.ts'
import { useVoCall } from './useVoCall.ts'
import { VoError } from './VoError.tsx'

const LABEL_MAX = RequestLabelSchema.maxLength ?? undefined

/**
 * The VOs this node hears on its network (by id and name only), live, each with a button to ask
 * to join; then the request's state until an admin decides. Approval brings up the VO page by
 * itself (the node's status changes); a refusal stays shown until the next request.
 */
export function NearbyVos({ client }: { client: ApiClient }) {
  const feed = useNodeFeed(client, 'nearby', (signal) => client.voNearby({}, { signal }))
  const [label, setLabel] = useState('')
  const ask = useVoCall((voId: string) => client.voRequestJoin({ voId, ...(label.trim() === '' ? {} : { label: label.trim() }) }))
  const nearby = feed.data
  if (nearby === null) return feed.error === null ? <Loader size="sm" /> : <VoError error={feed.error} title="Could not ask the node" />
  if (!nearby.mdns)
    return (
      <Alert color="gray" variant="light" icon={<IconAccessPointOff />} title="Not listening to this network" data-testid="vo-nearby-off">
        This node was started with <code>--no-mdns</code>, so it neither hears VOs around it nor is heard.
      </Alert>
    )
  const pending = nearby.request?.state === 'pending'
  return (
    <Stack gap="sm" data-testid="vo-nearby">
      {nearby.request !== null && <RequestState request={nearby.request} />}
      {nearby.vos.length === 0 ? (
        <Group gap={6} c="dimmed">
          <Loader size="xs" />
          <Text size="sm">Listening… VOs with a node on this network show up here within seconds.</Text>
        </Group>
      ) : (
        <>
          <TextInput
            label="Your name for the admins"
            description="Who is asking, as the admins will see it. Left empty, this machine's name."
            value={label}
            onChange={(event) => setLabel(event.currentTarget.value)}
            maxLength={LABEL_MAX}
            disabled={pending}
            data-testid="vo-request-label"
          />
          {nearby.vos.map((vo) => (
            <NearbyRow key={vo.id} vo={vo} disabled={pending || ask.state.kind === 'pending'} asking={ask.state.kind === 'pending'} onAsk={() => void ask.run(vo.id)} />
          ))}
        </>
      )}
      {ask.state.kind === 'failed' && <VoError error={ask.state.error} title="Could not send the request" />}
    </Stack>
  )
}

function NearbyRow({ vo, disabled, asking, onAsk }: { vo: NearbyVo; disabled: boolean; asking: boolean; onAsk: () => void }) {
  return (
    <Group justify="space-between" wrap="nowrap" align="flex-start" data-testid="vo-nearby-row" data-vo-id={vo.id}>
      <div style={{ minWidth: 0 }}>
        <Text fw={600} style={{ wordBreak: 'break-word' }}>
          {vo.name}
        </Text>
        <MonoCopy value={vo.id} label="Copy VO ID" size="xs" />
        <Text size="xs" c="dimmed">
          {vo.peers === 1 ? '1 node' : `${vo.peers} nodes`} heard <RelativeTime iso={vo.seenAt} />
        </Text>
      </div>
      {vo.admits ? (
        <Button size="xs" variant="light" leftSection={<IconSend size={14} />} disabled={disabled} loading={asking} onClick={onAsk} data-testid="vo-nearby-request">
          Ask to join
        </Button>
      ) : (
        <Badge variant="light" color="gray" tt="none">
          no admin on
        </Badge>
      )}
    </Group>
  )
}

function RequestState({ request }: { request: OutgoingRequest }) {
  if (request.state === 'pending')
    return (
      <Alert color="blue" variant="light" icon={<IconHourglassHigh />} title={`Asked to join ${request.vo.name}`} data-testid="vo-request-pending">
        Waiting for an admin of the VO to approve this node (request <code>{request.id}</code>, sent <RelativeTime iso={request.sentAt} />). This page
        turns into the VO&apos;s page as soon as they do.
      </Alert>
    )
  return (
    <Alert color="red" variant="light" icon={<IconHandStop />} title={request.state === 'refused' ? `${request.vo.name} refused the request` : 'The request expired'} data-testid="vo-request-ended">
      {request.state === 'refused'
        ? 'An admin of the VO said no. Nothing of the VO was kept on this node; ask an admin if you think this is a mistake.'
        : 'No admin decided in time. You can ask again.'}
    </Alert>
  )
}
