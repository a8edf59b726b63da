declare module 'parse-prometheus-text-format' {
  export interface ParsedMetricFamily {
    name: string
    help: string
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
    metrics: Array<{ value?: string; labels?: Record<string, string> }>
  }
  /** Parses Prometheus text exposition; throws on malformed input. */
  export default function parsePrometheusTextFormat(text: string): ParsedMetricFamily[]
}
