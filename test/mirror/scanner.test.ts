import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { appendFile, chmod, mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { chunkId, createFolderSecret, deriveFolderKeys } from '../../main/mirror/folder-crypto.ts'
import { checkRelativePath, parseManifest, type FileEntry, type Manifest } from '../../main/mirror/manifest.ts'
import { scanFolder, type ScanInit } from '../../main/mirror/scanner.ts'
import { seededBytes, tempDir } from './helpers.ts'

const keys = deriveFolderKeys(createFolderSecret())
const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code
const entryOf = (manifest: Manifest, path: string) => manifest.entries.find((entry) => entry.path === path)
const fileOf = (manifest: Manifest, path: string) => {
  const entry = entryOf(manifest, path)
  assert.equal(entry?.kind, 'file', `${path} is a file of the manifest`)
  return entry as FileEntry
}

test('paths that escape the folder or are malformed are refused by the path check', () => {
  for (const path of ['..', '../x', 'a/../../x', 'a/..', '/etc/passwd', 'C:/Windows', 'c:x', 'a\\..\\..\\x']) assert.equal(checkRelativePath(path)?.code, 'PATH_ESCAPE', path)
  for (const path of ['', 'a//b', './a', 'a/', 'a/./b', 'nul\0byte', 'lone\uD800surrogate']) assert.equal(checkRelativePath(path)?.code, 'PATH_INVALID', JSON.stringify(path))
  for (const path of ['a', 'a/b c/ü.txt', '...', '..a', 'a..', '.hidden/x']) assert.equal(checkRelativePath(path), undefined, path)
  const manifest = (path: string) => ({ version: 1, entries: [{ kind: 'dir', path, mode: 0o755, mtimeMs: 0 }] })
  assert.throws(() => parseManifest(manifest('../outside')), codeOf('PATH_ESCAPE'))
  assert.throws(() => parseManifest(manifest('/abs')), codeOf('PATH_ESCAPE'))
  assert.throws(() => parseManifest({ version: 1, entries: [{ kind: 'symlink', path: 'l', target: '../../etc', mtimeMs: 0 }] }), codeOf('INVALID_INPUT'))
})

test('a nested folder scans into a manifest of files, folders and inside symlinks, with the rest reported', async (t) => {
  const root = await tempDir(t)
  const big = seededBytes('big', 300_000)
  await mkdir(join(root, 'a/b'), { recursive: true })
  await mkdir(join(root, 'private'), { mode: 0o750 })
  await chmod(join(root, 'private'), 0o750)
  await writeFile(join(root, 'a/b/c.txt'), 'hello')
  await writeFile(join(root, 'a/big.bin'), big)
  await writeFile(join(root, 'empty.txt'), '')
  await writeFile(join(root, 'private/secret.txt'), 'shh', { mode: 0o600 })
  await writeFile(join(root, 'back\\slash'), 'x')
  await symlink('a/big.bin', join(root, 'link-in'))
  await symlink('../a', join(root, 'private/up'))
  await symlink('../../etc/passwd', join(root, 'a/out'))
  await symlink('/etc/hosts', join(root, 'absolute'))
  await utimes(join(root, 'a/b/c.txt'), 1_600_000_000, 1_600_000_000.25)

  const { manifest, problems, stats } = await scanFolder({ root, keys })
  assert.deepEqual(
    manifest.entries.map((entry) => `${entry.kind} ${entry.path}`),
    ['dir a', 'dir a/b', 'file a/b/c.txt', 'file a/big.bin', 'file empty.txt', 'symlink link-in', 'dir private', 'file private/secret.txt', 'symlink private/up'],
  )
  assert.deepEqual(parseManifest(JSON.parse(JSON.stringify(manifest))), manifest)
  const small = fileOf(manifest, 'a/b/c.txt')
  assert.deepEqual(small.chunks, [{ id: chunkId(keys, Buffer.from('hello')), size: 5 }])
  assert.equal(small.mtimeMs, 1_600_000_000_250)
  const large = fileOf(manifest, 'a/big.bin')
  assert.equal(large.size, big.length)
  assert.ok(large.chunks.length >= 2)
  assert.equal(
    large.chunks.reduce((sum, chunk) => sum + chunk.size, 0),
    big.length,
  )
  assert.deepEqual(fileOf(manifest, 'empty.txt').chunks, [])
  assert.equal(fileOf(manifest, 'private/secret.txt').mode, 0o600)
  assert.deepEqual(entryOf(manifest, 'private'), { kind: 'dir', path: 'private', mode: 0o750, mtimeMs: entryOf(manifest, 'private')?.mtimeMs })
  assert.deepEqual(
    problems.map((problem) => `${problem.code} ${problem.path}`),
    ['SYMLINK_OUTSIDE a/out', 'SYMLINK_OUTSIDE absolute', 'PATH_ESCAPE back\\slash'],
  )
  assert.deepEqual({ files: stats.files, dirs: stats.dirs, symlinks: stats.symlinks, bytes: stats.bytes }, { files: 4, dirs: 3, symlinks: 2, bytes: big.length + 8 })
})

test('a rescan reuses unchanged files and reads only what changed', async (t) => {
  const root = await tempDir(t)
  await mkdir(join(root, 'docs'))
  for (let i = 0; i < 20; i++) await writeFile(join(root, `docs/${i}.txt`), `document ${i}`)
  await writeFile(join(root, 'data.bin'), seededBytes('data', 200_000))
  const first = await scanFolder({ root, keys })
  assert.equal(first.stats.reusedFiles, 0)

  const again = await scanFolder({ root, keys, previous: first.manifest })
  assert.deepEqual(again.manifest, first.manifest)
  assert.equal(again.stats.reusedFiles, 21)
  assert.equal(again.stats.readBytes, 0)

  await writeFile(join(root, 'docs/3.txt'), 'changed document')
  const seen: string[] = []
  const changed = await scanFolder({ root, keys, previous: first.manifest, onChunk: ({ path }) => void seen.push(path) })
  assert.equal(changed.stats.reusedFiles, 20)
  assert.deepEqual(seen, ['docs/3.txt'])
  assert.equal(fileOf(changed.manifest, 'docs/3.txt').size, 'changed document'.length)
})

test('a partial rescan updates the named paths and keeps the rest', async (t) => {
  const root = await tempDir(t)
  await mkdir(join(root, 'keep'))
  await writeFile(join(root, 'keep/a.txt'), 'a')
  await writeFile(join(root, 'gone.txt'), 'bye')
  const first = await scanFolder({ root, keys })
  await rm(join(root, 'gone.txt'))
  await mkdir(join(root, 'new/deeper'), { recursive: true })
  await writeFile(join(root, 'new/deeper/b.txt'), 'b')
  await writeFile(join(root, 'new/c.txt'), 'c')
  // The watcher may name only the deepest new file: its new parents are scanned whole.
  const partial = await scanFolder({ root, keys, previous: first.manifest, paths: ['gone.txt', 'new/deeper/b.txt'] })
  const full = await scanFolder({ root, keys })
  assert.deepEqual(partial.manifest, full.manifest)
  assert.deepEqual(partial.problems, [])
})

test('a file that vanishes during the scan is skipped with a reason', async (t) => {
  const root = await tempDir(t)
  await writeFile(join(root, '1.bin'), 'first')
  await writeFile(join(root, '2.bin'), 'second')
  // One file at a time, in name order: reading 1.bin happens before 2.bin is looked at.
  const { manifest, problems } = await scanFolder({
    root,
    keys,
    onChunk: async ({ path }) => {
      if (path === '1.bin') await rm(join(root, '2.bin'))
    },
  })
  assert.deepEqual(
    manifest.entries.map((entry) => entry.path),
    ['1.bin'],
  )
  assert.deepEqual(
    problems.map((problem) => [problem.path, problem.code]),
    [['2.bin', 'VANISHED']],
  )
})

test('a file that changes while it is read is read again; one that never settles keeps its last version', async (t) => {
  const root = await tempDir(t)
  const file = join(root, 'log.txt')
  await writeFile(file, 'line 1\n')
  let appended = false
  const settled = await scanFolder({
    root,
    keys,
    onChunk: async () => {
      if (appended) return
      appended = true
      await appendFile(file, 'line 2\n')
    },
  })
  assert.equal(fileOf(settled.manifest, 'log.txt').size, 14)
  assert.deepEqual(fileOf(settled.manifest, 'log.txt').chunks, [{ id: chunkId(keys, await readFile(file)), size: 14 }])
  assert.deepEqual(settled.problems, [])

  let writes = 0
  const busy = await scanFolder({
    root,
    keys,
    previous: { ...settled.manifest, entries: settled.manifest.entries.map((entry) => ({ ...entry, mtimeMs: 0 })) },
    onChunk: async () => {
      writes++
      await appendFile(file, `line ${writes + 2}\n`)
    },
  })
  assert.deepEqual(
    busy.problems.map((problem) => [problem.path, problem.code]),
    [['log.txt', 'CHANGING']],
  )
  assert.equal(fileOf(busy.manifest, 'log.txt').size, 14, 'the last scanned version is kept')
})

test('a missing folder is FOLDER_MISSING', async (t) => {
  const root = await tempDir(t)
  await assert.rejects(scanFolder({ root: join(root, 'nope'), keys }), codeOf('FOLDER_MISSING'))
  await writeFile(join(root, 'file'), 'x')
  await assert.rejects(scanFolder({ root: join(root, 'file'), keys }), codeOf('FOLDER_MISSING'))
})

/**
 * Runs a scan where permissions apply: root ignores them, so as root the scan runs in a child
 * process of the same Node as the unprivileged user nobody, and reports its outcome as JSON.
 */
async function scanWithoutPrivileges(init: Pick<ScanInit, 'root' | 'previous'>): Promise<{ code?: string; problems?: Array<[string, string]>; paths?: string[] }> {
  const script = `
    import { scanFolder } from ${JSON.stringify(new URL('../../main/mirror/scanner.ts', import.meta.url).pathname)}
    import { deriveFolderKeys } from ${JSON.stringify(new URL('../../main/mirror/folder-crypto.ts', import.meta.url).pathname)}
    const init = JSON.parse(process.argv[1])
    try {
      const { manifest, problems } = await scanFolder({ ...init, keys: deriveFolderKeys(new Uint8Array(32)) })
      console.log(JSON.stringify({ problems: problems.map((p) => [p.path, p.code]), paths: manifest.entries.map((e) => e.path) }))
    } catch (err) {
      console.log(JSON.stringify({ code: err.code }))
    }`
  if (process.getuid?.() !== 0) {
    try {
      const { manifest, problems } = await scanFolder({ ...init, keys: deriveFolderKeys(new Uint8Array(32)) })
      return { problems: problems.map((p) => [p.path, p.code]), paths: manifest.entries.map((e) => e.path) }
    } catch (err) {
      return { code: (err as { code?: string }).code }
    }
  }
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(init)], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (data: Buffer) => (out += data.toString()))
  const exitCode = await new Promise((resolve) => child.on('close', resolve))
  assert.equal(exitCode, 0)
  return JSON.parse(out) as { code?: string; problems?: Array<[string, string]>; paths?: string[] }
}

test('an unreadable folder is FOLDER_UNREADABLE; unreadable entries inside are reported and keep their last version', async (t) => {
  const base = await tempDir(t)
  await chmod(base, 0o755)
  const root = join(base, 'shared')
  await mkdir(join(root, 'locked'), { recursive: true })
  await writeFile(join(root, 'open.txt'), 'open')
  await writeFile(join(root, 'closed.txt'), 'closed')
  await writeFile(join(root, 'locked/inside.txt'), 'inside')
  await chmod(root, 0o755)
  const { manifest: previous } = await scanFolder({ root, keys })
  await chmod(join(root, 'closed.txt'), 0o600)
  await chmod(join(root, 'locked'), 0o700)
  try {
    const first = await scanWithoutPrivileges({ root })
    assert.deepEqual(first.problems, [
      ['closed.txt', 'UNREADABLE'],
      ['locked', 'UNREADABLE'],
    ])
    assert.deepEqual(first.paths, ['locked', 'open.txt'])
    // With a previous manifest, what cannot be read now keeps its last version instead of looking deleted.
    const again = await scanWithoutPrivileges({ root, previous })
    assert.deepEqual(again.problems, [['locked', 'UNREADABLE']])
    assert.deepEqual(again.paths, ['closed.txt', 'locked', 'locked/inside.txt', 'open.txt'])

    await chmod(root, 0o700)
    assert.deepEqual(await scanWithoutPrivileges({ root }), { code: 'FOLDER_UNREADABLE' })
  } finally {
    // So that the temporary folder can be removed without privileges too.
    await chmod(root, 0o755)
    await chmod(join(root, 'locked'), 0o755)
  }
})

test('after each file read, the scan offers a manifest of what it has recorded so far, each a part of the final one', async (t) => {
  const root = await tempDir(t)
  await mkdir(join(root, 'd'))
  for (let i = 0; i < 6; i++) await writeFile(join(root, 'd', `f${i}`), seededBytes(`f${i}`, 100 + i))
  const sofar: Manifest[] = []
  const result = await scanFolder({ root, keys, onFileRead: (manifest) => void sofar.push(manifest()) })
  assert.equal(sofar.length, 6)
  assert.deepEqual(sofar.map((m) => m.entries.filter((e) => e.kind === 'file').length), [1, 2, 3, 4, 5, 6])
  for (const partial of sofar) for (const entry of partial.entries) assert.deepEqual(entry, entryOf(result.manifest, entry.path))
})
