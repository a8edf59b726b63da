import { NavLink, Stack } from '@mantine/core'
import { IconActivityHeartbeat, IconCpu, IconDeviceDesktop, IconFolders, IconTopologyStar3, IconUsersGroup, type TablerIcon } from '@tabler/icons-react'
import { routeHref, type Route } from '../routes.ts'

const ITEMS: readonly { route: Route; label: string; icon: TablerIcon }[] = [
  { route: 'node', label: 'This node', icon: IconDeviceDesktop },
  { route: 'vo', label: 'Join a VO', icon: IconUsersGroup },
  { route: 'overlay', label: 'Overlay', icon: IconTopologyStar3 },
  { route: 'compute', label: 'Compute', icon: IconCpu },
  { route: 'folders', label: 'Folders', icon: IconFolders },
  { route: 'health', label: 'Health', icon: IconActivityHeartbeat },
]

/** `inVo`: once the node is in a VO, its page is about that VO rather than about joining one. */
export function Navigation({ current, onNavigate, inVo }: { current: Route; onNavigate: () => void; inVo: boolean }) {
  return (
    <Stack gap={4}>
      {ITEMS.map(({ route, label, icon: ItemIcon }) => (
        <NavLink
          key={route}
          component="a"
          href={routeHref(route)}
          label={route === 'vo' && inVo ? 'Your VO' : label}
          leftSection={<ItemIcon size={18} stroke={1.6} color={route === current ? 'var(--mantine-color-teal-filled)' : undefined} />}
          active={route === current}
          // A neutral highlight keeps the navigation calm; the teal icon marks where you are.
          color="gray"
          fw={route === current ? 600 : undefined}
          onClick={onNavigate}
          data-testid={`nav-${route}`}
          style={{ borderRadius: 'var(--mantine-radius-md)' }}
        />
      ))}
    </Stack>
  )
}
