import { Group, Text, type MantineSize } from '@mantine/core'
import { CopyValue } from './CopyValue.tsx'

interface MonoCopyProps {
  /** What is copied. */
  value: string
  /** What is shown, when shorter than the value (the full value is then the tooltip). */
  shown?: string
  /** The copy button's label, e.g. "Copy peer ID". */
  label: string
  /** Break long values across lines (cards) or keep them on one (table cells). */
  wrap?: boolean
  size?: MantineSize
  fw?: number
  testId?: string
}

/** A long identifier in monospace with its copy button: peer ids, VO ids, folder paths. */
export function MonoCopy({ value, shown = value, label, wrap = true, size = 'sm', fw, testId }: MonoCopyProps) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text
        ff="monospace"
        size={size}
        {...(fw === undefined ? {} : { fw })}
        title={shown === value ? undefined : value}
        style={wrap ? { wordBreak: 'break-all' } : { whiteSpace: 'nowrap' }}
        data-testid={testId}
      >
        {shown}
      </Text>
      <CopyValue value={value} label={label} />
    </Group>
  )
}
