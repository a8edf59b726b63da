import { Badge } from '@mantine/core'

/** Whether the page currently has a live link to its node. */
export function ConnectionBadge({ connected }: { connected: boolean }) {
  return (
    <Badge variant="dot" color={connected ? 'teal' : 'red'} size="lg" tt="none" data-testid="connection-state">
      {connected ? 'connected' : 'disconnected'}
    </Badge>
  )
}
