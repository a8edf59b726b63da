import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const GRIDNODE_BIN = fileURLToPath(new URL('../../bin/gridnode.js', import.meta.url))
export const LOOPBACK_LISTEN = '/ip4/127.0.0.1/tcp/0'
