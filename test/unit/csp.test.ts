import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { UI_CONTENT_SECURITY_POLICY } from '../../shared/csp.ts'
import { REPO_ROOT } from '../harness/paths.ts'

test("the renderer's meta CSP is the one policy the node and the Electron shell send", async () => {
  const html = await readFile(join(REPO_ROOT, 'renderer', 'index.html'), 'utf8')
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1]
  assert.equal(meta?.replace(/\s+/g, ' ').trim(), UI_CONTENT_SECURITY_POLICY)
})
