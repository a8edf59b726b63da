import { Button, Stack, TextInput } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import { VoNameSchema } from '../../../../shared/api/vo-schemas.ts'
import { useVoCall } from './useVoCall.ts'
import { VoError } from './VoError.tsx'

/** The limit comes from the contract, so the field and the node agree. */
const NAME_MAX = VoNameSchema.maxLength ?? undefined

/** Creates a VO with this node as its first admin; its status event then brings up the VO page. */
export function CreateVoForm({ client }: { client: ApiClient }) {
  const [name, setName] = useState('')
  const create = useVoCall((voName: string) => client.voCreate({ name: voName }))
  const busy = create.state.kind === 'pending' || create.state.kind === 'done'

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    void create.run(name.trim())
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput
          label="Name"
          description="Shown to everyone who joins; it need not be unique."
          placeholder="Physics lab machines"
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value)
            if (create.state.kind === 'failed') create.reset()
          }}
          maxLength={NAME_MAX}
          disabled={busy}
          data-testid="vo-create-name"
        />
        <div>
          <Button type="submit" variant="light" leftSection={<IconPlus size={16} />} loading={busy} disabled={name.trim() === ''} data-testid="vo-create-submit">
            Create VO
          </Button>
        </div>
        {create.state.kind === 'failed' && <VoError error={create.state.error} title="Could not create the VO" />}
      </Stack>
    </form>
  )
}
