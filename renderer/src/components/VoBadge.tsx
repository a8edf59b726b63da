import { Badge } from '@mantine/core'
import { IconUsersGroup } from '@tabler/icons-react'
import type { VoInfo } from '../../../shared/api/vo-schemas.ts'
import { routeHref } from '../routes.ts'

/** The node's VO and role at a glance, linking to the VO page; orange when it is in none (and so isolated). */
export function VoBadge({ vo }: { vo: VoInfo | null }) {
  return (
    <Badge
      component="a"
      href={routeHref('vo')}
      variant="light"
      color={vo === null ? 'orange' : 'teal'}
      size="lg"
      tt="none"
      maw={280}
      leftSection={<IconUsersGroup size={14} />}
      style={{ cursor: 'pointer' }}
      title={vo === null ? 'This node talks to nobody until it joins a VO' : `${vo.name} (${vo.id})`}
      data-testid="vo-badge"
    >
      {vo === null ? 'not in a VO' : `${vo.name} · ${vo.role}`}
    </Badge>
  )
}
