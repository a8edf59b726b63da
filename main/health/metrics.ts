/**
 * Prometheus text exposition of the node's health at `/metrics`: prom-client's process metrics
 * plus GridNode's own, read from the latest health sample and scalability estimate at scrape time.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import type { HealthSample, Scalability } from '../../shared/api/health-schemas.ts'

export interface MetricsSource {
  latest(): HealthSample | undefined
  scalability(): Scalability
  /** Bytes libp2p carried since start, by direction. */
  trafficTotals(): { in: number; out: number }
  version: string
  peerId: string
}

export interface MetricsExposition {
  readonly contentType: string
  render(): Promise<string>
}

/** Coarser than prom-client's 10 ms default: an idle node should not wake up 100 times a second. */
const EVENT_LOOP_PRECISION_MS = 100

export function createMetricsExposition(source: MetricsSource): MetricsExposition {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_PRECISION_MS })

  const fromSample = (name: string, help: string, pick: (s: HealthSample) => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const sample = source.latest()
        if (sample === undefined) this.reset()
        else this.set(pick(sample))
      },
    })
  }
  fromSample('gridnode_cpu_machine_ratio', 'Busy share of all cores of the machine over the last second.', (s) => s.cpu.machine)
  fromSample('gridnode_cpu_process_ratio', "Busy share of all cores used by this node's process over the last second.", (s) => s.cpu.process)
  fromSample('gridnode_load1', 'One-minute load average.', (s) => s.load[0])
  fromSample('gridnode_event_loop_delay_p99_seconds', 'Event-loop delay, 99th percentile over the last second.', (s) => s.eventLoop.delayP99Ms / 1000)
  fromSample('gridnode_store_bytes', "Bytes of the node's database and contributed store.", (s) => s.disk.storeBytes)
  fromSample('gridnode_disk_free_bytes', "Free bytes on the data folder's file system.", (s) => s.disk.freeBytes)
  fromSample('gridnode_peers', 'Connected peers.', (s) => s.peers)

  new Counter({
    name: 'gridnode_p2p_bytes_total',
    help: 'Bytes carried by libp2p connections since the node started.',
    labelNames: ['direction'],
    registers: [registry],
    collect() {
      const totals = source.trafficTotals()
      this.reset()
      this.inc({ direction: 'in' }, totals.in)
      this.inc({ direction: 'out' }, totals.out)
    },
  })
  new Gauge({
    name: 'gridnode_scalability_p',
    help: "Amdahl's parallel fraction p estimated from contention; absent until contention is seen.",
    labelNames: ['method'],
    registers: [registry],
    collect() {
      this.reset()
      const estimate = source.scalability()
      if (estimate.p !== null && estimate.method !== null) this.set({ method: estimate.method }, estimate.p)
    },
  })
  new Gauge({
    name: 'gridnode_scalability_windows',
    help: 'Contention windows behind the scalability estimate.',
    registers: [registry],
    collect() {
      this.set(source.scalability().samples)
    },
  })
  new Gauge({ name: 'gridnode_info', help: 'GridNode version and peer id.', labelNames: ['version', 'peer_id'], registers: [registry] }).set(
    { version: source.version, peer_id: source.peerId },
    1,
  )

  return { contentType: registry.contentType, render: () => registry.metrics() }
}
