import { AppShell, Box, Burger, Group, Loader, Stack, Text } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { lazy, Suspense } from 'react'
import type { ApiClient } from '../../shared/api/client.ts'
import { ConnectionBadge } from './components/ConnectionBadge.tsx'
import { DisconnectedBanner } from './components/DisconnectedBanner.tsx'
import { Logo } from './components/Logo.tsx'
import { Navigation } from './components/Navigation.tsx'
import { VoBadge } from './components/VoBadge.tsx'
import { WaitingForNode } from './components/WaitingForNode.tsx'
import { useNodeStatus, type NodeStatusState } from './hooks/useNodeStatus.ts'
import { useRoute } from './hooks/useRoute.ts'
import type { Route } from './routes.ts'
import { ComputeView } from './views/ComputeView.tsx'
import { FoldersView } from './views/FoldersView.tsx'
import { SyncAlertStack } from './views/folders/SyncAlertStack.tsx'
import { useSyncAlerts } from './views/folders/useSyncAlerts.ts'
import { NodeView } from './views/NodeView.tsx'
import { OverlayView } from './views/OverlayView.tsx'
import { VoView } from './views/VoView.tsx'

// Charts (uPlot) load with the first visit to Health, not with the app.
const HealthView = lazy(() => import('./views/HealthView.tsx').then((module) => ({ default: module.HealthView })))

export function App({ client }: { client: ApiClient }) {
  const live = useNodeStatus(client)
  const route = useRoute()
  const [navOpen, nav] = useDisclosure(false)
  const syncAlerts = useSyncAlerts(live.status)
  // Set once an attempt has failed; null while connected or while the first attempt is under way.
  const lostBecause = live.connected ? null : live.error

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="xl">
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between">
          <Group gap="sm">
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Logo />
            <Text fw={700} size="lg">
              GridNode
            </Text>
          </Group>
          <Group gap="sm">
            {live.status !== null && <VoBadge vo={live.status.vo} />}
            <ConnectionBadge connected={live.connected} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <AppShell.Section grow>
          <Navigation current={route} onNavigate={nav.close} inVo={Boolean(live.status?.vo)} />
        </AppShell.Section>
        {live.status !== null && (
          <AppShell.Section px="sm" pb="xs">
            <Text size="xs" c="dimmed">
              GridNode {live.status.node.version}
            </Text>
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <Stack gap="lg" maw={1100}>
          {lostBecause !== null && <DisconnectedBanner error={lostBecause} />}
          {/* Dimmed while disconnected: what is shown is the last known state, not live. */}
          <Box style={{ opacity: lostBecause === null ? 1 : 0.6, transition: 'opacity 200ms' }}>
            <Page route={route} live={live} client={client} />
          </Box>
        </Stack>
      </AppShell.Main>
      <SyncAlertStack {...syncAlerts} />
    </AppShell>
  )
}

function Page({ route, live, client }: { route: Route; live: NodeStatusState; client: ApiClient }) {
  switch (route) {
    case 'node':
      return live.status === null ? <WaitingForNode /> : <NodeView status={live.status} client={client} />
    case 'vo':
      return live.status === null ? <WaitingForNode /> : <VoView status={live.status} client={client} />
    case 'overlay':
      return live.status === null ? <WaitingForNode /> : <OverlayView status={live.status} client={client} />
    case 'compute':
      return live.status === null ? <WaitingForNode /> : <ComputeView status={live.status} client={client} />
    case 'folders':
      return live.status === null ? <WaitingForNode /> : <FoldersView status={live.status} client={client} />
    case 'health':
      return (
        <Suspense fallback={<Loader size="sm" mt="xl" />}>
          <HealthView client={client} status={live.status} />
        </Suspense>
      )
  }
}
