/** `gridnode status` and `gridnode peers`: what the running node says about itself. */
import { Command } from '@commander-js/extra-typings'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { formatPeers, formatStatus, printJson } from '../format.ts'
import { dataOption, jsonOption } from '../options.ts'

export const statusCommand = () =>
  new Command('status')
    .description("show the running node's health: identity, listen addresses, peers")
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (options) => {
      const { client } = await connectToNode(resolveDataDir(options.data))
      const status = await client.status({})
      if (options.json === true) printJson(status)
      else process.stdout.write(`GridNode ${status.node.version} — running\n${formatStatus(status)}`)
    })

export const peersCommand = () =>
  new Command('peers')
    .description('list the connected peers with their latency')
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (options) => {
      const { client } = await connectToNode(resolveDataDir(options.data))
      const peers = await client.peers({})
      if (options.json === true) printJson(peers)
      else process.stdout.write(formatPeers(peers))
    })
