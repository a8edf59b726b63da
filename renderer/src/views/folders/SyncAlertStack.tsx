/**
 * Notices that a copy of a shared folder fell out of sync, in a corner of every page: the user
 * hears of it wherever they are, and each notice leads to the Folders page.
 */
import { Affix, Anchor, Notification, Stack, Text } from '@mantine/core'
import { IconCloudOff } from '@tabler/icons-react'
import { shortPeerId } from '../../format.ts'
import { routeHref } from '../../routes.ts'
import { copyInWords } from './copy-state.ts'
import type { SyncAlerts } from './useSyncAlerts.ts'

/** Beyond this many, the oldest notices wait: the Folders page shows every copy anyway. */
const SHOWN = 3

export function SyncAlertStack({ alerts, dismiss }: SyncAlerts) {
  if (alerts.length === 0) return null
  return (
    <Affix position={{ bottom: 20, right: 20 }}>
      <Stack gap="sm" w={380} data-testid="sync-alerts">
        {alerts.slice(-SHOWN).map((alert) => (
          <Notification
            key={alert.key}
            color="orange"
            icon={<IconCloudOff size={18} />}
            withBorder
            onClose={() => dismiss(alert.key)}
            closeButtonProps={{ 'aria-label': 'Dismiss' }}
            title={`A copy of “${alert.groupName}” fell out of sync`}
            data-testid="sync-alert"
            data-group-id={alert.groupId}
          >
            <Text size="sm">
              <Text span ff="monospace" size="sm">
                {shortPeerId(alert.host)}
              </Text>
              : {alert.copy === null ? 'no longer holds a copy' : copyInWords(alert.copy)}
            </Text>
            <Anchor href={routeHref('folders')} size="sm">
              Open Folders
            </Anchor>
          </Notification>
        ))}
      </Stack>
    </Affix>
  )
}
