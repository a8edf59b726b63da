/**
 * The overlay view in a real browser against real nodes in two sub-grids of one region: it draws
 * the region with both sub-grids, a crowned super-peer in each, the region peer, and marks where
 * this node sits; and it says so when the node is in no VO.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browserUnavailable, launchBrowser, openPage, screenshot } from '../harness/browser.ts'
import { formVo, startNodes } from '../harness/node-process.ts'

const WAIT_MS = 15_000
/** Members come from a collection through the super-peers, which refreshes every 30 s. */
const MEMBERS_WAIT_MS = 40_000

test('the overlay view draws regions, sub-grids, super-peers and this node', async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const subgridOf = (name: string): string => (name.startsWith('map-e') ? 'east' : 'west')
  const nodes = await startNodes(t, ['map-e1', 'map-e2', 'map-w1'], (name) => ['--subgrid', subgridOf(name), '--region', 'eu'])
  const [viewer] = nodes
  assert.ok(viewer)
  const printedUrl = /UI\s+(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(viewer.output())?.[1]
  assert.ok(printedUrl, 'the node prints its UI URL with the token')

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const { page, problems } = await openPage(browser)
  await page.goto(printedUrl)
  await page.getByTestId('nav-overlay').click()
  await page.getByTestId('overlay-view').getByText('This node is not in a VO yet').waitFor({ timeout: WAIT_MS })

  await formVo(nodes)
  // Both sub-grids' leaders are known to the viewer once the east super-peer's heartbeats carry the region's view.
  const status = await viewer.waitForStatus(
    (s) => s.overlay != null && ['east', 'west'].every((subgrid) => s.overlay!.superPeers.some((e) => e.subgrid === subgrid)) && s.overlay.regionPeer !== null,
    'the viewer to know both super-peers and the region peer',
    30_000,
  )
  const region = page.locator('[data-testid="overlay-region"][data-region="eu"]')
  for (const subgrid of ['east', 'west']) {
    const box = region.locator(`[data-testid="overlay-subgrid"][data-subgrid="${subgrid}"]`)
    await box.locator('[data-testid="overlay-peer"][data-role]:not([data-role="member"])').first().waitFor({ timeout: WAIT_MS })
    const members = nodes.filter((node) => subgridOf(node.name) === subgrid).length
    await page.waitForFunction(
      ([selector, count]) => document.querySelectorAll(selector).length === count,
      [`[data-subgrid="${subgrid}"] [data-testid="overlay-peer"]`, members] as const,
      { timeout: MEMBERS_WAIT_MS },
    )
  }
  const self = region.locator('[data-subgrid="east"] [data-testid="overlay-peer"][data-self="true"]')
  assert.equal(await self.count(), 1, 'this node is marked once, in its own sub-grid')
  await region.getByText(/region peer/).first().waitFor({ timeout: WAIT_MS })
  const regionPeerShown = await region.locator('[data-testid="overlay-peer"][data-role="region-peer"]').count()
  assert.equal(regionPeerShown, 1, `the region peer ${status.overlay!.regionPeer} is crowned once`)

  await screenshot(page, 'overlay')
  assert.deepEqual(problems, [])
})
