/**
 * The Compute view in a real browser against real nodes: the Mandelbrot demo started from the
 * page spreads its tiles over two members, the picture fills in tile by tile, the jobs table shows
 * them done, and the accounting table what this node spent.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browserUnavailable, launchBrowser, openNodeUi, screenshot } from '../harness/browser.ts'
import { formVo, startNodes } from '../harness/node-process.ts'

const WAIT_MS = 60_000

test('the Compute view runs the Mandelbrot demo over the VO and paints every tile', async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const [submitter, worker] = await startNodes(t, ['submitter', 'worker'])
  await formVo([submitter!, worker!])
  await Promise.all([submitter!.client.contribute({ cores: 1 }), worker!.client.contribute({ cores: 1 })])

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const { page, problems } = await openNodeUi(browser, submitter!, 'nav-compute')
  await page.getByTestId('compute-view').waitFor({ timeout: WAIT_MS })
  await page.getByTestId('jobs').getByText('No jobs yet').waitFor({ timeout: WAIT_MS })

  await page.getByTestId('mandelbrot-start').click()
  const canvas = page.getByTestId('mandelbrot-canvas')
  await canvas.waitFor({ timeout: WAIT_MS })
  const tiles = Number(await canvas.getAttribute('data-tiles'))
  assert.equal(tiles, 16)
  await page.locator(`[data-testid="mandelbrot-canvas"][data-painted="${tiles}"]`).waitFor({ timeout: WAIT_MS })

  // Every row of the picture was painted (the set's black and its coloured outside alike are opaque).
  const opaqueRows = await canvas.evaluate((element: HTMLCanvasElement) => {
    const { data, width, height } = element.getContext('2d')!.getImageData(0, 0, element.width, element.height)
    let rows = 0
    for (let y = 0; y < height; y++) if (data[(y * width + Math.floor(width / 2)) * 4 + 3] === 255) rows++
    return rows / height
  })
  assert.equal(opaqueRows, 1)
  assert.equal(await page.locator('[data-testid="job-row"][data-state="done"]').count(), tiles)
  await page.getByTestId('accounting-row').first().waitFor({ timeout: WAIT_MS })

  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(page, 'compute')
  assert.deepEqual(problems, [])
})
