import { IconUsersGroup } from '@tabler/icons-react'
import { NotYetAvailable } from '../components/NotYetAvailable.tsx'

export function VoView() {
  return (
    <NotYetAvailable
      title="Join a VO"
      summary="A Virtual Organization is a pool of machines whose members can work with each other."
      icon={<IconUsersGroup />}
      details="Here you will create a VO and become its admin, or join one with a signed invite or find one on your local network. Only members of the same VO can talk to each other."
    />
  )
}
