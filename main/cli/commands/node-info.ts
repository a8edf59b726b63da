/** `gridnode status` and `gridnode peers`: what the running node says about itself. */
import { formatPeers, formatStatus } from '../format.ts'
import { queryCommand } from '../query-command.ts'

export const statusCommand = () =>
  queryCommand(
    'status',
    "show the running node's health: identity, listen addresses, peers, scalability",
    (client) => client.status({}),
    (status) => `GridNode ${status.node.version} — running\n${formatStatus(status)}`,
  )

export const peersCommand = () => queryCommand('peers', 'list the connected peers with their latency', (client) => client.peers({}), formatPeers)
