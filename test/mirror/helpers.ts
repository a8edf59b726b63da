/** Fixtures of the mirror tests: temporary folders removed after each test, and deterministic bytes. */
import { createCipheriv, createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'

const cleanups = new WeakMap<TestContext, Array<() => Promise<unknown>>>()

/** Runs `cleanup` after the test, last registered first (node:test runs its after hooks first registered first). */
export function onCleanup(t: TestContext, cleanup: () => Promise<unknown>): void {
  let stack = cleanups.get(t)
  if (stack === undefined) {
    const created: Array<() => Promise<unknown>> = []
    cleanups.set(t, created)
    t.after(async () => {
      while (created.length > 0) await created.pop()!()
    })
    stack = created
  }
  stack.push(cleanup)
}

export async function tempDir(t: TestContext, prefix = 'gridnode-mirror-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  onCleanup(t, () => rm(dir, { recursive: true, force: true }))
  return dir
}

/** `length` pseudo-random bytes, the same for the same seed (AES-256-CTR keystream). */
export function seededBytes(seed: string, length: number): Buffer {
  const key = createHash('sha256').update(seed).digest()
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length))
}
