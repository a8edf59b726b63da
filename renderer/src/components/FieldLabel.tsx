import { Text } from '@mantine/core'

/** The small caps label above a value in a card (Peer ID, Version, Role…). */
export function FieldLabel({ children }: { children: string }) {
  return (
    <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4} style={{ letterSpacing: '0.04em' }}>
      {children}
    </Text>
  )
}
