/**
 * The copies that fell out of sync, from the node's successive statuses (see sync-watch.ts), for as
 * long as they stay out and the user has not dismissed them. A copy back in sync clears its alert.
 */
import { useEffect, useRef, useState } from 'react'
import type { Status } from '../../../../shared/api/schemas.ts'
import { OUT_OF_SYNC_GRACE_MS } from '../../constants.ts'
import { EMPTY_WATCH, lookAtGroups, type SyncAlert } from './sync-watch.ts'

export interface SyncAlerts {
  alerts: readonly SyncAlert[]
  dismiss: (key: string) => void
}

export function useSyncAlerts(status: Status | null): SyncAlerts {
  const watch = useRef(EMPTY_WATCH)
  const [alerts, setAlerts] = useState<readonly SyncAlert[]>([])
  // Bumped when a grace period ends with no status in between, to look again at the same groups.
  const [tick, setTick] = useState(0)
  const groups = status?.groups
  const selfId = status?.node.peerId

  useEffect(() => {
    if (groups === undefined || selfId === undefined) return
    const look = lookAtGroups(watch.current, groups, selfId, Date.now(), OUT_OF_SYNC_GRACE_MS)
    watch.current = look.watch
    const shared = new Set(groups.map((group) => group.id))
    setAlerts((shown) => [...shown.filter((alert) => shared.has(alert.groupId) && !look.recovered.includes(alert.key)), ...look.fell])
    if (look.nextCheckAt === null) return
    const timer = setTimeout(() => setTick((n) => n + 1), Math.max(0, look.nextCheckAt - Date.now()))
    return () => clearTimeout(timer)
  }, [groups, selfId, tick])

  return { alerts, dismiss: (key) => setAlerts((shown) => shown.filter((alert) => alert.key !== key)) }
}
