/**
 * The "share a folder as a mirrored resource" journey in a real browser against three real nodes:
 * a real folder shared from the headless UI's path field with K = 2 reaches "2 of 2 copies in
 * sync" on the two other members, its event log shows the join protocol's steps, a restore from
 * the page writes its files back, and a backup host killed outright brings the out-of-sync notice.
 */
import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { browserUnavailable, launchBrowser, openNodeUi, screenshot } from '../harness/browser.ts'
import { formVo, startNodes, type NodeProcess } from '../harness/node-process.ts'
import { assertSameFolder, seededBytes, tempDir } from '../mirror/helpers.ts'

/** A first mirror of a small folder to two hosts on loopback, with recruitment through discovery. */
const SYNC_MS = 60_000
const WAIT_MS = 15_000
/** A backup host gone this long fails its copy (the default 60 s would only slow the test down). */
const GRACE = ['--backup-grace', '2']
/** The node noticing the host is gone, or at the latest the page's grace for a copy behind (OUT_OF_SYNC_GRACE_MS). */
const ALERT_MS = 30_000
const FOLDER_NAME = 'Lab notes'

/** A small tree: nested folders, text and binary files, one spanning several chunks. */
async function makeFolder(root: string): Promise<number> {
  await mkdir(join(root, 'runs/2024'), { recursive: true })
  const files: Array<[string, string | Buffer]> = [
    ['README.md', '# Lab notes\n'],
    ['runs/2024/run-01.csv', 't,v\n0,1\n1,2\n'],
    ['runs/2024/raw.bin', seededBytes('raw', 1_500_000)],
    ['runs/plan.txt', 'measure twice\n'],
  ]
  for (let i = 0; i < 12; i++) files.push([`runs/2024/sample-${i}.dat`, seededBytes(`sample-${i}`, 4_000 + i * 1_000)])
  for (const [path, content] of files) await writeFile(join(root, path), content)
  return files.length
}

test('a folder shared from the headless UI reaches its two copies in sync, shows its join steps, and restores', { timeout: 240_000 }, async (t) => {
  const skip = browserUnavailable()
  if (skip !== undefined) return t.skip(skip)

  const nodes = await startNodes(t, ['folders-owner', 'folders-b1', 'folders-b2'], () => GRACE)
  const [owner, b1, b2] = nodes as [NodeProcess, NodeProcess, NodeProcess]
  await formVo(nodes)
  const folder = await tempDir(t, 'gridnode-e2e-share-')
  const fileCount = await makeFolder(folder)

  const browser = await launchBrowser()
  t.after(() => browser.close())
  const { page, problems } = await openNodeUi(browser, owner, 'nav-folders')
  await page.getByTestId('folders-empty').waitFor({ timeout: WAIT_MS })
  await screenshot(page, 'folders-empty')

  await page.getByTestId('share-open').click()
  await page.getByTestId('share-path').fill(folder)
  await page.getByTestId('share-name').fill(FOLDER_NAME)
  assert.equal(await page.getByTestId('share-copies').inputValue(), '2', 'two copies unless asked otherwise')
  await page.getByTestId('share-submit').click()

  const card = page.getByTestId('group-card').filter({ hasText: FOLDER_NAME })
  await card.waitFor({ timeout: WAIT_MS })
  assert.equal(await card.getByTestId('group-role').getAttribute('data-role'), 'primary')
  assert.equal(await card.getByTestId('group-path').textContent(), folder)
  // Live: the copies fill, then the headline and both rows say so without a reload.
  await card.locator('[data-testid="group-sync"][data-health="complete"]').waitFor({ timeout: SYNC_MS })
  assert.equal(await card.getByTestId('group-sync').textContent(), '2 of 2 copies in sync')
  const rows = card.getByTestId('copy-row')
  assert.equal(await rows.count(), 2)
  assert.deepEqual(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-state'))), ['in-sync', 'in-sync'])
  const hosts = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-host')))
  assert.deepEqual(hosts.sort(), [b1.peerId, b2.peerId].sort(), 'each copy on another member')
  assert.deepEqual(await card.getByTestId('copy-state').allTextContents(), ['in sync', 'in sync'])
  await screenshot(page, 'folders')

  await card.getByTestId('group-log-toggle').click()
  await card.locator('[data-testid="group-log-entry"][data-kind^="join-"]').first().waitFor({ timeout: WAIT_MS })
  await screenshot(page, 'folders-log')

  const restored = join(await tempDir(t, 'gridnode-e2e-restore-'), 'restored')
  await card.getByTestId('restore-open').click()
  await page.getByTestId('restore-dest').fill(restored)
  await page.getByTestId('restore-submit').click()
  const summary = page.getByTestId('restore-summary')
  await summary.waitFor({ timeout: SYNC_MS })
  assert.match((await summary.textContent()) ?? '', new RegExp(`^${fileCount} files · `))
  await assertSameFolder(restored, folder)
  await page.keyboard.press('Escape')

  // A backup host dies and the folder changes: its copy can no longer follow, and the page says so.
  await b2.signal('SIGKILL')
  await writeFile(join(folder, 'runs/plan.txt'), 'measure three times\n')
  const alert = page.locator(`[data-testid="sync-alert"][data-group-id="${await card.getAttribute('data-group-id')}"]`)
  await alert.waitFor({ timeout: ALERT_MS })
  assert.match((await alert.textContent()) ?? '', /fell out of sync/)
  await screenshot(page, 'folders-out-of-sync')

  assert.deepEqual(problems, [])
})
