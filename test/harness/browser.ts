/**
 * Debian's Chromium driven by Playwright (it cannot download its own browsers here). Where the
 * browser is missing the browser tests skip with the reason, except in CI, where that is a failure.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright'
import type { NodeProcess } from './node-process.ts'
import { REPO_ROOT } from './paths.ts'

export const CHROMIUM_PATH = process.env.GRIDNODE_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results')

/** Why browser tests cannot run here, or undefined when they can. Throws in CI. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`
  if (process.env.CI) throw new Error(`${reason}; CI must run the browser tests`)
  return reason
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
}

/** A page that records its script errors and console errors (CSP violations land there too). */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  const problems: string[] = []
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  return { page, problems }
}

/** `node`'s UI, opened from the URL it printed (the token travels in it, as for a person), on page `nav` if given. */
export async function openNodeUi(browser: Browser, node: NodeProcess, nav?: string): Promise<{ page: Page; problems: string[] }> {
  const printedUrl = /UI\s+(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(node.output())?.[1]
  if (printedUrl === undefined) throw new Error(`${node.name} did not print its UI URL with the token`)
  const opened = await openPage(browser)
  await opened.page.goto(printedUrl)
  if (nav !== undefined) await opened.page.getByTestId(nav).click()
  return opened
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
