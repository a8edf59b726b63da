import { Card, Center, Group, List, Stack, Text, Title } from '@mantine/core'
import { useEffect } from 'react'
import { Logo } from '../components/Logo.tsx'
import { tokenInUrl } from '../token.ts'

/** The page was opened without the token that lets it talk to the node. */
export function NoTokenView() {
  useEffect(() => {
    // Pasting the node's link into this tab changes only the fragment, which does not reload the page.
    const onHashChange = (): void => {
      if (tokenInUrl() !== null) location.reload()
    }
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [])
  return (
    <Center mih="100vh" p="lg">
      <Card withBorder padding="xl" maw={560} shadow="sm">
        <Stack gap="md">
          <Group gap="sm">
            <Logo size={36} />
            <Title order={2}>Open GridNode from its link</Title>
          </Group>
          <Text>
            This page cannot talk to your node yet: it needs the access token that only the node&apos;s own link carries.
          </Text>
          <List spacing="xs">
            <List.Item>
              Open the URL printed by <code>npm start</code> / <code>gridnode start</code>. It ends with{' '}
              <code>#token=…</code>.
            </List.Item>
            <List.Item>The token is kept for this browser tab only, so reloading keeps working.</List.Item>
          </List>
          <Text size="sm" c="dimmed">
            The token is removed from the address bar as soon as the page loads, so it does not end up in screenshots or
            bookmarks.
          </Text>
        </Stack>
      </Card>
    </Center>
  )
}
