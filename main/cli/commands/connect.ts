/** `gridnode connect MULTIADDR`: asks the running node to dial a peer. */
import { Command } from '@commander-js/extra-typings'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { formatLatency, printJson } from '../format.ts'
import { dataOption, jsonOption } from '../options.ts'

export const connectCommand = () =>
  new Command('connect')
    .description('connect the running node to a peer')
    .argument('<multiaddr>', 'the peer\'s address, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…')
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (target, options) => {
      const { client } = await connectToNode(resolveDataDir(options.data))
      const peer = await client.connect({ multiaddr: target })
      if (options.json === true) printJson(peer)
      else process.stdout.write(`Connected to ${peer.peerId} (${formatLatency(peer.latencyMs)})\n`)
    })
