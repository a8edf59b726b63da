/**
 * The health view in a real browser against a real node: a fresh idle node says it has no estimate
 * yet (it must not invent p), draws the Amdahl reference and live charts fed by the node's health
 * events, and answers a what-if from assumptions given in the form.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright'
import { browserUnavailable, launchBrowser, openPage, screenshot } from '../harness/browser.ts'
import { startNodes } from '../harness/node-process.ts'

const WAIT_MS = 15_000
const CORES = [1, 2, 4]

test('the health view shows p honestly, live charts, the Amdahl curve and a what-if', async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const [node] = await startNodes(t, ['health'])
  assert.ok(node)
  const printedUrl = /UI\s+(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(node.output())?.[1]
  assert.ok(printedUrl, 'the node prints its UI URL with the token')

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const { page, problems } = await openPage(browser)
  await page.goto(printedUrl)
  await page.getByTestId('nav-health').click()
  await page.getByTestId('health-view').waitFor({ timeout: WAIT_MS })

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

  await screenshot(page, 'health')
  assert.deepEqual(problems, [])
})

/** Until the CPU chart says it holds at least `min` points (its data-points attribute). */
async function waitForPoints(page: Page, min: number): Promise<void> {
  await page.waitForFunction(
    (least) => Number(document.querySelector('[data-testid="health-chart-cpu"]')?.getAttribute('data-points')) >= least,
    min,
    { timeout: WAIT_MS },
  )
}
