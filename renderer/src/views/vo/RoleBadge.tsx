import { Badge } from '@mantine/core'
import type { VoInfo } from '../../../../shared/api/vo-schemas.ts'

/**
 * Mantine clips a badge's label (overflow: hidden), which lets a crowded table column shrink it to
 * "ad…"; a visible label keeps the badge as wide as its word. For badges in tables.
 */
export const UNSQUEEZABLE = { label: { overflow: 'visible' } } as const

/** Admins stand out: they are the ones who can invite and revoke. */
export function RoleBadge({ role, testId }: { role: VoInfo['role']; testId?: string }) {
  return (
    <Badge variant={role === 'admin' ? 'filled' : 'light'} color={role === 'admin' ? 'indigo' : 'gray'} tt="none" styles={UNSQUEEZABLE} data-testid={testId}>
      {role}
    </Badge>
  )
}
