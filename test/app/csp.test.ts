import assert from 'node:assert/strict'
import { test } from 'node:test'
import { appLocation } from '../../main/app/app-location.ts'
import { contentSecurityPolicy, withCsp } from '../../main/app/csp.ts'
import { UI_CONTENT_SECURITY_POLICY } from '../../shared/csp.ts'

const built = appLocation('/app/out/renderer/index.html', undefined)

test('the packaged app sends the one UI policy', () => {
  assert.equal(contentSecurityPolicy(built), UI_CONTENT_SECURITY_POLICY)
})

test('the dev server policy only adds its hot-reload socket', () => {
  const policy = contentSecurityPolicy(appLocation('/app/out/renderer/index.html', 'http://localhost:5173'))
  assert.match(policy, /connect-src 'self' ws:\/\/localhost:5173;/)
  assert.match(policy, /script-src 'self';/)
})

test('our CSP replaces any the response had, whatever its header case', () => {
  const headers = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] }, "default-src 'self'")
  assert.deepEqual(headers, { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] })
  assert.deepEqual(withCsp(undefined, "default-src 'self'"), { 'Content-Security-Policy': ["default-src 'self'"] })
})
