/**
 * The composition root: builds the node's components from a data folder and wires each one with
 * exactly what it needs. Start order follows the data folder's safety: the database lock first
 * (so a second node on the same folder is refused before it touches anything), then identity,
 * network and API. Stop runs the same steps backwards, each bounded in time.
 */
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { ApiEvent } from '../../shared/api/contract.ts'
import type { HttpEndpoint } from '../../shared/api/http-transport.ts'
import type { OverlayInfo } from '../../shared/api/overlay-schemas.ts'
import type { Peer, Status } from '../../shared/api/schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { removeApiFile, writeApiFile } from '../api/api-file.ts'
import { createHttpApiServer, type HttpApiServer } from '../api/http-server.ts'
import { createApiService, type ApiHandlers, type ApiService, type EventListener } from '../api/service.ts'
import { computeHandlers } from '../compute/api-handlers.ts'
import { createSandbox } from '../compute/sandbox/index.ts'
import { createComputeService, type ComputeService } from '../compute/service.ts'
import { createContributionService, type ContributionService } from '../contribution/contribution-service.ts'
import { fileSystemSpace } from '../contribution/disk-usage.ts'
import { createNodeHealth, type NodeHealth } from '../health/node-health.ts'
import { createChunkStore, type ChunkStore } from '../mirror/chunk-store.ts'
import { createMirrorService, mirrorHandlers, type MirrorService } from '../mirror/service/index.ts'
import { createStoredBytesAudit, type StoredCopy } from './stored-bytes-audit.ts'
import { availabilityFrom, onMainsPower } from '../overlay/availability.ts'
import { createOverlayRuntime, type OverlayRuntime } from '../overlay/runtime.ts'
import { componentLogger, createLogger, type Logger } from '../log/logger.ts'
import { createHost, type GridHost } from '../p2p/host.ts'
import { loadOrCreateIdentity } from '../p2p/identity.ts'
import { createPeerTracker, type PeerTracker } from '../p2p/peer-tracker.ts'
import { runSpeedtest, serveSpeedtest, SPEEDTEST_PROTOCOL } from '../p2p/speedtest.ts'
import { createTrafficCounter } from '../p2p/traffic.ts'
import { openStore, type Store } from '../store/store.ts'
import { createAdmission, type Admission } from '../vo/admission.ts'
import { createVoMembership, type VoMembership } from '../vo/membership.ts'
import { createVoStore } from '../vo/vo-store.ts'
import { DIAL_TIMEOUT_MS, LATENCY_REFRESH_MS, PING_TIMEOUT_MS, STATUS_COALESCE_MS, STOP_STEP_TIMEOUT_MS } from './constants.ts'
import { dataDirLayout, ensureDataDir } from './data-dir.ts'
import type { GridNode, GridNodeInit } from './types.ts'
import { VERSION } from './version.ts'

interface Running {
  store: Store
  host: GridHost
  peers: PeerTracker
  vo: VoMembership
  admission: Admission
  overlay: OverlayRuntime
  health: NodeHealth
  contribution: ContributionService
  compute: ComputeService
  mirror: MirrorService
  http: HttpApiServer
  endpoint: HttpEndpoint
  startedAt: Date
}

/** The overlay's leaders this node knows: its region's super-peers and the region peers. */
function overlayLeaders(overlay: OverlayInfo): string[] {
  const leaders = [overlay.superPeer, overlay.regionPeer, ...overlay.superPeers.map((e) => e.peer), ...overlay.regionPeers.map((e) => e.peer)]
  return leaders.filter((peer): peer is string => peer !== null)
}

/** Runs one shutdown step, giving up on it (logged) rather than hanging the whole stop. */
async function bounded(logger: Logger, step: string, run: () => Promise<void> | void): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_STEP_TIMEOUT_MS)
  })
  try {
    if ((await Promise.race([Promise.resolve(run()).then(() => 'done' as const), timeout])) === 'timeout') {
      logger.warn({ step }, 'shutdown step timed out')
    }
  } catch (err) {
    logger.error({ err, step }, 'shutdown step failed')
  } finally {
    clearTimeout(timer)
  }
}

function parseDialTarget(value: string): ReturnType<typeof multiaddr> {
  try {
    return multiaddr(value)
  } catch (err) {
    throw new GridNodeError('INVALID_MULTIADDR', `"${value}" is not a valid multiaddr.`, { cause: err })
  }
}

export function createGridNode(init: GridNodeInit): GridNode {
  const layout = dataDirLayout(init.dataDir)
  const eventListeners = new Set<EventListener>()
  let logger: Logger = init.logger ?? createLogger({ file: layout.logFile })
  let running: Running | undefined
  let starting: Promise<void> | undefined
  let stopping: Promise<void> | undefined
  let statusTimer: NodeJS.Timeout | undefined

  const mustRun = (): Running => {
    if (running === undefined) throw new GridNodeError('NODE_STOPPING', 'The node is not running.')
    return running
  }

  /** Connected peers that proved membership: the others are on their way out. */
  const memberPeers = ({ peers, vo }: Running): Peer[] => peers.peers().filter((peer) => vo.isProven(peer.peerId))

  const status = (): Status => {
    const current = mustRun()
    const { host, vo, overlay, health, contribution, startedAt } = current
    return {
      node: {
        peerId: host.peerId.toString(),
        version: VERSION,
        uptimeSec: Math.round((Date.now() - startedAt.getTime()) / 1000),
        listen: host.getMultiaddrs().map((addr) => addr.toString()),
        dataDir: layout.root,
        startedAt: startedAt.toISOString(),
      },
      peers: memberPeers(current),
      vo: vo.info(),
      overlay: vo.info() === null ? null : overlay.snapshot(),
      scalability: health.scalability(),
      resources: contribution.resources(),
      jobs: current.compute.counts(),
      groups: current.mirror.groups(),
    }
  }

  const emit = (event: ApiEvent): void => {
    for (const listener of eventListeners) listener(event)
  }

  const statusChanged = (): void => {
    if (statusTimer !== undefined) return
    statusTimer = setTimeout(() => {
      statusTimer = undefined
      if (running !== undefined) emit({ type: 'status', data: status() })
    }, STATUS_COALESCE_MS)
  }

  const stop = async (): Promise<void> => {
    if (starting !== undefined) await starting.catch(() => undefined)
    stopping ??= (async () => {
      const current = running
      if (current === undefined) return
      logger.info('stopping')
      running = undefined
      clearTimeout(statusTimer)
      current.health.stop()
      current.contribution.stop()
      current.peers.stop()
      current.admission.stop()
      current.overlay.stop()
      current.vo.stop()
      // Before libp2p and the store: runs here tell their submitters, jobs are saved, copies stop applying.
      await bounded(logger, 'mirror', () => current.mirror.stop())
      await bounded(logger, 'compute', () => current.compute.stop())
      await bounded(logger, 'api', () => current.http.stop())
      await bounded(logger, 'api.json', () => removeApiFile(layout.apiFile, process.pid))
      await bounded(logger, 'libp2p', () => current.host.stop())
      await bounded(logger, 'store', () => current.store.close())
      logger.info('stopped')
      logger.flush()
    })()
    return stopping
  }

  const handlers: ApiHandlers = {
    status: async () => status(),
    peers: async () => memberPeers(mustRun()),
    connect: async ({ multiaddr: target }) => {
      const { host, peers, vo } = mustRun()
      const addr = parseDialTarget(target)
      if (vo.info() === null) throw new GridNodeError('NOT_IN_VO', 'This node is not in a VO, so it talks to nobody: create one or join with an invite first.')
      let connection
      try {
        connection = await host.dial(addr, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      } catch (err) {
        throw new GridNodeError('DIAL_FAILED', `Could not connect to ${target}: ${(err as Error).message}`, { cause: err })
      }
      try {
        await vo.waitProven(connection)
      } catch (err) {
        await connection.close().catch(() => undefined)
        throw new GridNodeError('NOT_A_MEMBER', `${connection.remotePeer.toString()} is not a member of this node's VO.`, { cause: err })
      }
      const remote = connection.remotePeer
      await peers.measure(remote)
      const peer: Peer | undefined = peers.peers().find((entry) => entry.peerId === remote.toString())
      if (peer === undefined) throw new GridNodeError('DIAL_FAILED', `The connection to ${target} closed right after it opened.`)
      return peer
    },
    health: async ({ resolution, since }) => {
      const { health } = mustRun()
      return { resolution, samples: health.history(resolution, since), scalability: health.scalability() }
    },
    scalability: async () => mustRun().health.scalability(),
    whatIf: async (question) => mustRun().health.whatIf(question),
    voCreate: async ({ name }) => mustRun().vo.create(name),
    voInvite: async ({ role, expiresInSec, uses }) => mustRun().vo.invite({ role, expiresInMs: expiresInSec * 1000, uses }),
    voJoin: async ({ token }) => mustRun().vo.join(token),
    voMembers: async () => mustRun().vo.members(),
    voRevoke: async ({ peerId }) => {
      await mustRun().vo.revoke(peerId)
      return { revoked: true as const }
    },
    overlay: async () => status().overlay,
    discover: async ({ cores, diskBytes, want }) => {
      const { vo, overlay } = mustRun()
      if (vo.info() === null) throw new GridNodeError('NOT_IN_VO', 'Discovery searches a VO: create one or join with an invite first.')
      return overlay.discover({ ...(cores === undefined ? {} : { cores }), ...(diskBytes === undefined ? {} : { diskBytes }) }, want)
    },
    speedtest: async ({ peerId, bytes }) => {
      const { host, vo } = mustRun()
      const connection = host.getConnections().find((c) => c.remotePeer.toString() === peerId && vo.isProven(c.remotePeer.toString()))
      if (connection === undefined) throw new GridNodeError('NOT_FOUND', `${peerId} is not a connected member of this node's VO.`)
      const { ms } = await runSpeedtest(connection, bytes)
      return { peerId, bytes, ms, mbPerSec: bytes / 1e6 / (ms / 1000) }
    },
    contribution: async () => mustRun().contribution.resources(),
    contribute: async (change) => {
      const { contribution } = mustRun()
      await contribution.set(change)
      return contribution.resources()
    },
    voNearby: async () => mustRun().admission.nearby(),
    voRequestJoin: async (input) => mustRun().admission.requestJoin(input),
    voRequests: async () => mustRun().admission.requests(),
    voApprove: async ({ id }) => ({ approved: true as const, ...(await mustRun().admission.approve(id)) }),
    voRefuse: async ({ id }) => ({ refused: true as const, ...(await mustRun().admission.refuse(id)) }),
    ...computeHandlers(() => mustRun().compute),
    ...mirrorHandlers(() => mustRun().mirror),
    voLeave: async () => {
      await mustRun().vo.leave()
      return { left: true as const }
    },
    stop: async () => {
      // Answer first, then stop: the caller learns its request was taken.
      setImmediate(init.onStopRequested ?? (() => void stop()))
      return { stopping: true as const }
    },
  }

  const api: ApiService = createApiService({
    handlers,
    subscribe: (listener) => {
      eventListeners.add(listener)
      // Every subscription starts from the current state, so no client has to read it first.
      if (running !== undefined) listener({ type: 'status', data: status() })
      return () => eventListeners.delete(listener)
    },
    logger: componentLogger(logger, 'api'),
  })

  const start = async (): Promise<void> => {
    if (stopping !== undefined) throw new GridNodeError('NODE_STOPPING', 'A stopped node cannot be started again; create a new one.')
    starting ??= (async () => {
      await ensureDataDir(layout.root)
      const cleanup: Array<() => Promise<void>> = []
      try {
        const store = await openStore(layout.database)
        cleanup.push(() => store.close())
        const privateKey = await loadOrCreateIdentity(layout.identityKey)
        logger = logger.child({ node: peerIdFromPrivateKey(privateKey).toString().slice(-8) })
        const traffic = createTrafficCounter()
        const host = await createHost({ privateKey, listen: init.listen, metrics: traffic.metrics, mdns: init.mdns })
        await host.start()
        cleanup.push(async () => host.stop())
        const peers = createPeerTracker({ host, logger: componentLogger(logger, 'p2p') }, { refreshIntervalMs: LATENCY_REFRESH_MS, pingTimeoutMs: PING_TIMEOUT_MS })
        // After libp2p has started, so that every protocol it serves is gated behind membership.
        const voStore = createVoStore(store, layout.voRootKey)
        const vo = createVoMembership({ host, voStore, privateKey, logger: componentLogger(logger, 'vo') })
        await vo.start()
        cleanup.push(async () => vo.stop())
        const onMains = await onMainsPower()
        const health: NodeHealth = createNodeHealth(
          {
            takeTraffic: () => traffic.take(),
            peerCount: () => (running === undefined ? 0 : memberPeers(running).length),
            jobs: () => {
              const counts = running?.compute.counts()
              return { queued: counts?.queued ?? 0, running: counts?.runningHere ?? 0 }
            },
            locks: [store.commitLock, vo.admissionLock],
            logger: componentLogger(logger, 'health'),
          },
          { dataDir: layout.root, storeFolders: [layout.database, layout.contributedStore], version: VERSION, peerId: host.peerId.toString() },
        )
        // The contributed store's quota is the user's, set once the contribution settings are loaded.
        const contributed: ChunkStore = createChunkStore({ dir: join(layout.contributedStore, 'chunks'), quotaBytes: Number.MAX_SAFE_INTEGER })
        const own: ChunkStore = createChunkStore({ dir: join(layout.contributedStore, 'own'), quotaBytes: Number.MAX_SAFE_INTEGER })
        await Promise.all([contributed.start(), own.start()])
        const contribution = createContributionService(
          {
            store,
            onCpuSample: (listener) => health.onSample((sample) => listener(sample.cpu)),
            usedBytes: async () => contributed.usage().usedBytes,
            diskSpace: () => fileSystemSpace(layout.root),
            ...(init.systemIdle === undefined ? {} : { systemIdle: init.systemIdle }),
            logger: componentLogger(logger, 'contribution'),
          },
          { machineCores: availableParallelism() },
        )
        await contribution.start()
        cleanup.push(async () => contribution.stop())
        contributed.setQuota(contribution.get().diskQuotaBytes)
        contribution.onChange(() => contributed.setQuota(contribution.get().diskQuotaBytes))
        const offer = () => ({ cores: contribution.offeredCores(), diskBytes: contribution.offeredDiskBytes() })
        const overlay = createOverlayRuntime(
          {
            host,
            vo,
            logger: componentLogger(logger, 'overlay'),
            availability: () => ({ availability: availabilityFrom(health.latest(), process.uptime() * 1000, onMains, offer()), p: health.scalability().p }),
          },
          init.overlay,
        )
        await overlay.start()
        const admission = createAdmission(
          { host, vo, voStore, logger: componentLogger(logger, 'vo'), leaders: () => (vo.info() === null ? [] : overlayLeaders(overlay.snapshot())) },
          { mdns: init.mdns },
        )
        await admission.start()
        cleanup.push(async () => admission.stop())
        await serveSpeedtest(host, componentLogger(logger, 'p2p'))
        const compute = createComputeService({
          host,
          vo,
          store,
          sandbox: createSandbox({ workers: Math.max(1, contribution.offeredCores()) }),
          discover: (spec, want) => overlay.discover(spec, want),
          offeredCores: () => contribution.offeredCores(),
          onOfferChange: (listener) => contribution.onChange(listener),
          logger: componentLogger(logger, 'compute'),
        })
        await compute.start()
        cleanup.push(() => compute.stop())
        let diskTimer: NodeJS.Timeout | undefined
        const storedAudit = createStoredBytesAudit(compute.audit)
        /** The backup copies this node holds, by the member whose folder each is. */
        const storedCopies = (): StoredCopy[] => {
          const namespaces = contributed.usage().namespaces
          return mirror.groups().flatMap((group) => {
            // Also while acting as primary for the owner: the copy is still the owner's.
            const owner = group.role === 'reader' ? undefined : mirror.group(group.id).resources.find((r) => r.kind === 'primary')?.host
            return owner == null || owner === host.peerId.toString() ? [] : [{ group: group.id, name: group.name, owner, bytes: namespaces[group.id]?.bytes ?? 0 }]
          })
        }
        const mirror = createMirrorService(
          {
            host,
            vo,
            store,
            privateKey,
            contributed,
            own,
            discover: (spec, want) => overlay.discover(spec, want),
            subgrid: () => overlay.snapshot().subgrid,
            offeredDiskBytes: () => contribution.offeredDiskBytes(),
            // Coalesced: a copy being filled changes its usage many times a second.
            onStoreChange: () => {
              diskTimer ??= setTimeout(() => {
                diskTimer = undefined
                contribution.refreshDisk().then(() => overlay.availabilityChanged(), () => undefined)
                storedAudit.update(storedCopies()).catch((err: unknown) => logger.warn({ err }, 'stored bytes not audited'))
              }, STATUS_COALESCE_MS * 4)
            },
            onChange: () => statusChanged(),
            logger: componentLogger(logger, 'mirror'),
          },
          init.backupGraceMs === undefined ? {} : { recruitGraceMs: init.backupGraceMs },
        )
        await mirror.start()
        storedAudit.prime(storedCopies())
        cleanup.push(() => mirror.stop())
        vo.membersOnly(SPEEDTEST_PROTOCOL)
        cleanup.push(async () => overlay.stop())
        const http = createHttpApiServer(
          { service: api, metrics: health.metrics, logger: componentLogger(logger, 'api') },
          { host: init.api.host, port: init.api.port, ...(init.uiDir !== undefined && existsSync(init.uiDir) ? { uiDir: init.uiDir } : {}) },
        )
        const url = await http.start()
        cleanup.push(() => http.stop())
        running = { store, host, peers, vo, admission, overlay, health, contribution, compute, mirror, http, endpoint: { url, token: http.token }, startedAt: new Date() }
        peers.onChange(statusChanged)
        vo.onChange(statusChanged)
        overlay.onChange(statusChanged)
        overlay.onChange(() => admission.leadersChanged())
        admission.onNearbyChange(() => emit({ type: 'nearby', data: admission.nearby() }))
        admission.onRequestsChange(() => void admission.requests().then((data) => emit({ type: 'joinRequests', data }), () => undefined))
        contribution.onChange(() => {
          statusChanged()
          overlay.availabilityChanged()
        })
        contribution.onUsageChange(statusChanged)
        compute.onCountsChange(statusChanged)
        compute.onJob((job) => emit({ type: 'job', data: job }))
        peers.start()
        health.onSample((sample) => emit({ type: 'health', data: sample }))
        health.onEstimateChange(statusChanged)
        health.start()
        await writeApiFile(layout.apiFile, { url, token: http.token, pid: process.pid, peerId: host.peerId.toString(), version: VERSION })
        logger.info({ listen: status().node.listen, api: url }, 'started')
      } catch (err) {
        running = undefined
        for (const undo of cleanup.reverse()) await undo().catch(() => undefined)
        logger.error({ err }, 'start failed')
        throw err
      }
    })()
    return starting
  }

  return {
    dataDir: layout.root,
    api,
    get peerId() {
      return mustRun().host.peerId.toString()
    },
    get endpoint() {
      return mustRun().endpoint
    },
    get uiUrl() {
      const { endpoint } = mustRun()
      return `${endpoint.url}/#token=${endpoint.token}`
    },
    status,
    start,
    stop,
  }
}
