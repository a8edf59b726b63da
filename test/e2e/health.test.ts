/**
 * The health view in a real browser against a real node: a fresh idle node says it has no estimate
 * yet (it must not invent p), draws the Amdahl reference and live charts fed by the node's health
 * events, and answers a what-if from assumptions given in the form. In a VO of three, the first
 * node's health view lists itself and both other members, collected through the super-peers.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Browser, Page } from 'playwright'
import { browserUnavailable, launchBrowser, openPage, screenshot } from '../harness/browser.ts'
import { formVo, startNodes, type NodeProcess } from '../harness/node-process.ts'

const WAIT_MS = 15_000
const CORES = [1, 2, 4]
/**
 * The section collects when it opens and every 30 s after: long enough for one periodic refresh
 * and its discovery, should the first collection miss a member's registration.
 */
const VO_HEALTH_WAIT_MS = 40_000

test('the health view shows p honestly, live charts, the Amdahl curve and a what-if', async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const [node] = await startNodes(t, ['health'])
  assert.ok(node)
  const printedUrl = /UI\s+(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(node.output())?.[1]
  assert.ok(printedUrl, 'the node prints its UI URL with the token')

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const { page, problems } = await openHealthPage(browser, printedUrl)

  // Outside a VO the section says there is nothing to list, rather than an empty table.
  await page.getByTestId('vo-health').getByText('This node is not in a VO yet').waitFor({ timeout: WAIT_MS })
  assert.equal(await page.getByTestId('vo-health-row').count(), 0)

  // An idle node has seen no contention, so it has no estimate and says so.
  await page.getByTestId('scalability-p').filter({ hasText: /^no estimate yet$/ }).waitFor({ timeout: WAIT_MS })
  await page.getByTestId('amdahl-chart').locator('canvas').waitFor({ timeout: WAIT_MS })
  const cpuChart = page.getByTestId('health-chart-cpu')
  await cpuChart.locator('canvas').waitFor({ timeout: WAIT_MS })

  // The history may already hold samples; growing past what was first drawn proves live events arrive.
  await waitForPoints(page, 2)
  await waitForPoints(page, Number(await cpuChart.getAttribute('data-points')) + 2)

  await page.getByTestId('whatif-cpus').fill(CORES.join(', '))
  await page.getByTestId('whatif-clients').fill('10')
  await page.getByTestId('whatif-p').fill('0.5')
  await page.getByTestId('whatif-demand').fill('10')
  await page.getByTestId('whatif-submit').click()
  await page.getByTestId('whatif-row').nth(CORES.length - 1).waitFor({ timeout: WAIT_MS })
  assert.equal(await page.getByTestId('whatif-row').count(), CORES.length)
  await page.getByTestId('whatif-source').filter({ hasText: 'your assumptions' }).waitFor({ timeout: WAIT_MS })

  // Clicking scrolled the page; a full-page shot of a scrolled page draws the fixed header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(page, 'health')
  assert.deepEqual(problems, [])
})

test("a VO member's health view lists itself and every other member with its state", async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const nodes = await startNodes(t, ['health-vo-1', 'health-vo-2', 'health-vo-3'])
  const [first, ...others] = nodes
  assert.ok(first && others.length === 2)
  await formVo(nodes)
  // Members register with their super-peer as soon as they know it; until then no index holds them.
  await Promise.all(nodes.map((node) => node.waitForStatus((s) => s.overlay?.superPeer != null, `${node.name} to know its super-peer`)))
  const printedUrl = /UI\s+(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(first.output())?.[1]
  assert.ok(printedUrl, 'the node prints its UI URL with the token')

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const { page, problems } = await openHealthPage(browser, printedUrl)
  const rows = page.getByTestId('vo-health').getByTestId('vo-health-row')
  const rowOf = (node: NodeProcess) => page.locator(`[data-testid="vo-health-row"][data-peer-id="${node.peerId}"]`)

  await rowOf(first).getByTestId('vo-health-state').filter({ hasText: /^this node$/ }).waitFor({ timeout: WAIT_MS })
  for (const other of others) {
    await rowOf(other)
      .getByTestId('vo-health-state')
      .filter({ hasText: /^(ok|busy)$/ })
      .waitFor({ timeout: VO_HEALTH_WAIT_MS })
  }
  assert.equal(await rows.count(), 3, 'this node and the two other members, each once')
  assert.equal(await rows.first().getAttribute('data-peer-id'), first.peerId, 'this node comes first')

  await screenshot(page, 'health-vo')
  assert.deepEqual(problems, [])
})

/** A page on a node's UI, opened from the URL it printed, on its health view. */
async function openHealthPage(browser: Browser, printedUrl: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser)
  await opened.page.goto(printedUrl)
  await opened.page.getByTestId('nav-health').click()
  await opened.page.getByTestId('health-view').waitFor({ timeout: WAIT_MS })
  return opened
}

/** Until the CPU chart says it holds at least `min` points (its data-points attribute). */
async function waitForPoints(page: Page, min: number): Promise<void> {
  await page.waitForFunction(
    (least) => Number(document.querySelector('[data-testid="health-chart-cpu"]')?.getAttribute('data-points')) >= least,
    min,
    { timeout: WAIT_MS },
  )
}
