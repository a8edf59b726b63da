import { Alert, Text } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import type { ErrorCode, GridNodeError } from '../../../../shared/errors.ts'
import { VO_ERROR_HINTS } from './error-hints.ts'

/** A failed call: the node's code and sentence, then what to do about it where we know (`hints`, the VO's by default). */
export function VoError({ error, title, hints = VO_ERROR_HINTS }: { error: GridNodeError; title: string; hints?: Partial<Record<ErrorCode, string>> }) {
  const hint = hints[error.code]
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={title}>
      <Text size="sm" data-testid="vo-error">
        <Text span ff="monospace" size="sm" fw={600}>
          {error.code}
        </Text>
        : {error.message}
      </Text>
      {hint !== undefined && (
        <Text size="sm" mt={4}>
          {hint}
        </Text>
      )}
    </Alert>
  )
}
