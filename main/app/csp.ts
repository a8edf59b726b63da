/**
 * The Content-Security-Policy of the app's page (shared/csp.ts), sent as a response header too so
 * it holds even if the page's markup changes.
 */
import { UI_CONTENT_SECURITY_POLICY } from '../../shared/csp.ts'
import type { AppLocation } from './app-location.ts'

/** The policy string; the dev server also needs its hot-reload socket. */
export function contentSecurityPolicy(location: AppLocation): string {
  if (location.kind !== 'dev') return UI_CONTENT_SECURITY_POLICY
  const socket = location.origin.replace(/^http/, 'ws')
  return UI_CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ${socket}`)
}

export type ResponseHeaders = Record<string, string[]>

/** Response headers with ours replacing any CSP the response had (header names are case-insensitive). */
export function withCsp(headers: ResponseHeaders | undefined, policy: string): ResponseHeaders {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy')
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [policy] }
}
