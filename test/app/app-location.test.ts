import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { appLocation, isAppUrl, isExternalWebUrl, isTrustedFrame } from '../../main/app/app-location.ts'

const indexFile = join('/opt', 'GridNode', 'resources', 'app.asar', 'out', 'renderer', 'index.html')
const indexUrl = pathToFileURL(indexFile).href
const built = appLocation(indexFile, undefined)
const dev = appLocation(indexFile, 'http://localhost:5173/')

test('the built page is the app, with any fragment or query', () => {
  assert.equal(built.kind, 'file')
  assert.equal(isAppUrl(indexUrl, built), true)
  assert.equal(isAppUrl(`${indexUrl}#/peers`, built), true)
  assert.equal(isAppUrl(`${indexUrl}?x=1`, built), true)
})

test('other files, hosts and schemes are not the app', () => {
  for (const url of [
    pathToFileURL(join('/opt', 'GridNode', 'resources', 'app.asar', 'out', 'renderer', 'other.html')).href,
    pathToFileURL('/etc/passwd').href,
    `file://evil.example${pathToFileURL(indexFile).pathname}`,
    'https://example.org/index.html',
    'http://localhost:5173/',
    'about:blank',
    'not a url',
  ]) {
    assert.equal(isAppUrl(url, built), false, url)
  }
})

test('an empty dev server variable means the built page', () => {
  assert.equal(appLocation(indexFile, '').kind, 'file')
})

test('in development the dev server origin is the app', () => {
  assert.equal(dev.kind, 'dev')
  assert.equal(isAppUrl('http://localhost:5173/', dev), true)
  assert.equal(isAppUrl('http://localhost:5173/src/main.tsx', dev), true)
  assert.equal(isAppUrl('http://localhost:5174/', dev), false)
  assert.equal(isAppUrl(indexUrl, dev), false)
})

test('IPC is served only to the top frame of the app page', () => {
  assert.equal(isTrustedFrame({ url: indexUrl, isTopFrame: true }, built), true)
  assert.equal(isTrustedFrame({ url: indexUrl, isTopFrame: false }, built), false)
  assert.equal(isTrustedFrame({ url: 'https://example.org/', isTopFrame: true }, built), false)
  // A frame already gone (navigated away or destroyed) is never trusted.
  assert.equal(isTrustedFrame(null, built), false)
})

test('only web links go to the system browser', () => {
  assert.equal(isExternalWebUrl('https://gridnode.org/docs'), true)
  assert.equal(isExternalWebUrl('http://example.org'), true)
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-settings:', 'nonsense']) {
    assert.equal(isExternalWebUrl(url), false, url)
  }
})
