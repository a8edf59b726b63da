/**
 * Values for in-process tests of the API's adapters, built by the real code where it exists: the
 * scalability of a node that has seen no contention comes from the real monitor.
 */
import type { Resources } from '../../shared/api/contribution-schemas.ts'
import type { Status } from '../../shared/api/schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import type { ApiHandlers } from '../../main/api/service.ts'
import { createScalabilityMonitor } from '../../main/health/scalability-monitor.ts'

export function statusFixture(peerId = 'me', peers: Status['peers'] = []): Status {
  return {
    node: { peerId, version: '0.1.0', uptimeSec: 1, listen: [], dataDir: '/d', startedAt: new Date(0).toISOString() },
    peers,
    vo: null,
    overlay: null,
    scalability: createScalabilityMonitor([]).snapshot(),
  }
}

/** A node offering its two cores and 10 GiB of disk, of which nothing is used yet. */
export function resourcesFixture(): Resources {
  return {
    cores: { machine: 2, offered: 2, mode: 'cores' },
    idleOnly: false,
    state: 'running',
    disk: { quotaBytes: 10 * 2 ** 30, usedBytes: 0, freeBytes: 10 * 2 ** 30 },
  }
}

/** Handlers answering from fixtures; a test overrides the ones it is about. */
export function fixtureHandlers(overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  const monitor = createScalabilityMonitor([])
  const notInVo = async (): Promise<never> => {
    throw new GridNodeError('NOT_IN_VO', 'This fixture node is in no VO.')
  }
  const noJob = async (): Promise<never> => {
    throw new GridNodeError('NOT_FOUND', 'This fixture node has no jobs.')
  }
  const noGroup = async (): Promise<never> => {
    throw new GridNodeError('NOT_FOUND', 'This fixture node shares no folder.')
  }
  return {
    voCreate: notInVo,
    voInvite: notInVo,
    voJoin: notInVo,
    voMembers: notInVo,
    voRevoke: notInVo,
    voLeave: notInVo,
    voNearby: async () => ({ mdns: false, vos: [], request: null }),
    voRequestJoin: notInVo,
    voRequests: notInVo,
    voApprove: notInVo,
    voRefuse: notInVo,
    overlay: async () => null,
    discover: notInVo,
    speedtest: notInVo,
    share: notInVo,
    groups: async () => [],
    group: noGroup,
    groupLog: noGroup,
    unshare: noGroup,
    restore: noGroup,
    status: async () => statusFixture(),
    peers: async () => [],
    connect: async () => ({ peerId: 'p', addrs: [], latencyMs: null }),
    health: async ({ resolution }) => ({ resolution, samples: [], scalability: monitor.snapshot() }),
    scalability: async () => monitor.snapshot(),
    whatIf: async (question) => monitor.whatIf(question),
    contribution: async () => resourcesFixture(),
    contribute: async () => resourcesFixture(),
    jobSubmit: notInVo,
    jobs: async () => [],
    job: noJob,
    jobCancel: noJob,
    jobResult: noJob,
    jobDemo: notInVo,
    accounting: async () => ({ members: [], log: [] }),
    stop: async () => ({ stopping: true }),
    ...overrides,
  }
}
