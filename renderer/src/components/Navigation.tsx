import { NavLink, Stack } from '@mantine/core'
import { IconActivityHeartbeat, IconDeviceDesktop, IconFolders, IconUsersGroup, type TablerIcon } from '@tabler/icons-react'
import { routeHref, type Route } from '../routes.ts'

const ITEMS: readonly { route: Route; label: string; icon: TablerIcon }[] = [
  { route: 'node', label: 'This node', icon: IconDeviceDesktop },
  { route: 'vo', label: 'Join a VO', icon: IconUsersGroup },
  { route: 'folders', label: 'Folders', icon: IconFolders },
  { route: 'health', label: 'Health', icon: IconActivityHeartbeat },
]

export function Navigation({ current, onNavigate }: { current: Route; onNavigate: () => void }) {
  return (
    <Stack gap={4}>
      {ITEMS.map(({ route, label, icon: ItemIcon }) => (
        <NavLink
          key={route}
          component="a"
          href={routeHref(route)}
          label={label}
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
