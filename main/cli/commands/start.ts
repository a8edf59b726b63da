/**
 * `gridnode start`: runs a node in the foreground. Opens the desktop app when Electron and a
 * display are there (unless --headless), otherwise runs headless and prints where its UI is.
 */
import { spawn } from 'node:child_process'
import { Command } from '@commander-js/extra-typings'
import { createGridNode } from '../../node/gridnode.ts'
import { DEFAULT_API, DEFAULT_LISTEN, resolveNodeInit, type NodeOptions } from '../../node/options.ts'
import { DESKTOP_ENTRY, desktopAvailability } from '../desktop.ts'
import { dataOption, parsePositiveInt } from '../options.ts'

/** A stop that takes longer than this (the goal is 2 s) is abandoned so the process still ends. */
const FORCED_EXIT_MS = 5000

const collect = (value: string, previous: string[]): string[] => [...previous, value]

function desktopArgs(options: NodeOptions): string[] {
  return [
    ...(options.data !== undefined ? ['--data', options.data] : []),
    ...(options.listen ?? []).flatMap((addr) => ['--listen', addr]),
    ...(options.api !== undefined ? ['--api', options.api] : []),
    ...(options.subgrid !== undefined ? ['--subgrid', options.subgrid] : []),
    ...(options.region !== undefined ? ['--region', options.region] : []),
    ...(options.mdns === false ? ['--no-mdns'] : []),
  ]
}

async function runDesktop(binary: string, options: NodeOptions): Promise<number> {
  const child = spawn(binary, [DESKTOP_ENTRY, ...desktopArgs(options)], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
}

async function runHeadless(options: NodeOptions): Promise<void> {
  let stopping = false
  const node = createGridNode({ ...resolveNodeInit(options), onStopRequested: () => void shutdown('API request') })

  async function shutdown(reason: string): Promise<void> {
    if (stopping) {
      process.stderr.write('gridnode: stopping was interrupted; exiting now.\n')
      process.exit(1)
    }
    stopping = true
    process.stdout.write(`Stopping (${reason})…\n`)
    setTimeout(() => {
      process.stderr.write('gridnode: the node did not stop in time; exiting anyway.\n')
      process.exit(1)
    }, FORCED_EXIT_MS).unref()
    await node.stop()
    process.stdout.write('Stopped.\n')
    process.exit(0)
  }

  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  await node.start()
  const { node: info } = node.status()
  process.stdout.write(
    [
      `GridNode ${info.version} is running headless.`,
      `  peer id  ${info.peerId}`,
      ...info.listen.map((addr, index) => `  ${index === 0 ? 'listen' : '      '}   ${addr}`),
      `  data     ${info.dataDir}`,
      `  UI       ${node.uiUrl}`,
      'Ready. Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  )
}

export const startCommand = () =>
  new Command('start')
    .description('run a node in the foreground (the desktop app when possible, else headless)')
    .addOption(dataOption())
    .option('--listen <multiaddr>', `libp2p listen address, repeatable (default: ${DEFAULT_LISTEN})`, collect, [] as string[])
    .option('--api <host:port>', `address of the API and UI server (default: ${DEFAULT_API})`)
    .option('--subgrid <name>', 'the sub-grid this node belongs to (nodes of one sub-grid elect a super-peer)')
    .option('--region <name>', 'the region of its sub-grid (super-peers of a region elect a region peer)')
    .option('--headless', 'never open the desktop window; serve the UI on the API address')
    .option('--no-mdns', 'do not look for VO members and VOs on the local network (mDNS multicast)')
    .option('--backup-grace <seconds>', 'how long a backup host of a mirrored folder may be gone before another is recruited (default: 60)', parsePositiveInt)
    .action(async (options) => {
      const nodeOptions: NodeOptions = {
        data: options.data,
        listen: options.listen,
        api: options.api,
        subgrid: options.subgrid,
        region: options.region,
        mdns: options.mdns,
        backupGraceSec: options.backupGrace,
      }
      if (options.headless !== true) {
        const desktop = desktopAvailability()
        if (desktop.ok) process.exit(await runDesktop(desktop.binary, nodeOptions))
        process.stdout.write(`No desktop window: ${desktop.reason}. Running headless instead.\n`)
      }
      await runHeadless(nodeOptions)
    })
