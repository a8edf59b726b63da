import { Button, Group, Loader, Stack, Text, Textarea } from '@mantine/core'
import { IconLogin2 } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import { INVITE_PREFIX } from '../../../../shared/api/vo-schemas.ts'
import { cleanInvite, looksLikeInvite } from './invite-text.ts'
import { useVoCall } from './useVoCall.ts'
import { VoError } from './VoError.tsx'

/** Redeems a pasted invite; once the node has joined, its status event brings up the VO page. */
export function JoinVoForm({ client }: { client: ApiClient }) {
  const [text, setText] = useState('')
  const [notAnInvite, setNotAnInvite] = useState(false)
  const join = useVoCall((token: string) => client.voJoin({ token }))
  const busy = join.state.kind === 'pending' || join.state.kind === 'done'

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    const token = cleanInvite(text)
    const valid = looksLikeInvite(token)
    setNotAnInvite(!valid)
    if (valid) void join.run(token)
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Textarea
          label="Invite"
          description="The one line an admin of the VO sent you."
          placeholder={`${INVITE_PREFIX}…`}
          autosize
          minRows={3}
          maxRows={6}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value)
            setNotAnInvite(false)
            if (join.state.kind === 'failed') join.reset()
          }}
          error={notAnInvite ? `An invite is one line starting ${INVITE_PREFIX}` : undefined}
          disabled={busy}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)', wordBreak: 'break-all' } }}
          data-testid="vo-invite-input"
        />
        <Group gap="sm">
          <Button type="submit" leftSection={<IconLogin2 size={16} />} loading={busy} disabled={text.trim() === ''} data-testid="vo-join-submit">
            Join
          </Button>
          {busy && (
            <Group gap={6} c="dimmed">
              <Loader size="xs" />
              <Text size="sm">Reaching the invite&apos;s bootstrap nodes…</Text>
            </Group>
          )}
        </Group>
        {join.state.kind === 'failed' && <VoError error={join.state.error} title="Could not join" />}
      </Stack>
    </form>
  )
}
