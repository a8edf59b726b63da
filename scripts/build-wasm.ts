/**
 * The first step of `npm run build`: compiles the job modules' WebAssembly text
 * (main/compute/modules/*.wat) to out/wasm/*.wasm with wabt.
 */
import { relative } from 'node:path'
import { buildJobModules } from '../main/compute/modules/index.ts'

const written = await buildJobModules()
process.stdout.write(`wasm: ${written.map((file) => relative(process.cwd(), file)).join(', ')}\n`)
