import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import type { ReactNode } from 'react'
import type { ErrorCode } from '../../../../shared/errors.ts'
import { useVoCall } from './useVoCall.ts'
import { VoError } from './VoError.tsx'

interface ConfirmButtonProps {
  /** The button that opens the dialog. */
  label: string
  buttonProps?: ButtonProps
  title: string
  /** What will happen, in the dialog. */
  consequence: ReactNode
  confirmLabel: string
  action: () => Promise<unknown>
  testId: string
  /** What to do about a failure, by its code (the VO's hints by default). */
  hints?: Partial<Record<ErrorCode, string>>
}

/**
 * A button for a VO action that cannot be undone (revoke, leave): it asks first, runs the action in
 * the dialog, and keeps the dialog open with the node's reason if it fails.
 */
export function ConfirmButton({ label, buttonProps, title, consequence, confirmLabel, action, testId, hints }: ConfirmButtonProps) {
  const [opened, dialog] = useDisclosure(false)
  const call = useVoCall(action)

  async function confirm(): Promise<void> {
    if ((await call.run(undefined)).kind === 'done') dialog.close()
  }

  return (
    <>
      <Button
        color="red"
        variant="light"
        {...buttonProps}
        onClick={() => {
          call.reset()
          dialog.open()
        }}
        data-testid={testId}
      >
        {label}
      </Button>
      <Modal opened={opened} onClose={dialog.close} title={<Text fw={600}>{title}</Text>} centered>
        <Stack gap="md">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {consequence}
          </Text>
          {call.state.kind === 'failed' && <VoError error={call.state.error} title={`${label} failed`} hints={hints} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={dialog.close}>
              Cancel
            </Button>
            <Button color="red" loading={call.state.kind === 'pending'} onClick={() => void confirm()} data-testid={`${testId}-confirm`}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}
