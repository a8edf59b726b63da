/**
 * The sub-grid a node joins when nobody said which: its LAN. Machines on one LAN segment reach each
 * other with low latency, so the network they share (address and prefix of the interface carrying
 * the default route) names their sub-grid, and each office of a VO becomes its own sub-grid with
 * no configuration. A machine with no LAN at all is a sub-grid of its own machine's nodes.
 */
import { readFileSync } from 'node:fs'
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'

export const NO_LAN_SUBGRID = 'local'

/** Linux names the default route's interface in /proc/net/route (destination 00000000); elsewhere none. */
export function defaultRouteInterface(routeTable = readRouteTable()): string | null {
  for (const line of routeTable.split('\n').slice(1)) {
    const [iface, destination] = line.trim().split(/\s+/)
    if (iface !== undefined && destination === '00000000') return iface
  }
  return null
}

function readRouteTable(): string {
  try {
    return readFileSync('/proc/net/route', 'utf8')
  } catch {
    return ''
  }
}

/** "lan-192.168.1.0/24" for the default route's IPv4 network, else the first LAN by interface name. */
export function lanSubgrid(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(), preferred: string | null = defaultRouteInterface()): string {
  const lans = Object.entries(interfaces)
    .flatMap(([name, infos]) => (infos ?? []).filter((info) => info.family === 'IPv4' && !info.internal && info.cidr !== null).map((info) => ({ name, cidr: info.cidr! })))
    .sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred) || a.name.localeCompare(b.name))
  const lan = lans[0]
  return lan === undefined ? NO_LAN_SUBGRID : `lan-${networkOf(lan.cidr)}`
}

/** "192.168.1.20/24" → "192.168.1.0/24". */
function networkOf(cidr: string): string {
  const [address = '', bits = '32'] = cidr.split('/')
  const prefix = Number(bits)
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0)
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  const network = (value & mask) >>> 0
  return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.')}/${prefix}`
}
