/**
 * Restoring a folder from any live copy into an empty folder: the node verifies every piece,
 * repairs a damaged one from another copy, and answers with what it wrote and where it read it.
 */
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconCircleCheck, IconRestore } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { GroupSummary, RestoreResult } from '../../../../shared/api/group-schemas.ts'
import type { PickFolder } from '../../folder-picker.ts'
import { formatBytes, formatMs, shortPeerId } from '../../format.ts'
import { useVoCall } from '../vo/useVoCall.ts'
import { VoError } from '../vo/VoError.tsx'
import { plural } from './copy-state.ts'
import { FOLDER_ERROR_HINTS } from './folder-error-hints.ts'
import { FolderPathField } from './FolderPathField.tsx'

interface RestoreButtonProps {
  group: GroupSummary
  client: ApiClient
  picker: PickFolder | null
  selfId: string
}

export function RestoreButton({ group, client, picker, selfId }: RestoreButtonProps) {
  const [opened, dialog] = useDisclosure(false)
  return (
    <>
      <Button variant="default" leftSection={<IconRestore size={16} />} onClick={dialog.open} data-testid="restore-open">
        Restore…
      </Button>
      <Modal opened={opened} onClose={dialog.close} title={<Text fw={600}>Restore “{group.name}”</Text>} size="lg" centered>
        {opened && <RestoreForm group={group} client={client} picker={picker} selfId={selfId} onClose={dialog.close} />}
      </Modal>
    </>
  )
}

function RestoreForm({ group, client, picker, selfId, onClose }: { group: GroupSummary; client: ApiClient; picker: PickFolder | null; selfId: string; onClose: () => void }) {
  const [dest, setDest] = useState('')
  const restore = useVoCall((into: string) => client.restore({ id: group.id, dest: into }))
  const busy = restore.state.kind === 'pending'

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    void restore.run(dest.trim())
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {plural(group.files, 'file')} · {formatBytes(group.bytes)}, read from any copy that answers. Every piece is checked against its hash, and a damaged one is fetched again from
          another copy.
        </Text>
        <FolderPathField
          label="Restore into"
          description="An empty or new folder on the computer that runs this node: nothing existing is overwritten."
          value={dest}
          onChange={(next) => {
            setDest(next)
            if (restore.state.kind !== 'pending') restore.reset()
          }}
          picker={picker}
          disabled={busy}
          testId="restore-dest"
        />
        {restore.state.kind === 'failed' && <VoError error={restore.state.error} title="The folder was not restored" hints={FOLDER_ERROR_HINTS} />}
        {restore.state.kind === 'done' && <RestoreOutcome result={restore.state.value} selfId={selfId} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {restore.state.kind === 'done' ? 'Close' : 'Cancel'}
          </Button>
          {restore.state.kind !== 'done' && (
            <Button type="submit" leftSection={<IconRestore size={16} />} loading={busy} disabled={dest.trim() === ''} data-testid="restore-submit">
              Restore
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  )
}

function RestoreOutcome({ result, selfId }: { result: RestoreResult; selfId: string }) {
  const sources = result.sources.map((peer) => (peer === selfId ? 'this node' : shortPeerId(peer)))
  return (
    <Alert color="teal" variant="light" icon={<IconCircleCheck />} title="Restored" data-testid="restore-result">
      <Stack gap={4} style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Text size="sm" data-testid="restore-summary">
          {plural(result.files, 'file')} · {formatBytes(result.bytes)} in {result.ms >= 1000 ? `${(result.ms / 1000).toFixed(1)} s` : formatMs(result.ms)}
        </Text>
        <Text size="sm">
          Read from {sources.length === 0 ? 'no copy (the folder is empty)' : sources.join(', ')}
        </Text>
        <Text size="sm" c={result.repairedChunks > 0 ? 'yellow.8' : 'dimmed'}>
          {result.repairedChunks === 0 ? 'Every piece was intact.' : `${plural(result.repairedChunks, 'damaged piece')} repaired from another copy.`}
        </Text>
      </Stack>
    </Alert>
  )
}
