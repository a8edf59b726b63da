import { Alert, Text } from '@mantine/core'
import { IconPlugConnectedX } from '@tabler/icons-react'
import type { GridNodeError } from '../../../shared/errors.ts'

/** Shown while the link to the node is down; the status hook keeps retrying in the background. */
export function DisconnectedBanner({ error }: { error: GridNodeError }) {
  return (
    <Alert color="orange" variant="light" icon={<IconPlugConnectedX />} title="Disconnected — reconnecting…">
      <Text size="sm">
        <Text span ff="monospace" size="sm" fw={600}>
          {error.code}
        </Text>{' '}
        {error.message}
      </Text>
      {error.code === 'UNAUTHORIZED' && (
        <Text size="sm" mt={4}>
          The node does not accept this page&apos;s token (it may have restarted with a new one). Open the URL printed by{' '}
          <code>npm start</code> / <code>gridnode start</code> again.
        </Text>
      )}
    </Alert>
  )
}
