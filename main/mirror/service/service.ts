/**
 * Mirrored folders on a running node (issue 4): the application of the group runtime. It shares
 * folders (owner), keeps backup copies for other members (host), and lets readers restore.
 *
 * Data flow. The owner's engine (owner.ts) scans and proposes each change as updates whose
 * payloads name chunks only (payload.ts). Every host applies updates in order by PULLING what it
 * lacks from the acting primary (then from the other copies) over the chunk protocol, storing
 * it in its contributed store within its quota, recording its copy's state, and only then telling
 * its core the update is applied; a copy that cannot be continued update by update installs a
 * full copy of the acting primary's instead. An acting primary that is a backup serves its sealed
 * chunks and manifest to new backups and readers; it never has the key.
 *
 * Keys. The owner keeps the folder secret in its database; readers get it wrapped to their
 * identity inside the primary resource's configuration (join steps 4–5); hosts never see it.
 */
import { randomBytes } from 'node:crypto'
import { basename, isAbsolute } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { GroupDetail, GroupLogEntry, GroupSummary, RestoreResult } from '../../../shared/api/group-schemas.ts'
import { GridNodeError, toGridNodeError } from '../../../shared/errors.ts'
import { createGroupRuntime, type GroupApplication, type GroupRuntime } from '../../groups-runtime/index.ts'
import { createGroupState, type GroupEffect, type GroupSnapshot, type Json, type ResourceAccess, type Update } from '../../groups/index.ts'
import type { Logger } from '../../log/logger.ts'
import type { GridHost } from '../../p2p/host.ts'
import type { Store } from '../../store/store.ts'
import type { VoMembership } from '../../vo/membership.ts'
import type { ChunkStore } from '../chunk-store.ts'
import { createFolderSecret, deriveFolderKeys, openChunk, unwrapFolderSecret, wrapFolderSecret, type FolderKeys } from '../folder-crypto.ts'
import { createLimiter, type Limiter } from '../limiter.ts'
import type { ChunkRef } from '../manifest.ts'
import { restoreFolder, type ChunkSource } from '../restore.ts'
import { createScanThread } from '../scan-thread.ts'
import { resolveFolder } from '../scanner.ts'
import { createChunkClient, serveChunks, type ChunkAnswer, type CopyState } from './chunk-protocol.ts'
import { CHUNK_PROTOCOL, FETCH_RETRY_MAX_MS, FETCH_RETRY_MS, PREFETCH_UPDATES, READER_INVITE_INTERVAL_MS, RECRUIT_ATTEMPTS, RECRUIT_CANDIDATES, RECRUIT_RETRY_MS, RECRUIT_SHUN_MS } from './constants.ts'
import { fetchChunks } from './fetch-chunks.ts'
import { createFolderRecords, type FolderRecord } from './folder-records.ts'
import { createOwnerEngine, type OwnerEngine } from './owner.ts'
import { manifestFromPieces, sealedSize, UpdatePayloadSchema, type ManifestRef, type UpdatePayload } from './payload.ts'
import { createRemoteSource } from './remote-source.ts'
import { toDetail, toSummary, type GroupFacts } from './views.ts'

export interface MirrorServiceComponents {
  host: GridHost
  vo: VoMembership
  store: Store
  privateKey: PrivateKey
  /** The contributed store: backup copies for other members, within the user's quota. */
  contributed: ChunkStore
  /** This node's own store: the manifests of the folders it shares. */
  own: ChunkStore
  /** Overlay discovery of members offering at least `diskBytes`, best first. */
  discover(spec: { diskBytes: number }, want: number): Promise<{ candidates: Array<{ peer: string; subgrid: string }> }>
  /** This node's sub-grid (recruits from other sub-grids are preferred). */
  subgrid(): string
  /** What the contributed store may still take (quota and free disk). */
  offeredDiskBytes(): number
  /** The contributed store's usage changed. */
  onStoreChange(): void
  /** A group's summary changed (status pushes follow). */
  onChange(): void
  logger: Logger
}

export interface MirrorServiceInit {
  /** How long a backup host may be gone before it is replaced (the groups' grace period). */
  recruitGraceMs?: number
}

export interface ShareRequest {
  path: string
  name?: string | undefined
  copies: number
  readers: string[]
}

export interface MirrorService {
  start(): Promise<void>
  stop(): Promise<void>
  share(request: ShareRequest): Promise<GroupSummary>
  groups(): GroupSummary[]
  group(id: string): GroupDetail
  log(id: string, limit: number): Promise<GroupLogEntry[]>
  unshare(id: string): Promise<void>
  restore(id: string, dest: string): Promise<RestoreResult>
}

interface Local {
  owner: OwnerEngine | undefined
  /** Applies and installs, one at a time, in order. */
  work: Promise<void>
  abort: AbortController
  /** Set when the copy cannot go on (quota full): later updates are not applied. */
  stopped: boolean
  head: number
  files: Map<number, number>
  reasons: Map<string, string>
  /** Payload objects this node proposed (the owner applies those without fetching anything). */
  ownPayloads: WeakSet<object>
  /** Whether the core accepts proposals here now (it sequences, has joined, is not handing over). */
  canPropose: boolean
  /** Bounds the updates being fetched ahead of the one being recorded. */
  prefetching: Limiter
}

/** The core's own condition for accepting a proposal; refused changes are proposed again by the full scan made when it holds again. */
const proposable = (s: GroupSnapshot): boolean => s.phase === 'joined' && s.acting && !s.handingOver

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'))
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    }, { once: true })
  })
const notFound = (id: string) => new GridNodeError('NOT_FOUND', `This node takes part in no mirrored folder ${id}.`)
const comparePositions = (a: CopyState['position'], b: CopyState['position']): number => a.epoch - b.epoch || a.seq - b.seq

/** Updates whose file counts are remembered for "files to go". */
const FILES_MEMORY = 4096
/** Resyncs are asked of a host this many times before the core orders them again. */
const RESYNC_ATTEMPTS = 3

export function createMirrorService(components: MirrorServiceComponents, init: MirrorServiceInit = {}): MirrorService {
  const { host, vo, store, contributed, own, logger } = components
  const self = host.peerId.toString()
  const records = createFolderRecords(store, logger)
  const runtime: GroupRuntime = createGroupRuntime({ host, vo, store, logger }, { ...(init.recruitGraceMs === undefined ? {} : { recruitGraceMs: init.recruitGraceMs }), recruitRetryMs: 10_000 })
  const client = createChunkClient(host, 3000)
  const scans = createScanThread()
  const reads = createScanThread()
  const locals = new Map<string, Local>()
  const shunned = new Map<string, number>()
  const reported = new Map<string, string>()
  let inviteTimer: NodeJS.Timeout | undefined
  let running = false

  const localOf = (id: string): Local => {
    const local = locals.get(id)
    if (local === undefined) throw notFound(id)
    return local
  }
  const recordOf = (id: string): FolderRecord => {
    const record = records.get(id)
    if (record === undefined) throw notFound(id)
    return record
  }
  const log = (group: string, level: GroupLogEntry['level'], kind: string, text: string): void => runtime.log(group, { level, kind, text })

  const accessOf = (record: FolderRecord): ResourceAccess => ({
    canAccess: (r) => record.role === 'reader' && r.kind === 'primary',
    owns(r): Json | null {
      if (record.role === 'owner' && r.kind === 'primary') return { kind: 'primary', readers: record.readers }
      if (record.role === 'host' && r.id === record.resource) return { kind: 'backup' }
      return null
    },
  })

  const keysOf = (record: FolderRecord, id: string): FolderKeys => {
    if (record.secret !== null) return deriveFolderKeys(unb64(record.secret))
    const wrapped = record.readers[self]
    if (record.role !== 'reader' || wrapped === undefined) {
      throw new GridNodeError('FORBIDDEN', `This node holds an encrypted copy of ${id} without its key: only the owner and its readers can read it.`)
    }
    if (components.privateKey.type !== 'Ed25519') throw new GridNodeError('KEY_UNWRAP_FAILED', 'Only an Ed25519 node identity can unwrap a folder key.')
    return deriveFolderKeys(unwrapFolderSecret(unb64(wrapped), components.privateKey, id))
  }

  const facts = (id: string): GroupFacts | undefined => {
    const snapshot = runtime.snapshot(id)
    const record = records.get(id)
    const local = locals.get(id)
    if (snapshot === undefined || record === undefined || local === undefined) return undefined
    return {
      snapshot,
      record,
      head: local.head,
      filesFrom: (seq) => {
        let sum = 0
        for (const [s, files] of local.files) if (s >= seq) sum += files
        return sum
      },
      reasons: local.reasons,
      stats: local.owner?.stats() ?? { files: record.manifest?.files ?? 0, bytes: record.manifest?.bytes ?? 0 },
      firstScanPending: local.owner?.firstScanPending() ?? false,
    }
  }

  /** The acting primary, then the other hosts that are not suspected: where a copy pulls from. */
  const sourcesOf = (id: string): string[] => {
    const snapshot = runtime.snapshot(id)
    if (snapshot === undefined) return []
    const live = new Set(snapshot.members.filter((m) => !m.suspected).map((m) => m.peer))
    const hosts = snapshot.resources.map((r) => r.host).filter((p): p is string => p !== null && live.has(p))
    return [...new Set([snapshot.primary, ...hosts])].filter((p): p is string => p !== null && p !== self)
  }

  // ---- applying updates on this node's copy ----

  const enqueue = (id: string, local: Local, task: () => Promise<void>): void => {
    local.work = local.work.then(async () => {
      if (local.stopped || local.abort.signal.aborted) return
      try {
        await task()
      } catch (err) {
        if (local.abort.signal.aborted) return
        const error = toGridNodeError(err)
        if (error.code === 'QUOTA_EXCEEDED') return quotaFull(id, local, error)
        logger.error({ err, group: id }, 'a mirror update could not be applied')
        log(id, 'error', 'update', `An update could not be applied: ${error.message} (${error.code})`)
        local.stopped = true
      }
    })
  }

  const quotaFull = (id: string, local: Local, error: GridNodeError): void => {
    local.stopped = true
    const record = records.get(id)
    log(id, 'warn', 'quota', `${error.message} This copy stops here; the group recruits another host.`)
    if (record?.resource != null) runtime.input(id, { type: 'quota-full', resource: record.resource })
  }

  /** Fetches `refs` into `into` until every one is stored or gone, retrying while sources are missing or unreachable. */
  const fetchAll = async (id: string, local: Local, into: ChunkStore, refs: readonly ChunkRef[], checkQuota: boolean, first?: string): Promise<string[]> => {
    let wanted = refs
    const gone: string[] = []
    for (let delay = FETCH_RETRY_MS; ; delay = Math.min(delay * 2, FETCH_RETRY_MAX_MS)) {
      const sources = [...new Set([first, ...sourcesOf(id)])].filter((p): p is string => p !== undefined && p !== self)
      const outcome = await fetchChunks({
        client,
        group: id,
        store: into,
        namespace: id,
        refs: wanted,
        sources,
        checkQuota,
        signal: local.abort.signal,
        onSourceError: (peer, err) => logger.debug({ group: id, peer, err: (err as Error).message }, 'a copy could not provide chunks'),
      })
      gone.push(...outcome.gone)
      if (outcome.bytes > 0 && into === contributed) components.onStoreChange()
      if (outcome.missing.length === 0) return gone
      const missing = new Set(outcome.missing)
      wanted = wanted.filter((ref) => missing.has(ref.id))
      await sleep(delay, local.abort.signal)
      local.abort.signal.throwIfAborted()
    }
  }

  const deleteDropped = async (into: ChunkStore, id: string, drop: readonly string[], keep: ReadonlyMap<string, number> = new Map()): Promise<void> => {
    for (const chunk of drop) if (!keep.has(chunk)) await into.delete(id, chunk)
    if (into === contributed && drop.length > 0) components.onStoreChange()
  }

  /**
   * A host starts fetching an update's chunks as soon as it is handed over, a few updates ahead
   * of the one being recorded: the store's writes of one overlap the transfer of the next.
   * Recording stays in order and checks again that every chunk is there (an earlier update's
   * drops may have removed one meanwhile).
   */
  const prefetch = (id: string, local: Local, update: Update): Promise<string[]> | undefined => {
    const parsed = UpdatePayloadSchema.safeParse(update.payload)
    if (records.get(id)?.role !== 'host' || !parsed.success) return undefined
    const fetching = local.prefetching(() => fetchAll(id, local, contributed, parsed.data.add, true))
    fetching.catch(() => undefined)
    return fetching
  }

  const applyUpdate = async (id: string, local: Local, update: Update, prefetched?: Promise<string[]>): Promise<void> => {
    const parsed = UpdatePayloadSchema.safeParse(update.payload)
    if (!parsed.success) throw new GridNodeError('BAD_REQUEST', `Update ${update.seq} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}.`)
    const payload: UpdatePayload = parsed.data
    const record = recordOf(id)
    const position = { epoch: update.epoch, seq: update.seq }
    if (record.role === 'owner') {
      const ownProposal = local.ownPayloads.has(update.payload as object)
      if (!ownProposal && payload.manifest !== null) {
        await fetchAll(id, local, own, payload.manifest.pieces, false)
        await local.owner?.adopt(payload.manifest)
      }
      await records.put(id, { ...record, position, manifest: payload.manifest ?? record.manifest })
      runtime.input(id, { type: 'applied', seq: update.seq })
      await deleteDropped(own, id, payload.drop, local.owner?.refs())
      return
    }
    const started = performance.now()
    const gone = [...((await prefetched) ?? []), ...(await fetchAll(id, local, contributed, payload.add, true))]
    const fetched = performance.now()
    const dropped = new Set(payload.drop)
    const added = new Set(payload.add.map((ref) => ref.id))
    const holes = [...new Set([...record.holes.filter((h) => !dropped.has(h) && !added.has(h)), ...gone])]
    await records.put(id, { ...record, position, manifest: payload.manifest ?? record.manifest, holes })
    runtime.input(id, { type: 'applied', seq: update.seq })
    logger.debug({ group: id, seq: update.seq, chunks: payload.add.length, fetchMs: Math.round(fetched - started), ms: Math.round(performance.now() - started) }, 'update applied')
    await deleteDropped(contributed, id, payload.drop)
  }

  /** Replaces this copy with a full copy of `from`'s (the acting primary's). */
  const installSnapshot = async (id: string, local: Local, from: string): Promise<void> => {
    const record = recordOf(id)
    if (record.role === 'owner') {
      const state = await client.state(from, id, local.abort.signal)
      if (state.manifest !== null) {
        await fetchAll(id, local, own, state.manifest.pieces, false, from)
        await local.owner?.adopt(state.manifest)
      }
      await records.put(id, { ...record, position: state.position, manifest: state.manifest })
      runtime.input(id, { type: 'snapshot-installed', at: state.position })
      return
    }
    const { state, refs, holes } = await client.refs(from, id, local.abort.signal)
    const wanted = refs.map(([chunk, bytes]) => ({ id: chunk, size: bytes - sealedSize(0) }))
    const gone = await fetchAll(id, local, contributed, wanted, true, from)
    await records.put(id, { ...record, position: state.position, manifest: state.manifest, holes: [...new Set([...holes, ...gone])] })
    runtime.input(id, { type: 'snapshot-installed', at: state.position })
    const keep = new Set(refs.map(([chunk]) => chunk))
    const extra: string[] = []
    for await (const chunk of contributed.list(id)) if (!keep.has(chunk)) extra.push(chunk)
    await deleteDropped(contributed, id, extra)
    log(id, 'info', 'catch-up', `installed a full copy of ${from.slice(-6)}'s as of update ${state.position.seq}`)
  }

  // ---- recruiting backup hosts ----

  /** One recruitment at a time per group, so two resources never invite the same member. */
  const recruiting = new Map<string, Promise<void>>()

  const recruit = (id: string, resource: string, exclude: string[], attempt = 1): void => {
    const run = (recruiting.get(id) ?? Promise.resolve()).then(() => recruitOne(id, resource, exclude, attempt)).catch((err: unknown) => logger.warn({ err, group: id }, 'recruiting failed'))
    recruiting.set(id, run)
  }

  const recruitOne = async (id: string, resource: string, exclude: string[], attempt: number): Promise<void> => {
    const snapshot = runtime.snapshot(id)
    const record = records.get(id)
    if (snapshot === undefined || record === undefined || !snapshot.acting) return
    const current = snapshot.resources.find((r) => r.id === resource)?.host ?? null
    if (current !== null && !exclude.includes(current)) return
    const owner = locals.get(id)?.owner
    const need = Math.max(1, owner !== undefined ? [...owner.refs().values()].reduce((sum, size) => sum + sealedSize(size), 0) : (contributed.usage().namespaces[id]?.bytes ?? 1))
    const now = performance.now()
    const excluded = new Set([self, ...exclude, ...snapshot.members.map((m) => m.peer), ...Object.keys(record.readers)])
    for (const [key, until] of shunned) if (until > now && key.startsWith(`${id}/`)) excluded.add(key.slice(id.length + 1))
    let candidates: Array<{ peer: string; subgrid: string }> = []
    try {
      candidates = (await components.discover({ diskBytes: need }, RECRUIT_CANDIDATES)).candidates.filter((c) => !excluded.has(c.peer))
    } catch (err) {
      logger.debug({ group: id, err: (err as Error).message }, 'discovery for a backup host failed')
    }
    const mine = components.subgrid()
    candidates.sort((a, b) => Number(a.subgrid === mine) - Number(b.subgrid === mine))
    // While the overlay's index is converging (a super-peer just restarted) it may know nobody: the
    // members this node is connected to are asked instead; each checks its own quota before it joins.
    const connected = host.getConnections().map((c) => c.remotePeer.toString()).filter((peer) => vo.isProven(peer) && !excluded.has(peer))
    const pick = candidates[0] ?? (attempt >= RECRUIT_ATTEMPTS / 2 && connected.length > 0 ? { peer: connected.sort()[0]!, subgrid: '' } : undefined)
    if (pick === undefined) {
      if (attempt === 1) log(id, 'warn', 'recruit', `no member offers ${need} bytes of disk for ${resource} yet; asking again`)
      // Discovery fills as members register: ask again soon, a few times, before the core's own retry.
      if (attempt < RECRUIT_ATTEMPTS) setTimeout(() => running && recruit(id, resource, exclude, attempt + 1), RECRUIT_RETRY_MS).unref()
      return
    }
    // A member invited and not joined is not asked again soon (it may be refusing, or gone).
    shunned.set(`${id}/${pick.peer}`, now + RECRUIT_SHUN_MS)
    runtime.input(id, { type: 'recruited', resource, host: pick.peer })
  }

  const orderResync = async (id: string, target: string): Promise<void> => {
    for (let attempt = 1; attempt <= RESYNC_ATTEMPTS; attempt++) {
      try {
        return await client.resync(target, id)
      } catch (err) {
        logger.debug({ group: id, target, attempt, err: (err as Error).message }, 'a resync order did not reach its host')
      }
    }
  }

  // ---- the group runtime's application ----

  const forget = async (id: string, dissolved: boolean): Promise<void> => {
    const gone = locals.get(id)
    locals.delete(id)
    gone?.abort.abort()
    await gone?.owner?.stop()
    await runtime.remove(id, dissolved)
    await records.delete(id)
    await Promise.all([contributed.dropNamespace(id), own.dropNamespace(id)])
    components.onStoreChange()
    components.onChange()
  }

  const onEffect = (id: string, effect: Exclude<GroupEffect, { type: 'persist-state' | 'log' }>): void => {
    const local = locals.get(id)
    if (local === undefined) return
    switch (effect.type) {
      case 'apply-update': {
        local.head = Math.max(local.head, effect.update.seq)
        const files = (effect.update.payload as { files?: unknown } | null)?.files
        local.files.set(effect.update.seq, typeof files === 'number' ? files : 0)
        for (const seq of local.files.keys()) if (local.files.size > FILES_MEMORY) local.files.delete(seq)
        return enqueue(id, local, () => applyUpdate(id, local, effect.update, prefetch(id, local, effect.update)))
      }
      case 'full-resync-needed':
        return void orderResync(id, effect.host)
      case 'recruit-backup-needed':
        return recruit(id, effect.resource, effect.exclude)
      case 'resource-config': {
        const readers = (effect.config as { readers?: Record<string, unknown> } | null)?.readers
        const wrapped = readers?.[self]
        const record = records.get(id)
        if (record?.role !== 'reader' || typeof wrapped !== 'string' || record.readers[self] === wrapped) return
        void records.put(id, { ...record, readers: { [self]: wrapped } })
        return
      }
      case 'drop-copy': {
        local.abort.abort()
        locals.set(id, { ...local, abort: new AbortController(), work: Promise.resolve(), stopped: false })
        const record = records.get(id)
        if (record !== undefined) void records.put(id, { ...record, position: { epoch: 0, seq: 0 }, manifest: null, holes: [] })
        void contributed.dropNamespace(id).then(components.onStoreChange)
        return
      }
      case 'group-left':
        return void forget(id, false)
      case 'group-dissolved':
        return void forget(id, true)
      case 'start-mirroring':
        local.reasons.delete(effect.resource)
        return
      case 'stop-mirroring':
        return
      case 'become-acting-primary':
      case 'ack-to-user':
      case 'stepped-down':
      case 'refused-stale':
      case 'propose-refused':
        return
    }
  }

  const addLocal = (id: string, owner?: OwnerEngine): Local => {
    const local: Local = {
      owner,
      work: Promise.resolve(),
      abort: new AbortController(),
      stopped: false,
      head: 0,
      files: new Map(),
      reasons: new Map(),
      ownPayloads: new WeakSet(),
      canPropose: false,
      prefetching: createLimiter(PREFETCH_UPDATES),
    }
    locals.set(id, local)
    return local
  }

  const ownerEngine = (id: string, record: FolderRecord): OwnerEngine =>
    createOwnerEngine(
      {
        own,
        scans,
        reads,
        logger,
        propose(payloads) {
          const snapshot = runtime.snapshot(id)
          const local = locals.get(id)
          if (snapshot === undefined || local === undefined || !proposable(snapshot)) return false
          for (const payload of payloads) {
            local.ownPayloads.add(payload)
            runtime.input(id, { type: 'propose', payload: payload as unknown as Json, size: payload.add.reduce((sum, ref) => sum + sealedSize(ref.size), 0) })
          }
          return true
        },
        log: (level, kind, text) => log(id, level, kind, text),
        firstScanDone: () => onChange(id),
      },
      { group: id, root: record.path!, keys: keysOf(record, id), manifest: record.manifest },
    )

  const onInvite: GroupApplication['onInvite'] = (from, invite) => {
    if (!running || locals.has(invite.group)) return
    const asReader = invite.resource === 'primary'
    if (!asReader && components.offeredDiskBytes() <= 0) {
      logger.info({ group: invite.group, from }, 'declined to host a backup: no disk offered')
      return
    }
    const record: FolderRecord = {
      v: 1,
      role: asReader ? 'reader' : 'host',
      name: invite.name,
      path: null,
      secret: null,
      readers: {},
      resource: asReader ? null : invite.resource,
      position: { epoch: 0, seq: 0 },
      manifest: null,
      holes: [],
    }
    addLocal(invite.group)
    void records.put(invite.group, record).then(() => {
      if (!locals.has(invite.group)) return
      runtime.join({ group: invite.group }, { access: accessOf(record), contact: from, ...(asReader ? {} : { invitedFor: invite.resource }) })
      log(invite.group, 'info', 'invite', asReader ? `invited by ${from.slice(-6)} to read this folder` : `invited by ${from.slice(-6)} to host ${invite.resource}`)
    })
  }

  /** Why a copy failed, as the acting primary's core logged it. */
  const onLog: GroupApplication['onLog'] = (id, line) => {
    if (line.step === 'quota' && line.resource !== undefined && line.peer !== undefined) locals.get(id)?.reasons.set(line.resource, "its host's store is full (its quota)")
  }

  const onChange = (id: string): void => {
    const snapshot = runtime.snapshot(id)
    // An invited member that joined was not refusing: it may be asked again later.
    for (const member of snapshot?.members ?? []) shunned.delete(`${id}/${member.peer}`)
    // The owner may propose again (it took the primary role, or finished joining while holding it):
    // a full scan proposes whatever was refused meanwhile.
    const local = locals.get(id)
    const canPropose = snapshot !== undefined && proposable(snapshot)
    if (local !== undefined && canPropose !== local.canPropose) {
      local.canPropose = canPropose
      if (canPropose) local.owner?.rescanAll()
    }
    const f = facts(id)
    const summary = f === undefined ? undefined : toSummary(f)
    if (summary !== undefined && summary.inSync === summary.copies && summary.backups.every((b) => b.behindUpdates === 0)) local?.owner?.settled()
    const key = JSON.stringify(summary ?? null)
    if (reported.get(id) === key) return
    reported.set(id, key)
    components.onChange()
  }

  const inviteReaders = (): void => {
    for (const [id] of locals) {
      const record = records.get(id)
      const snapshot = runtime.snapshot(id)
      if (record?.role !== 'owner' || snapshot === undefined) continue
      const members = new Set(snapshot.members.map((m) => m.peer))
      for (const reader of Object.keys(record.readers)) {
        if (!members.has(reader)) runtime.send(reader, { type: 'invite', group: id, epoch: snapshot.epoch, resource: 'primary', name: record.name })
      }
    }
  }

  // ---- serving chunks to other copies and readers ----

  const memberOf = (id: string, peer: string): void => {
    if (!runtime.snapshot(id)?.members.some((m) => m.peer === peer)) throw new GridNodeError('FORBIDDEN', `${peer} is not a member of group ${id}.`)
  }

  const serveChunk = async (id: string, chunk: string): Promise<ChunkAnswer> => {
    const record = recordOf(id)
    const local = localOf(id)
    if (local.owner !== undefined) return local.owner.serve(chunk)
    if (record.role !== 'host') return { status: 'missing' }
    try {
      return { status: 'ok', sealed: await contributed.get(id, chunk) }
    } catch {
      return { status: record.holes.includes(chunk) ? 'gone' : 'missing' }
    }
  }

  const stateOf = (id: string): CopyState => {
    const record = recordOf(id)
    return { position: record.position, manifest: record.manifest }
  }

  // ---- restore ----

  const restore = async (id: string, dest: string): Promise<RestoreResult> => {
    const started = performance.now()
    const record = recordOf(id)
    const local = localOf(id)
    if (!isAbsolute(dest)) throw new GridNodeError('INVALID_INPUT', `Restore into an absolute path, not ${dest}.`)
    const keys = keysOf(record, id)
    const snapshot = runtime.snapshot(id)!
    const live = new Set(snapshot.members.filter((m) => !m.suspected).map((m) => m.peer))
    // Backup copies first, in backup order, the primary host last: a restore spares the owner's machine.
    const order = [...snapshot.backupOrder, ...snapshot.resources.filter((r) => r.kind === 'primary').map((r) => r.id)]
    const hosts = [...new Set(order.map((r) => snapshot.resources.find((x) => x.id === r)?.host ?? null))].filter((p): p is string => p !== null && p !== self && live.has(p))
    const states = await Promise.all(hosts.map((peer) => client.state(peer, id).then((state) => ({ peer, state }), () => undefined)))
    const copies = states.filter((s): s is { peer: string; state: CopyState } => s !== undefined && s.state.manifest !== null)
    if (local.owner !== undefined && record.manifest !== null) copies.push({ peer: self, state: stateOf(id) })
    const freshest = copies.reduce<(typeof copies)[number] | undefined>((best, c) => (best === undefined || comparePositions(c.state.position, best.state.position) > 0 ? c : best), undefined)
    if (freshest === undefined) throw new GridNodeError('CHUNK_MISSING', `No live copy of ${record.name} answered; try again when one of its hosts is online.`)
    const manifestRef: ManifestRef = freshest.state.manifest!
    const ranked = [freshest.peer, ...copies.map((c) => c.peer).filter((p) => p !== freshest.peer)]
    const localSource: ChunkSource = { name: self, getChunk: async (chunk) => ((await serveChunk(id, chunk)) as { sealed?: Uint8Array }).sealed }
    const sourcesFor = (readAheadOrder: readonly ChunkRef[]): ChunkSource[] =>
      ranked.map((peer, i) => (peer === self ? localSource : createRemoteSource({ client, peer, group: id, order: i === 0 ? readAheadOrder : [] })))
    const pieces = await Promise.all(
      manifestRef.pieces.map(async (piece) => {
        for (const source of sourcesFor([])) {
          try {
            const sealed = await source.getChunk(piece.id)
            if (sealed !== undefined) return openChunk(keys, piece.id, sealed)
          } catch {
            // The next copy may have it intact.
          }
        }
        throw new GridNodeError('CHUNK_MISSING', `No copy has the manifest of ${record.name} intact.`)
      }),
    )
    const manifest = manifestFromPieces(pieces)
    const chunkOrder = manifest.entries.flatMap((entry) => (entry.kind === 'file' ? entry.chunks : []))
    const report = await restoreFolder({ manifest, keys, sources: sourcesFor(chunkOrder), dest })
    if (report.failed.length > 0) {
      const first = report.failed[0]!
      log(id, 'error', 'restore', `restore into ${dest}: ${report.failed.length} file(s) could not be restored, e.g. ${first.path}: ${first.reason}`)
      throw new GridNodeError(first.code, `${report.failed.length} file(s) of ${record.name} could not be restored from any copy (first: ${first.path}: ${first.reason}); the other ${report.files} were.`)
    }
    log(id, 'info', 'restore', `restored ${report.files} files (${report.bytes} bytes) into ${dest} from update ${freshest.state.position.seq}; ${report.repaired.length} chunk(s) repaired from another copy`)
    return { files: report.files, bytes: report.bytes, repairedChunks: report.repaired.length, sources: ranked, ms: performance.now() - started }
  }

  return {
    async start() {
      running = true
      const stored = await records.load()
      const persisted = await runtime.start({ onEffect, onInvite, onChange, onLog })
      await serveChunks(
        host,
        {
          chunks: (id, from) => {
            memberOf(id, from)
            return (chunk) => serveChunk(id, chunk)
          },
          state: async (id, from) => {
            memberOf(id, from)
            return stateOf(id)
          },
          refs: async (id, from) => {
            memberOf(id, from)
            const record = recordOf(id)
            const owner = localOf(id).owner
            const refs: Array<[string, number]> = []
            if (owner !== undefined) for (const [chunk, size] of owner.refs()) refs.push([chunk, sealedSize(size)])
            else for await (const { id: chunk, bytes } of contributed.entries(id)) refs.push([chunk, bytes])
            return { state: stateOf(id), refs, holes: record.holes }
          },
          resync: (id, from) => {
            memberOf(id, from)
            const local = localOf(id)
            enqueue(id, local, () => installSnapshot(id, local, from))
          },
        },
        logger,
      )
      vo.membersOnly(CHUNK_PROTOCOL)
      for (const [id, record] of [...stored]) {
        const core = persisted.get(id)
        if (core === undefined) {
          // Shared or invited, then stopped before the group's first record: nothing to come back to.
          await records.delete(id)
          continue
        }
        const owner = record.role === 'owner' ? ownerEngine(id, record) : undefined
        addLocal(id, owner)
        runtime.join({ persisted: core }, { access: accessOf(record) })
        await owner?.start().catch((err: unknown) => log(id, 'error', 'scan', `The folder cannot be watched: ${toGridNodeError(err).message}`))
      }
      inviteTimer = setInterval(inviteReaders, READER_INVITE_INTERVAL_MS)
      inviteTimer.unref()
    },
    async stop() {
      running = false
      clearInterval(inviteTimer)
      runtime.stop()
      for (const local of locals.values()) local.abort.abort()
      await Promise.all([...locals.values()].map(async (local) => {
        await local.owner?.stop()
        await local.work
      }))
      await Promise.all([scans.close(), reads.close()])
    },
    async share(request) {
      if (vo.info() === null) throw new GridNodeError('NOT_IN_VO', 'A folder is mirrored on other members of a VO: create one or join with an invite first.')
      if (!isAbsolute(request.path)) throw new GridNodeError('INVALID_INPUT', `Share a folder by its absolute path, not ${request.path}.`)
      const root = await resolveFolder(request.path)
      const id = randomBytes(8).toString('hex')
      const secret = createFolderSecret()
      const readers: Record<string, string> = {}
      for (const reader of new Set(request.readers)) {
        let publicKey
        try {
          publicKey = peerIdFromString(reader).publicKey
        } catch (err) {
          throw new GridNodeError('INVALID_INPUT', `${reader} is not a peer id.`, { cause: err })
        }
        if (publicKey === undefined || reader === self) throw new GridNodeError('INVALID_INPUT', `${reader} cannot be a reader: it is this node, or its id carries no key.`)
        readers[reader] = b64(wrapFolderSecret(secret, publicKey.raw, id))
      }
      const name = request.name ?? (basename(root) || root)
      const record: FolderRecord = { v: 1, role: 'owner', name, path: root, secret: b64(secret), readers, resource: null, position: { epoch: 0, seq: 0 }, manifest: null, holes: [] }
      await records.put(id, record)
      const owner = ownerEngine(id, record)
      addLocal(id, owner)
      runtime.join({ state: createGroupState({ id, name, copies: request.copies }) }, { access: accessOf(record) })
      log(id, 'info', 'share', `shares ${root} with ${request.copies} backup cop${request.copies === 1 ? 'y' : 'ies'}${Object.keys(readers).length > 0 ? ` and ${Object.keys(readers).length} reader(s)` : ''}`)
      await owner.start()
      inviteReaders()
      return toSummary(facts(id)!)
    },
    groups: () => [...locals.keys()].flatMap((id) => {
      const f = facts(id)
      return f === undefined ? [] : [toSummary(f)]
    }),
    group(id) {
      const f = facts(id)
      if (f === undefined) throw notFound(id)
      return toDetail(f)
    },
    async log(id, limit) {
      localOf(id)
      return runtime.readLog(id, limit)
    },
    async unshare(id) {
      const record = recordOf(id)
      if (record.role !== 'owner') throw new GridNodeError('FORBIDDEN', `Only the member that shared ${record.name} can unshare it.`)
      runtime.input(id, { type: 'unshare' })
      // The core dissolved the group; its effect removes it here (a core that refused leaves it).
      if (locals.has(id)) await forget(id, true)
    },
    restore,
  }
}
