/**
 * The "install and join a VO" journey (issue 3): onboarding while this node is in no VO, the VO's
 * page once it is. Which one shows follows the node's pushed status, so joining, creating and
 * leaving switch pages by themselves.
 */
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import { VoOnboarding } from './vo/VoOnboarding.tsx'
import { VoPage } from './vo/VoPage.tsx'

export function VoView({ status, client }: { status: Status; client: ApiClient }) {
  return status.vo === null ? <VoOnboarding client={client} /> : <VoPage vo={status.vo} status={status} client={client} />
}
