/**
 * The headless UI in a real browser: opened from the URL the node prints, it shows the node's
 * identity, and a peer that connects appears live, without reloading.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browserUnavailable, launchBrowser, openPage, screenshot } from '../harness/browser.ts'
import { formVo, startNodes } from '../harness/node-process.ts'

const WAIT_MS = 15_000

test('the headless UI shows this node and a peer appearing live', async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const [a, b] = await startNodes(t, ['ui-a', 'ui-b'])
  assert.ok(a && b)
  const printedUrl = /UI\s+(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(a.output())?.[1]
  assert.ok(printedUrl, 'the node prints its UI URL with the token')

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const { page, problems } = await openPage(browser)
  await page.goto(printedUrl)

  await page.getByTestId('node-peer-id').filter({ hasText: a.peerId }).waitFor({ timeout: WAIT_MS })
  await page.getByTestId('connection-state').filter({ hasText: 'connected' }).waitFor({ timeout: WAIT_MS })
  await page.getByTestId('peer-count').filter({ hasText: /^0$/ }).waitFor({ timeout: WAIT_MS })
  assert.doesNotMatch(page.url(), /token=/, 'the token does not stay in the address bar')

  // b joining a's VO with an invite connects it to a: a's page must show it without a reload.
  await formVo([a, b])
  await page.locator(`[data-testid="peer-row"][data-peer-id="${b.peerId}"]`).waitFor({ timeout: WAIT_MS })
  await page.getByTestId('peer-count').filter({ hasText: /^1$/ }).waitFor({ timeout: WAIT_MS })
  await screenshot(page, 'ui-node')

  await page.reload()
  await page.getByTestId('node-peer-id').filter({ hasText: a.peerId }).waitFor({ timeout: WAIT_MS })

  for (const journey of ['vo', 'folders', 'health']) {
    await page.getByTestId(`nav-${journey}`).click()
    await page.waitForURL(new RegExp(`#/${journey}$`), { timeout: WAIT_MS })
  }
  assert.deepEqual(problems, [])
})
