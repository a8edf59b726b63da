import { Button, TextInput } from '@mantine/core'
import { IconFolderOpen } from '@tabler/icons-react'
import { useState, type ReactNode } from 'react'
import { toGridNodeError } from '../../../../shared/errors.ts'
import type { PickFolder } from '../../folder-picker.ts'

interface FolderPathFieldProps {
  label: string
  description: ReactNode
  value: string
  onChange: (path: string) => void
  /** The desktop app's folder dialog; null in the browser, where the path is typed. */
  picker: PickFolder | null
  disabled?: boolean
  testId: string
}

/** A folder on the node's computer: typed, or chosen in the system's dialog where the app has one. */
export function FolderPathField({ label, description, value, onChange, picker, disabled = false, testId }: FolderPathFieldProps) {
  const [pickFailed, setPickFailed] = useState<string | null>(null)
  async function browse(): Promise<void> {
    if (picker === null) return
    setPickFailed(null)
    try {
      const picked = await picker()
      if (picked !== null) onChange(picked)
    } catch (err) {
      setPickFailed(`The folder dialog failed (${toGridNodeError(err).code}): type the path instead.`)
    }
  }
  return (
    <TextInput
      label={label}
      description={description}
      placeholder="/home/you/Documents"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      disabled={disabled}
      error={pickFailed}
      required
      spellCheck={false}
      autoComplete="off"
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      rightSectionWidth={picker === null ? undefined : 104}
      rightSection={
        picker === null ? undefined : (
          <Button size="compact-sm" variant="light" leftSection={<IconFolderOpen size={14} />} onClick={() => void browse()} disabled={disabled} data-testid={`${testId}-browse`}>
            Browse…
          </Button>
        )
      }
      data-testid={testId}
    />
  )
}
