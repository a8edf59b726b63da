import { Card, EmptyState, Title } from '@mantine/core'
import { IconUsersGroup } from '@tabler/icons-react'

/** Members' health arrives through super-peers once this node is in a VO (issue 3); until then, say so. */
export function VoHealthCard() {
  return (
    <Card withBorder padding="lg">
      <Title order={4}>Your VO</Title>
      <EmptyState
        size="sm"
        icon={<IconUsersGroup />}
        withIndicatorBackground
        title="This node is not in a VO yet"
        description="Once it joins one, each member's headline health, collected through the super-peers, is listed here with its state."
        py="lg"
      />
    </Card>
  )
}
