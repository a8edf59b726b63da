import { Text, Title } from '@mantine/core'

export function PageHeader({ title, description }: { title: string; description: string }) {
  return (
    <div>
      <Title order={2}>{title}</Title>
      <Text c="dimmed" mt={4}>
        {description}
      </Text>
    </div>
  )
}
