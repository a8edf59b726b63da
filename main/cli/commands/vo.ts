/** `gridnode vo …`: create a Virtual Organization, invite and admit members, list, revoke, leave. */
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { VoInfo, VoMember } from '../../../shared/api/vo-schemas.ts'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { printJson } from '../format.ts'
import { dataOption, jsonOption, parsePositiveInt } from '../options.ts'
import { queryCommand } from '../query-command.ts'

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 }

/** "7d", "12h", "30m", "90s" → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim())
  if (match === null) throw new InvalidArgumentError('use a number and a unit: 90s, 30m, 12h or 7d.')
  return Number(match[1]) * (UNIT_SECONDS[match[2]!] ?? 1)
}

const describeVo = (vo: VoInfo): string => `${vo.name} (${vo.id}), as ${vo.role}; membership valid until ${vo.expiresAt}`

function formatMembers(members: VoMember[]): string {
  return members
    .map((m) => `${m.peerId}  ${m.role.padEnd(6)}  ${m.self ? 'this node' : m.connected ? 'connected' : 'not connected'}`)
    .join('\n') + '\n'
}

interface NodeOptions {
  data?: string | undefined
  json?: true | undefined
}

/** Asks the node on `options.data` and prints its answer (JSON with --json). */
async function onNode<T>(options: NodeOptions, ask: (client: ApiClient) => Promise<T>, show: (answer: T) => string): Promise<void> {
  const { client } = await connectToNode(resolveDataDir(options.data))
  const answer = await ask(client)
  if (options.json === true) printJson(answer)
  else process.stdout.write(show(answer))
}

export const voCommand = () =>
  new Command('vo')
    .description('Virtual Organization membership: create, invite, join, members, revoke, leave')
    .addCommand(
      new Command('create')
        .description('create a VO with this node as its first admin')
        .argument('<name>', 'the VO\'s name, e.g. "Physics Lab"')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((name, options) => onNode(options, (client) => client.voCreate({ name }), (vo) => `Created the VO ${describeVo(vo)}.\n`)),
    )
    .addCommand(
      new Command('invite')
        .description('print a signed invite (one line starting gridnode-invite:) for someone to join with')
        .addOption(new Option('--role <role>', 'role of the new member').choices(['member', 'admin'] as const).default('member' as const))
        .addOption(new Option('--expires <duration>', 'how long the invite stays valid: 90s, 30m, 12h, 7d').argParser(parseDuration).default(7 * 86_400, '7d'))
        .addOption(new Option('--uses <n>', 'how many nodes may join with it').argParser(parsePositiveInt).default(1))
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((options) =>
          onNode(options, (client) => client.voInvite({ role: options.role, expiresInSec: options.expires, uses: options.uses }), (invite) => `${invite.token}\n`),
        ),
    )
    .addCommand(
      new Command('join')
        .description('redeem an invite: join its VO through one of its bootstrap nodes')
        .argument('<token>', 'the invite, starting gridnode-invite:')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((token, options) => onNode(options, (client) => client.voJoin({ token }), (vo) => `Joined the VO ${describeVo(vo)}.\n`)),
    )
    .addCommand(queryCommand('members', 'list the members of this VO that this node knows', (client) => client.voMembers({}), formatMembers))
    .addCommand(
      new Command('revoke')
        .description("revoke a member's membership (admins); it spreads through the VO")
        .argument('<peerId>', 'the member to cut off')
        .addOption(dataOption())
        .action((peerId, options) => onNode(options, (client) => client.voRevoke({ peerId }), () => 'Revoked; the revocation is spreading through the VO.\n')),
    )
    .addCommand(
      new Command('leave')
        .description('leave the VO: forget the membership and disconnect')
        .addOption(dataOption())
        .action((options) => onNode(options, (client) => client.voLeave({}), () => 'Left the VO.\n')),
    )
