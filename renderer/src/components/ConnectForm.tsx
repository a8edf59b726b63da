import { Button, Group, Text, TextInput } from '@mantine/core'
import { IconPlugConnected } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Peer } from '../../../shared/api/schemas.ts'
import { toGridNodeError, type GridNodeError } from '../../../shared/errors.ts'

type Outcome = { kind: 'idle' } | { kind: 'pending' } | { kind: 'connected'; peer: Peer } | { kind: 'failed'; error: GridNodeError }

/** Dials a peer by multiaddr; the peers table updates from the node's events, not from this form. */
export function ConnectForm({ client }: { client: ApiClient }) {
  const [multiaddr, setMultiaddr] = useState('')
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' })

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault()
    setOutcome({ kind: 'pending' })
    try {
      const peer = await client.connect({ multiaddr })
      setOutcome({ kind: 'connected', peer })
      setMultiaddr('')
    } catch (err) {
      setOutcome({ kind: 'failed', error: toGridNodeError(err) })
    }
  }

  const error = outcome.kind === 'failed' ? `${outcome.error.code}: ${outcome.error.message}` : null
  return (
    <form onSubmit={(event) => void submit(event)}>
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <TextInput
          flex={1}
          aria-label="Peer multiaddr"
          placeholder="/ip4/192.168.1.20/tcp/4001/p2p/12D3KooW…"
          value={multiaddr}
          onChange={(event) => {
            setMultiaddr(event.currentTarget.value)
            // The last outcome was about the previous text; keep a pending dial's spinner.
            if (outcome.kind !== 'pending') setOutcome({ kind: 'idle' })
          }}
          error={error}
          maxLength={1024}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-testid="connect-multiaddr"
        />
        <Button
          type="submit"
          leftSection={<IconPlugConnected size={16} />}
          loading={outcome.kind === 'pending'}
          disabled={multiaddr.trim() === ''}
          data-testid="connect-submit"
        >
          Connect
        </Button>
      </Group>
      {outcome.kind === 'connected' && (
        <Text size="sm" c="teal" mt="xs">
          Connected to <code>{outcome.peer.peerId}</code>.
        </Text>
      )}
    </form>
  )
}
