// Module hooks for the shell tests: 'electron' resolves to the fake beside this file.
import type { ResolveHook } from 'node:module'

const FAKE = new URL('./electron.ts', import.meta.url).href

export const resolve: ResolveHook = (specifier, context, nextResolve) =>
  specifier === 'electron' ? { url: FAKE, shortCircuit: true } : nextResolve(specifier, context)
