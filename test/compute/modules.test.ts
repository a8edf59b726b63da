/** The shipped job modules: compiled from source by wabt, built to a folder, loaded from it. */
import assert from 'node:assert/strict'
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { GridNodeError } from '../../shared/errors.ts'
import { JOB_MODULE_NAMES, buildJobModules, compileJobModule, compileWat, loadJobModule } from '../../main/compute/modules/index.ts'

test('every shipped module compiles and imports from the host only', async () => {
  for (const name of JOB_MODULE_NAMES) {
    const module = new WebAssembly.Module(await compileJobModule(name))
    for (const { module: namespace } of WebAssembly.Module.imports(module)) assert.equal(namespace, 'gridnode', name)
  }
})

test('the build writes every module; the loader reads a build newer than its source, else compiles the source', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gridnode-wasm-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const written = await buildJobModules(dir)
  assert.deepEqual(written, JOB_MODULE_NAMES.map((name) => join(dir, `${name}.wasm`)))
  assert.deepEqual(await loadJobModule('counter', { dir }), await compileJobModule('counter'))

  // A stale build (older than its source) is not used.
  const built = join(dir, 'checksum.wasm')
  await writeFile(built, new Uint8Array([0, 1, 2]))
  await utimes(built, new Date(0), new Date(0))
  assert.deepEqual(await loadJobModule('checksum', { dir }), await compileJobModule('checksum'))

  // Without a build the source is compiled.
  assert.deepEqual(await loadJobModule('busy', { dir: join(dir, 'missing') }), await compileJobModule('busy'))
})

test('text that does not compile is INVALID_MODULE', async () => {
  await assert.rejects(compileWat('(module (func (result i32)))', 'broken.wat'), (err) => err instanceof GridNodeError && err.code === 'INVALID_MODULE')
})
