/** The mirrored-folder part of the API: the contract's group methods, served by the node's mirror service. */
import type { ApiHandlers } from '../../api/service.ts'
import type { MirrorService } from './service.ts'

type MirrorMethods = 'share' | 'groups' | 'group' | 'groupLog' | 'unshare' | 'restore'

/** `mirror` is asked at each call: the service exists only while the node runs. */
export function mirrorHandlers(mirror: () => MirrorService): Pick<ApiHandlers, MirrorMethods> {
  return {
    share: async ({ path, name, copies, readers }) => mirror().share({ path, name, copies, readers }),
    groups: async () => mirror().groups(),
    group: async ({ id }) => mirror().group(id),
    groupLog: async ({ id, limit }) => mirror().log(id, limit),
    unshare: async ({ id }) => {
      await mirror().unshare(id)
      return { unshared: true as const }
    },
    restore: async ({ id, dest }) => mirror().restore(id, dest),
  }
}
