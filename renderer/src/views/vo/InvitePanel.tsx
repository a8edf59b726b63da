import { Box, Button, Card, Code, Group, Input, NumberInput, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconTicket } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { z } from 'zod'
import type { ApiClient } from '../../../../shared/api/client.ts'
import { InviteInputSchema, type VoInfo } from '../../../../shared/api/vo-schemas.ts'
import { CopyValue } from '../../components/CopyValue.tsx'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { formatDateTime } from '../../format.ts'
import { useVoCall } from './useVoCall.ts'
import { VoError } from './VoError.tsx'

type Role = VoInfo['role']
/** An invite request as the schema leaves it: every default filled in. */
type InviteRequest = z.output<typeof InviteInputSchema>

/** How long an invite stays valid; 7 days is the node's own default (issue 3's `--expires 7d`). */
const EXPIRIES = [
  { value: '1h', label: '1 hour', seconds: 3_600 },
  { value: '1d', label: '1 day', seconds: 86_400 },
  { value: '7d', label: '7 days', seconds: 7 * 86_400 },
  { value: '30d', label: '30 days', seconds: 30 * 86_400 },
] as const
type Expiry = (typeof EXPIRIES)[number]['value']

/** Makes invites (admins, and members an admin delegated to) to send to whoever should join. */
export function InvitePanel({ vo, client }: { vo: VoInfo; client: ApiClient }) {
  const [role, setRole] = useState<Role>('member')
  const [expiry, setExpiry] = useState<Expiry>('7d')
  const [uses, setUses] = useState<number | string>(1)
  const [usesError, setUsesError] = useState<string | null>(null)
  // The input travels with the answer, so the token is described as it was made, not as the form now reads.
  const invite = useVoCall(async (input: InviteRequest) => ({ invite: await client.voInvite(input), input }))

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    // The contract's own schema checks the form, so the limits live in one place.
    const parsed = InviteInputSchema.safeParse({ role, expiresInSec: EXPIRIES.find((choice) => choice.value === expiry)?.seconds, uses: Number(uses) })
    // Role and expiry come from fixed choices, so a refusal can only be about the number of uses.
    setUsesError(parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Not a valid number of uses'))
    if (parsed.success) void invite.run(parsed.data)
  }

  return (
    <Card withBorder padding="lg">
      <Title order={4}>Invite</Title>
      <Text size="sm" c="dimmed" mb="md">
        Make a signed invite and send it to the person joining: they paste it into their node&apos;s Join a VO page, or run{' '}
        <code>gridnode vo join</code> with it. It reaches the VO through this node and the members it knows.
      </Text>
      <form onSubmit={submit}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Input.Wrapper label="Role">
            {/* Only admins may make admins; a delegated member can still invite members. */}
            <SegmentedControl<Role>
              value={role}
              onChange={setRole}
              data={[
                { value: 'member', label: 'member' },
                { value: 'admin', label: 'admin', disabled: vo.role !== 'admin' },
              ]}
              fullWidth
            />
          </Input.Wrapper>
          <Input.Wrapper label="Valid for">
            <SegmentedControl<Expiry>
              value={expiry}
              onChange={setExpiry}
              data={EXPIRIES.map(({ value, label }) => ({ value, label }))}
              fullWidth
            />
          </Input.Wrapper>
          <NumberInput
            label="Uses"
            min={1}
            allowDecimal={false}
            value={uses}
            onChange={setUses}
            error={usesError}
            data-testid="vo-invite-uses"
          />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" leftSection={<IconTicket size={16} />} loading={invite.state.kind === 'pending'} data-testid="vo-invite-create">
            Create invite
          </Button>
        </Group>
      </form>
      {invite.state.kind === 'failed' && (
        <Box mt="md">
          <VoError error={invite.state.error} title="Could not make the invite" />
        </Box>
      )}
      {invite.state.kind === 'done' && <InviteToken {...invite.state.value} />}
    </Card>
  )
}

function InviteToken({ invite, input }: { invite: { token: string; expiresAt: string }; input: InviteRequest }) {
  return (
    <Stack gap={6} mt="md">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          An invite for a <b>{input.role}</b>, {input.uses === 1 ? 'good for one node' : `good for ${input.uses} nodes`}. It expires{' '}
          <RelativeTime iso={invite.expiresAt} />, on {formatDateTime(invite.expiresAt)}.
        </Text>
        <CopyValue value={invite.token} label="Copy invite" />
      </Group>
      <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', maxHeight: 160, overflowY: 'auto' }} data-testid="vo-invite-token">
        {invite.token}
      </Code>
    </Stack>
  )
}
