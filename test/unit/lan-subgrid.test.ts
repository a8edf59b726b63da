/** A node's default sub-grid is its LAN, so the machines of one office group without configuration. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { NetworkInterfaceInfo } from 'node:os'
import { defaultRouteInterface, lanSubgrid, NO_LAN_SUBGRID } from '../../main/node/lan-subgrid.ts'

const v4 = (address: string, cidr: string, internal = false): NetworkInterfaceInfo => ({ address, netmask: '', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr })

test('two machines on one LAN name the same sub-grid; another LAN names another', () => {
  const a = lanSubgrid({ lo: [v4('127.0.0.1', '127.0.0.1/8', true)], eth0: [v4('192.168.1.20', '192.168.1.20/24')] }, 'eth0')
  const b = lanSubgrid({ eth0: [v4('192.168.1.77', '192.168.1.77/24')] }, 'eth0')
  const c = lanSubgrid({ eth0: [v4('10.4.0.9', '10.4.0.9/16')] }, 'eth0')
  assert.equal(a, 'lan-192.168.1.0/24')
  assert.equal(a, b)
  assert.equal(c, 'lan-10.4.0.0/16')
})

test("the default route's interface wins over others (a container bridge sorts first by name)", () => {
  const interfaces = { docker0: [v4('172.17.0.1', '172.17.0.1/16')], wlan0: [v4('192.168.5.3', '192.168.5.3/24')] }
  assert.equal(lanSubgrid(interfaces, 'wlan0'), 'lan-192.168.5.0/24')
  assert.equal(lanSubgrid(interfaces, null), 'lan-172.17.0.0/16')
})

test('a machine with only loopback is a sub-grid of its own', () => {
  assert.equal(lanSubgrid({ lo: [v4('127.0.0.1', '127.0.0.1/8', true)] }, null), NO_LAN_SUBGRID)
})

test("the default route's interface is read from Linux's route table", () => {
  const table = 'Iface\tDestination\tGateway\nwlan0\t0002A8C0\t00000000\neth1\t00000000\t0102A8C0\n'
  assert.equal(defaultRouteInterface(table), 'eth1')
  assert.equal(defaultRouteInterface('Iface\tDestination\n'), null)
})
