/**
 * `gridnode vo …`: create a Virtual Organization, invite and admit members, list, revoke, leave; find
 * VOs on the local network, ask to join one, and decide join requests.
 */
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings'
import type { JoinRequest, Nearby, OutgoingRequest, VoInfo, VoMember } from '../../../shared/api/vo-schemas.ts'
import { dataOption, jsonOption, parsePositiveInt } from '../options.ts'
import { onNode, queryCommand } from '../query-command.ts'

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

const describeRequest = (request: OutgoingRequest): string =>
  ({
    pending: `Asked to join ${request.vo.name} (${request.vo.id}); waiting for an admin to decide (request ${request.id}).`,
    refused: `The request to join ${request.vo.name} (${request.vo.id}) was refused.`,
    expired: `The request to join ${request.vo.name} (${request.vo.id}) expired without an answer.`,
  })[request.state] + '\n'

function formatNearby({ mdns, vos, request }: Nearby): string {
  const lines = vos.map((vo) => `${vo.id}  ${vo.name}  (${vo.peers} ${vo.peers === 1 ? 'node' : 'nodes'}${vo.admits ? '' : ', no admin on'})`)
  if (lines.length === 0) lines.push(mdns ? 'No VO heard on this network yet.' : 'Not listening to this network (the node runs with --no-mdns).')
  return lines.join('\n') + '\n' + (request === null ? '' : describeRequest(request))
}

function formatRequests(requests: JoinRequest[]): string {
  if (requests.length === 0) return 'No join request is waiting.\n'
  return requests.map((r) => `${r.id}  ${r.peerId}  ${r.label}${r.message === '' ? '' : `  "${r.message}"`}`).join('\n') + '\n'
}


export const voCommand = () =>
  new Command('vo')
    .description('Virtual Organization membership: create, invite, join, members, revoke, leave; nearby VOs and join requests')
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
    .addCommand(queryCommand('nearby', 'list the VOs heard on the local network (mDNS), and this node\'s join request', (client) => client.voNearby({}), formatNearby))
    .addCommand(
      new Command('request')
        .description('ask to join a VO heard on the local network; its admins approve or refuse')
        .argument('<voId>', 'the VO\'s id, as `gridnode vo nearby` shows it')
        .option('--label <text>', 'who is asking, shown to the admins (default: this machine\'s name)')
        .option('--message <text>', 'a note for the admins')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((voId, options) => onNode(options, (client) => client.voRequestJoin({ voId, label: options.label, message: options.message }), describeRequest)),
    )
    .addCommand(queryCommand('requests', 'list the join requests waiting for a decision (admins)', (client) => client.voRequests({}), formatRequests))
    .addCommand(
      new Command('approve')
        .description('approve a join request: the requester gets its certificate and joins')
        .argument('<id>', 'the request\'s id, as `gridnode vo requests` shows it')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((id, options) => onNode(options, (client) => client.voApprove({ id }), ({ peerId }) => `Approved: ${peerId} is joining the VO.\n`)),
    )
    .addCommand(
      new Command('refuse')
        .description('refuse a join request: the requester is told, and nothing is kept for it')
        .argument('<id>', 'the request\'s id, as `gridnode vo requests` shows it')
        .addOption(dataOption())
        .addOption(jsonOption())
        .action((id, options) => onNode(options, (client) => client.voRefuse({ id }), ({ peerId }) => `Refused the request of ${peerId}.\n`)),
    )
    .addCommand(
      new Command('leave')
        .description('leave the VO: forget the membership and disconnect')
        .addOption(dataOption())
        .action((options) => onNode(options, (client) => client.voLeave({}), () => 'Left the VO.\n')),
    )
