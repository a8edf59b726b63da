/**
 * Counts the bytes this node's libp2p connections carry, using libp2p's own metrics hooks into a
 * private registry. Private because that counter resets on every read: this module must be its
 * only reader (the node's /metrics exposes its own running totals instead).
 */
import type { Metrics } from '@libp2p/interface'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'

const TRANSFER_METRIC = 'libp2p_data_transfer_bytes_total'

export interface TrafficCounter {
  /** The metrics component to give libp2p. */
  readonly metrics: (components: never) => Metrics
  /** Bytes received and sent on all connections since the previous call. */
  take(): Promise<{ inBytes: number; outBytes: number }>
}

export function createTrafficCounter(): TrafficCounter {
  const registry = new Registry()
  return {
    metrics: prometheusMetrics({ registry, collectDefaultMetrics: false, preserveExistingMetrics: true }) as (components: never) => Metrics,
    async take() {
      const values = (await registry.getSingleMetric(TRANSFER_METRIC)?.get())?.values ?? []
      const bytes = (label: string): number => values.find((v) => v.labels.protocol === label)?.value ?? 0
      return { inBytes: bytes('global received'), outBytes: bytes('global sent') }
    },
  }
}
