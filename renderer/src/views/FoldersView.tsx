import { IconFolders } from '@tabler/icons-react'
import { NotYetAvailable } from '../components/NotYetAvailable.tsx'

export function FoldersView() {
  return (
    <NotYetAvailable
      title="Folders"
      summary="Share a folder as a mirrored resource, backed up on other members' machines."
      icon={<IconFolders />}
      details="Here you will share folders, see where their encrypted backup copies live and how up to date they are, and restore a folder from any copy."
    />
  )
}
