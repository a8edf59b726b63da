/** `gridnode contribute`: show or change what this node offers the VO (cores or CPU %, only when idle, disk quota). */
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings'
import type { ContributeInput } from '../../../shared/api/contribution-schemas.ts'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { formatResources, printJson } from '../format.ts'
import { dataOption, jsonOption, parseCount } from '../options.ts'
import { parseSize } from './overlay.ts'

/** "50", "12.5" or "50%" → 50: a share of the machine's CPU, 0–100. */
export function parsePercent(text: string): number {
  const digits = text.trim().replace(/%$/, '')
  const value = digits === '' ? Number.NaN : Number(digits)
  if (!Number.isFinite(value) || value < 0 || value > 100) throw new InvalidArgumentError('a percentage from 0 to 100.')
  return value
}

export const contributeCommand = () =>
  new Command('contribute')
    .description('show or change what this node contributes: cores or CPU %, only when idle, disk quota (no options: show)')
    .addOption(new Option('--cores <n>', 'offer this many whole cores (0: none)').argParser(parseCount).conflicts('cpu'))
    .addOption(new Option('--cpu <pct>', "offer this share of the machine's CPU, 0–100").argParser(parsePercent))
    .addOption(new Option('--idle-only <on|off>', 'offer CPU only while the machine is otherwise idle').choices(['on', 'off'] as const))
    .option('--disk <size>', 'disk quota for backup copies of other members, e.g. 10GiB or 500MB', parseSize)
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (options) => {
      const change: ContributeInput = {
        ...(options.cores === undefined ? {} : { cores: options.cores }),
        ...(options.cpu === undefined ? {} : { cpuPercent: options.cpu }),
        ...(options.idleOnly === undefined ? {} : { idleOnly: options.idleOnly === 'on' }),
        ...(options.disk === undefined ? {} : { diskQuotaBytes: options.disk }),
      }
      const { client } = await connectToNode(resolveDataDir(options.data))
      const resources = Object.keys(change).length === 0 ? await client.contribution({}) : await client.contribute(change)
      if (options.json === true) printJson(resources)
      else process.stdout.write(formatResources(resources))
    })
