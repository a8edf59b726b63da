/**
 * Sharing a folder: its path (typed, or chosen in the desktop app's dialog), a name, how many
 * backup copies to keep, and which members may read it. The new group shows up through the node's
 * next status, so the dialog just closes on success.
 */
import { Button, Group, Modal, MultiSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconShare } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { MethodInput } from '../../../../shared/api/contract.ts'
import { MAX_COPIES } from '../../../../shared/api/group-schemas.ts'
import type { Status } from '../../../../shared/api/schemas.ts'
import type { PickFolder } from '../../folder-picker.ts'
import { shortPeerId } from '../../format.ts'
import { useVoCall } from '../vo/useVoCall.ts'
import { useVoMembers } from '../vo/useVoMembers.ts'
import { VoError } from '../vo/VoError.tsx'
import { FOLDER_ERROR_HINTS } from './folder-error-hints.ts'
import { FolderPathField } from './FolderPathField.tsx'

/** The default K. */
const DEFAULT_COPIES = 2

interface ShareFolderButtonProps {
  client: ApiClient
  status: Status
  picker: PickFolder | null
}

export function ShareFolderButton({ client, status, picker }: ShareFolderButtonProps) {
  const [opened, dialog] = useDisclosure(false)
  return (
    <>
      <Button leftSection={<IconShare size={16} />} style={{ flexShrink: 0 }} onClick={dialog.open} data-testid="share-open">
        Share a folder
      </Button>
      <Modal opened={opened} onClose={dialog.close} title={<Text fw={600}>Share a folder</Text>} size="lg" centered>
        {/* Mounted only while open: each opening starts from an empty form and fetches the members afresh. */}
        {opened && <ShareFolderForm client={client} status={status} picker={picker} onShared={dialog.close} onCancel={dialog.close} />}
      </Modal>
    </>
  )
}

type ShareInput = MethodInput<'share'>

function ShareFolderForm({ client, status, picker, onShared, onCancel }: { client: ApiClient; status: Status; picker: PickFolder | null; onShared: () => void; onCancel: () => void }) {
  const [path, setPath] = useState('')
  const [name, setName] = useState('')
  const [copies, setCopies] = useState<number | string>(DEFAULT_COPIES)
  const [readers, setReaders] = useState<string[]>([])
  const share = useVoCall((input: ShareInput) => client.share(input))
  const busy = share.state.kind === 'pending'
  const members = useVoMembers(client, status)
  const others = (members.members ?? []).filter((member) => !member.self)

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault()
    const input: ShareInput = { path: path.trim(), copies: typeof copies === 'number' ? copies : DEFAULT_COPIES, readers }
    if (name.trim() !== '') input.name = name.trim()
    if ((await share.run(input)).kind === 'done') onShared()
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack gap="md">
        <FolderPathField
          label="Folder"
          description={picker === null ? 'The full path of a folder on the computer that runs this node.' : 'A folder on this computer.'}
          value={path}
          onChange={(next) => {
            setPath(next)
            if (share.state.kind === 'failed') share.reset()
          }}
          picker={picker}
          disabled={busy}
          testId="share-path"
        />
        <TextInput
          label="Name"
          description="How members see it. Optional: the folder's own name by default."
          placeholder={folderName(path) ?? 'Documents'}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          maxLength={128}
          disabled={busy}
          data-testid="share-name"
        />
        <Group grow align="flex-start" gap="md">
          <NumberInput
            label="Backup copies"
            description="Each on another member's disk."
            min={1}
            max={MAX_COPIES}
            clampBehavior="strict"
            allowDecimal={false}
            value={copies}
            onChange={setCopies}
            disabled={busy}
            data-testid="share-copies"
          />
          <MultiSelect
            label="Readers"
            description="Members who get the key and may restore it."
            placeholder={members.members === null ? 'Asking the node…' : others.length === 0 ? 'No other members yet' : 'Only you'}
            data={others.map((member) => ({ value: member.peerId, label: `${shortPeerId(member.peerId)}${member.connected ? '' : ' (offline)'}` }))}
            value={readers}
            onChange={setReaders}
            searchable
            clearable
            nothingFoundMessage="No member matches"
            disabled={busy || others.length === 0}
            data-testid="share-readers"
          />
        </Group>
        <Text size="xs" c="dimmed">
          Files are encrypted on this computer before they leave it: the members hosting the copies cannot read them.
        </Text>
        {share.state.kind === 'failed' && <VoError error={share.state.error} title="The folder was not shared" hints={FOLDER_ERROR_HINTS} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" leftSection={<IconShare size={16} />} loading={busy} disabled={path.trim() === ''} data-testid="share-submit">
            Share
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** The last part of a path, for the name's placeholder ("Photos" for /home/me/Photos/). */
function folderName(path: string): string | null {
  const last = path.trim().split(/[\\/]+/).filter(Boolean).at(-1)
  return last === undefined || /^[A-Za-z]:$/.test(last) ? null : last
}
