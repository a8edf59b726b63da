/**
 * "Pick a VO found on the LAN" in a real browser against real nodes with real mDNS, in a network
 * namespace of the test's own (test/harness/netns.ts): a fresh node's onboarding lists the VO its
 * network carries, asks to join it and shows the request pending; the admin's VO page shows the
 * request live and approves it; the newcomer's page turns into the VO's page by itself.
 */
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright'
import { browserUnavailable, launchBrowser, openNodeUi, screenshot } from '../harness/browser.ts'
import { netnsTest } from '../harness/netns.ts'
import { startNodes, type NodeProcess } from '../harness/node-process.ts'

const WAIT_MS = 20_000
const VO_NAME = 'Physics lab'

const openVoPage = (browser: Browser, node: NodeProcess): Promise<{ page: Page; problems: string[] }> => openNodeUi(browser, node, 'nav-vo')

netnsTest('a fresh node picks a VO found on the LAN, and an admin approves it from the UI', import.meta.url, async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)
  const [admin] = await startNodes(t, ['lan-ui-admin'], undefined, true)
  assert.ok(admin)
  const vo = await admin.client.voCreate({ name: VO_NAME })
  const [newcomer] = await startNodes(t, ['lan-ui-newcomer'], undefined, true)
  assert.ok(newcomer)

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const newcomerUi = await openVoPage(browser, newcomer)
  const page = newcomerUi.page
  const row = page.locator(`[data-testid="vo-nearby-row"][data-vo-id="${vo.id}"]`)
  await row.getByText(VO_NAME).waitFor({ timeout: WAIT_MS })
  await page.getByTestId('vo-request-label').fill('Lab PC 7')
  await row.getByTestId('vo-nearby-request').click()
  await page.getByTestId('vo-request-pending').filter({ hasText: VO_NAME }).waitFor({ timeout: WAIT_MS })
  await screenshot(page, 'vo-lan-request-pending')

  const adminUi = await openVoPage(browser, admin)
  const request = adminUi.page.locator(`[data-testid="vo-join-request"][data-peer-id="${newcomer.peerId}"]`)
  await request.getByText('Lab PC 7').waitFor({ timeout: WAIT_MS })
  await screenshot(adminUi.page, 'vo-lan-join-requests')
  await request.getByTestId('vo-join-approve').click()
  await request.waitFor({ state: 'detached', timeout: WAIT_MS })

  await page.getByTestId('vo-page').waitFor({ timeout: WAIT_MS })
  await page.getByTestId('vo-name').filter({ hasText: VO_NAME }).waitFor({ timeout: WAIT_MS })
  assert.equal(await page.getByTestId('vo-role').textContent(), 'member')
  await page.locator(`[data-testid="vo-member-row"][data-peer-id="${admin.peerId}"]`).getByText('connected', { exact: true }).waitFor({ timeout: WAIT_MS })
  await screenshot(page, 'vo-lan-joined')

  assert.deepEqual(newcomerUi.problems, [])
  assert.deepEqual(adminUi.problems, [])
})
