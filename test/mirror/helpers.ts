/** Fixtures of the mirror tests: temporary folders removed after each test, and deterministic bytes. */
import { createCipheriv, createHash } from 'node:crypto'
import assert from 'node:assert/strict'
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises'
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

/**
 * Two folders hold the same: paths, kinds, sizes, permission bits, contents, symlink targets, and
 * mtimes within a microsecond (Node sets times from a double of seconds: about 0.25 µs apart).
 * Paths in `ignore` (relative, e.g. names a mirror refuses) are left out on both sides.
 */
export async function assertSameFolder(actual: string, expected: string, ignore: ReadonlySet<string> = new Set()): Promise<void> {
  const [got, want] = [await describeFolder(actual, ignore), await describeFolder(expected, ignore)]
  const withoutTime = (rows: Array<Record<string, unknown>>) => rows.map(({ mtimeMs: _, ...rest }) => rest)
  assert.deepEqual(withoutTime(got), withoutTime(want))
  got.forEach((row, i) => assert.ok(Math.abs((row.mtimeMs as number) - (want[i]!.mtimeMs as number)) < 0.001, `mtime of ${String(row.path)}`))
}

/** Every path below a folder with what a user sees of it: kind, size, permission bits, mtime, content or target. */
export async function describeFolder(root: string, ignore: ReadonlySet<string> = new Set(), path = ''): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = []
  for (const name of (await readdir(join(root, path))).sort()) {
    const relative = path === '' ? name : `${path}/${name}`
    if (ignore.has(relative)) continue
    const found = await lstat(join(root, relative))
    const row: Record<string, unknown> = { path: relative, mtimeMs: found.mtimeMs }
    if (found.isSymbolicLink()) row.target = await readlink(join(root, relative))
    else row.mode = (found.mode & 0o777).toString(8)
    if (found.isFile()) {
      row.size = found.size
      row.sha256 = createHash('sha256').update(await readFile(join(root, relative))).digest('hex')
    }
    rows.push(row)
    if (found.isDirectory()) rows.push(...(await describeFolder(root, ignore, relative)))
  }
  return rows
}
