/**
 * The "install and join a VO" journey in a real browser against two real nodes: a fresh node's
 * onboarding refuses a bad invite with the node's code, then joins with a real one and shows the VO
 * and both members live; the admin's page makes a new invite.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Browser, Page } from 'playwright'
import { browserUnavailable, launchBrowser, openNodeUi, screenshot } from '../harness/browser.ts'
import { startNodes, type NodeProcess } from '../harness/node-process.ts'

const WAIT_MS = 15_000
const VO_NAME = 'Physics lab'
/** Passes the page's own "starts with gridnode-invite:" check, so only the node can refuse it. */
const GARBAGE_INVITE = 'gridnode-invite:garbage'
/**
 * Chromium logs every HTTP error answer to fetch as a console error of its own. The node answers
 * the garbage invite with 400 (INVITE_INVALID), as it should, and the page shows that error: this
 * one line is expected, any other console error is not.
 */
const EXPECTED_REFUSAL = 'console error: Failed to load resource: the server responded with a status of 400 (Bad Request)'

test('a fresh node joins a VO from the UI with an invite and sees its members live', async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const [admin, joiner] = await startNodes(t, ['vo-admin', 'vo-joiner'])
  assert.ok(admin && joiner)
  const vo = await admin.client.voCreate({ name: VO_NAME })
  const { token } = await admin.client.voInvite({})

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const joinerUi = await openVoPage(browser, joiner)
  const page = joinerUi.page
  await page.getByTestId('vo-onboarding').waitFor({ timeout: WAIT_MS })

  await page.getByTestId('vo-invite-input').fill(GARBAGE_INVITE)
  await page.getByTestId('vo-join-submit').click()
  await page.getByTestId('vo-error').filter({ hasText: /^INVITE_INVALID: / }).waitFor({ timeout: WAIT_MS })
  await screenshot(page, 'vo-onboarding')

  await page.getByTestId('vo-invite-input').fill(token)
  await page.getByTestId('vo-join-submit').click()
  await page.getByTestId('vo-page').waitFor({ timeout: WAIT_MS })
  await page.getByTestId('vo-name').filter({ hasText: VO_NAME }).waitFor({ timeout: WAIT_MS })
  assert.equal(await page.getByTestId('vo-id').textContent(), vo.id)
  assert.equal(await page.getByTestId('vo-role').textContent(), 'member')
  const adminRow = page.locator(`[data-testid="vo-member-row"][data-peer-id="${admin.peerId}"]`)
  await adminRow.getByText('connected', { exact: true }).waitFor({ timeout: WAIT_MS })
  await page.locator(`[data-testid="vo-member-row"][data-peer-id="${joiner.peerId}"]`).getByText('this node').waitFor({ timeout: WAIT_MS })
  assert.equal(await page.getByTestId('vo-member-row').count(), 2)
  await screenshot(page, 'vo-page')

  const adminUi = await openVoPage(browser, admin)
  await adminUi.page.locator(`[data-testid="vo-member-row"][data-peer-id="${joiner.peerId}"]`).waitFor({ timeout: WAIT_MS })
  await adminUi.page.getByTestId('vo-invite-create').click()
  const newToken = adminUi.page.getByTestId('vo-invite-token')
  await newToken.waitFor({ timeout: WAIT_MS })
  assert.match((await newToken.textContent()) ?? '', /^gridnode-invite:\S+$/)
  // Clicking scrolled the page; a full-page shot of a scrolled page draws the fixed header mid-page.
  await adminUi.page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(adminUi.page, 'vo-page-admin')

  assert.deepEqual(
    joinerUi.problems.filter((problem) => problem !== EXPECTED_REFUSAL),
    [],
  )
  assert.deepEqual(adminUi.problems, [])
})

/** A page on `node`'s UI, on its VO page. */
const openVoPage = (browser: Browser, node: NodeProcess): Promise<{ page: Page; problems: string[] }> => openNodeUi(browser, node, 'nav-vo')
