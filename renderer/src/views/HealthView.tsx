import { IconActivityHeartbeat } from '@tabler/icons-react'
import { NotYetAvailable } from '../components/NotYetAvailable.tsx'

export function HealthView() {
  return (
    <NotYetAvailable
      title="Health"
      summary="How this node is doing, and how well it could use more CPU cores."
      icon={<IconActivityHeartbeat />}
      details="Here you will see this node's CPU, memory and disk use, its scalability estimated from the moments its resources are contended, and a what-if simulator."
    />
  )
}
