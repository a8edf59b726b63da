/** `gridnode overlay` and `gridnode discover`: this node's place in the super-peer overlay, and resource discovery. */
import { Command, InvalidArgumentError } from '@commander-js/extra-typings'
import type { DiscoverResult, OverlayInfo } from '../../../shared/api/overlay-schemas.ts'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { printJson } from '../format.ts'
import { dataOption, jsonOption, parsePositiveInt } from '../options.ts'
import { queryCommand } from '../query-command.ts'

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }

/** "500M", "10G", "1.5T", "4096" → bytes (binary units). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim())
  if (match === null) throw new InvalidArgumentError('a size such as 500M, 10G or 1T.')
  return Math.round(Number(match[1]) * (UNITS[match[2]!.toUpperCase()] ?? 1))
}

const formatOverlay = (overlay: OverlayInfo | null): string =>
  overlay === null
    ? 'Not in a VO: the overlay forms among VO members.\n'
    : [
        `role       ${overlay.role}`,
        `sub-grid   ${overlay.subgrid}, super-peer ${overlay.superPeer ?? '(electing)'}`,
        `region     ${overlay.region}, region peer ${overlay.regionPeer ?? '(electing)'}`,
        ...(overlay.role === 'member' ? [] : [`index      ${overlay.indexSize} advertisements`]),
        ...leaderLines('sub-grids', overlay.superPeers.filter((e) => e.subgrid !== overlay.subgrid).map((e) => [e.subgrid, e.peer])),
        ...leaderLines('regions', overlay.regionPeers.filter((e) => e.region !== overlay.region).map((e) => [e.region, e.peer])),
      ].join('\n') + '\n'

/** The other groups' leaders this node knows, one per line under a heading. */
const leaderLines = (heading: string, entries: Array<[string, string]>): string[] =>
  entries.map(([group, peer], i) => `${i === 0 ? heading.padEnd(11) : ' '.repeat(11)}${group}: ${peer}`)

function formatDiscovery(result: DiscoverResult): string {
  const rows = result.candidates.map(
    (c, i) => `${String(i + 1).padStart(2)}. ${c.peer}  ${c.cores} cores  ${(c.diskBytes / 2 ** 30).toFixed(1)} GiB  load ${(100 * c.load).toFixed(0)} %  (${c.subgrid}/${c.region})`,
  )
  return [
    result.candidates.length === 0 ? 'No member matches.' : rows.join('\n'),
    `${result.satisfied ? 'Satisfied' : 'Not satisfied'} after ${result.hops} hop(s): ${result.path.join(' → ')}`,
  ].join('\n') + '\n'
}

export const overlayCommand = () => queryCommand('overlay', "this node's place in the super-peer overlay", (client) => client.overlay({}), formatOverlay)

export const discoverCommand = () =>
  new Command('discover')
    .description('find VO members offering at least the given cores and disk, ranked, with the path the query took')
    .option('--cores <n>', 'cores wanted', parsePositiveInt)
    .option('--disk <size>', 'disk wanted, e.g. 10G', parseSize)
    .option('--want <n>', 'how many candidates are enough', parsePositiveInt, 5)
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (options) => {
      const { client } = await connectToNode(resolveDataDir(options.data))
      const result = await client.discover({
        want: options.want,
        ...(options.cores === undefined ? {} : { cores: options.cores }),
        ...(options.disk === undefined ? {} : { diskBytes: options.disk }),
      })
      if (options.json === true) printJson(result)
      else process.stdout.write(formatDiscovery(result))
    })
