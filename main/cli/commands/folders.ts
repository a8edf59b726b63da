/**
 * `gridnode share`, `groups`, `group ID`, `group log ID`, `unshare ID` and `restore ID DEST`:
 * mirrored folders (issue 4), shared as primary-backup groups whose backups other members host.
 */
import { resolve } from 'node:path'
import { Command, InvalidArgumentError } from '@commander-js/extra-typings'
import { MAX_COPIES, type GroupCopy, type GroupDetail, type GroupLogEntry, type GroupSummary } from '../../../shared/api/group-schemas.ts'
import { formatBytes } from '../format.ts'
import { dataOption, jsonOption, parsePositiveInt } from '../options.ts'
import { onNode } from '../query-command.ts'

const short = (peer: string | null): string => (peer === null ? '—' : `…${peer.slice(-8)}`)

function parseCopies(text: string): number {
  const copies = parsePositiveInt(text)
  if (copies > MAX_COPIES) throw new InvalidArgumentError(`at most ${MAX_COPIES} copies.`)
  return copies
}

function copyWords(copy: GroupCopy): string {
  switch (copy.state) {
    case 'in-sync':
      return 'in sync'
    case 'failed':
      return `failed: ${copy.reason ?? 'unknown reason'}`
    default:
      return `${copy.state === 'filling' ? 'filling' : 'behind'} by ${copy.behindUpdates} update(s), ${formatBytes(copy.behindBytes)}, ${copy.behindFiles} file(s)`
  }
}

function formatGroups(groups: GroupSummary[]): string {
  if (groups.length === 0) return 'No mirrored folders. Share one with: gridnode share PATH\n'
  return groups.map((g) => `${g.id}  ${g.role.padEnd(7)} ${g.inSync}/${g.copies} in sync  ${g.name}${g.path === null ? '' : `  (${g.path})`}\n`).join('')
}

function formatGroup(g: GroupDetail): string {
  const rows: Array<[string, string]> = [
    ['group', `${g.id} (${g.name})`],
    ['role', g.role],
    ['folder', g.path === null ? '—' : `${g.path}, ${g.files} files, ${formatBytes(g.bytes)}`],
    ['primary', `${short(g.primary)}${g.acting ? ' (a backup acting for the owner)' : ''}, epoch ${g.epoch}, update ${g.seq}`],
    ['copies', `${g.inSync} of ${g.copies} in sync`],
    ...g.backups.map((b, i): [string, string] => [`  backup ${i + 1}`, `${short(b.host)}  ${copyWords(b)}`]),
    ['order', g.resources.map((r) => `${r.id}@${short(r.host)}`).join(' → ')],
    ['readers', g.readers.length === 0 ? 'none' : g.readers.map(short).join(', ')],
  ]
  const members = g.members.map((m) => `  ${m.peerId}  ${m.online ? 'online ' : 'offline'}  subgroups ${m.subgroups.join(', ') || '—'}; hosts ${m.hosts.join(', ') || '—'}`)
  return rows.map(([label, value]) => `${label.padEnd(11)} ${value}\n`).join('') + `members\n${members.join('\n')}\n`
}

const formatLog = (entries: GroupLogEntry[]): string => entries.map((e) => `${e.at}  ${e.level.padEnd(5)} ${e.kind.padEnd(9)} ${e.text}\n`).join('')

export const shareCommand = () =>
  new Command('share')
    .description('share a folder as a mirrored resource: backups on other members of the VO; prints the group id')
    .argument('<path>', 'the folder to share')
    .option('--name <name>', 'a name for people (default: the folder name)')
    .option('--copies <k>', 'backup copies to keep', parseCopies, 2)
    .option('--readers <peerId...>', 'members given the folder key: they may browse and restore it')
    .addOption(dataOption())
    .addOption(jsonOption())
    .action((path, options) =>
      onNode(
        options,
        (client) => client.share({ path: resolve(path), name: options.name, copies: options.copies, readers: options.readers ?? [] }).then((g) => ({ id: g.id })),
        ({ id }) => `${id}\n`,
      ),
    )

export const groupsCommand = () =>
  new Command('groups')
    .description('the mirrored folders this node takes part in, with their copies')
    .addOption(dataOption())
    .addOption(jsonOption())
    .action((options) => onNode(options, (client) => client.groups({}), formatGroups))

export const groupCommand = () =>
  new Command('group')
    .description('one mirrored folder: members, subgroups, hosts, backup order, copies; `gridnode group log ID` for its event log')
    .addCommand(
      new Command('show')
        .description('one group in detail (the default: `gridnode group ID`)')
        .argument('<id>', "the group's id, as `gridnode groups` shows it")
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((id, options) => onNode(options, (client) => client.group({ id }), formatGroup)),
      { isDefault: true },
    )
    .addCommand(
      new Command('log')
        .description("the group's event log, oldest first: the join protocol's steps, failovers, problems")
        .argument('<id>')
        .option('--limit <n>', 'the newest N entries', parsePositiveInt, 500)
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((id, options) => onNode(options, (client) => client.groupLog({ id, limit: options.limit }), formatLog)),
    )

export const unshareCommand = () =>
  new Command('unshare')
    .description('stop mirroring a folder: the group ends and its backup hosts drop their copies')
    .argument('<id>')
    .addOption(dataOption())
    .addOption(jsonOption())
    .action((id, options) => onNode(options, (client) => client.unshare({ id }), () => `Unshared ${id}.\n`))

export const restoreCommand = () =>
  new Command('restore')
    .description('restore a mirrored folder from any live copy into an empty folder, verifying every chunk')
    .argument('<id>')
    .argument('<dest>', 'an empty or new folder')
    .addOption(dataOption())
    .addOption(jsonOption())
    .action((id, dest, options) =>
      onNode(
        options,
        (client) => client.restore({ id, dest: resolve(dest) }),
        (r) => `Restored ${r.files} files (${formatBytes(r.bytes)}) in ${(r.ms / 1000).toFixed(1)} s${r.repairedChunks > 0 ? `; ${r.repairedChunks} chunk(s) repaired from another copy` : ''}.\n`,
      ),
    )
