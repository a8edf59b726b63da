import { Card, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { CopyValue } from './CopyValue.tsx'

/** The multiaddrs other nodes can dial to reach this one. */
export function ListenAddresses({ addrs }: { addrs: readonly string[] }) {
  return (
    <Card withBorder padding="lg">
      <Title order={4}>Listen addresses</Title>
      <Text size="sm" c="dimmed" mb="sm">
        Give one of these to another node so it can connect to this one.
      </Text>
      {addrs.length === 0 ? (
        <Text size="sm" c="dimmed">
          This node is not listening on any address, so others cannot dial it (it can still dial them).
        </Text>
      ) : (
        <Stack gap={6}>
          {addrs.map((addr) => (
            <Paper key={addr} bg="var(--mantine-color-default-hover)" px="sm" py={6} radius="sm">
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
                  {addr}
                </Text>
                <CopyValue value={addr} label="Copy address" />
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Card>
  )
}
