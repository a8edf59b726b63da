/** `gridnode speedtest PEERID`: how fast one libp2p stream carries bytes to a connected member. */
import { Command } from '@commander-js/extra-typings'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { printJson } from '../format.ts'
import { dataOption, jsonOption } from '../options.ts'
import { parseSize } from './overlay.ts'

export const speedtestCommand = () =>
  new Command('speedtest')
    .description('measure the throughput of one libp2p stream to a connected VO member')
    .argument('<peerId>', 'the member to send to')
    .option('--size <size>', 'how much to send, e.g. 256M (1M to 4G)', parseSize, 256 * 2 ** 20)
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (peerId, options) => {
      const { client } = await connectToNode(resolveDataDir(options.data))
      const result = await client.speedtest({ peerId, bytes: options.size })
      if (options.json === true) printJson(result)
      else process.stdout.write(`${(result.bytes / 2 ** 20).toFixed(0)} MiB in ${(result.ms / 1000).toFixed(2)} s: ${result.mbPerSec.toFixed(0)} MB/s\n`)
    })
