import { Group, Loader, Text } from '@mantine/core'

/** Before the node's first status arrives, a page built from it has nothing honest to show. */
export function WaitingForNode() {
  return (
    <Group gap="sm" c="dimmed" mt="xl">
      <Loader size="sm" />
      <Text>Waiting for your node…</Text>
    </Group>
  )
}
