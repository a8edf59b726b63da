/**
 * The libp2p host: TCP, Noise encryption, Yamux multiplexing, identify, ping, and mDNS discovery of
 * peers on the local network (when enabled). Created stopped; the node starts and stops it as part of its own lifecycle.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, type Identify } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import type { Libp2p, Metrics, PeerDiscovery, PrivateKey } from '@libp2p/interface'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { GridNodeError } from '../../shared/errors.ts'

/**
 * Inbound connections accepted per second from one host (libp2p's default is 5). Members of a VO
 * often share an address (behind one NAT, or several nodes on one machine) and reconnect in bursts
 * after a restart; an unproven connection can still do nothing but prove membership or be closed.
 */
const INBOUND_CONNECTIONS_PER_HOST_PER_SECOND = 25

/** Concurrent ping streams per connection: the connection monitor's and the node's own. */
const PING_STREAMS = 4

/** How often mDNS asks the LAN who is there (@libp2p/mdns's default, 10 s). */
const MDNS_QUERY_INTERVAL_MS = 10_000

/**
 * `mdns` is there when mDNS is on. It is a service, not only a discovery module, because libp2p
 * reports a discovered peer once (when it is new to the peer store) while the node needs every
 * hearing: a peer that created or joined a VO since is asked again.
 */
export type GridHost = Libp2p<{ identify: Identify; ping: Ping; mdns?: PeerDiscovery }>

export interface HostInit {
  privateKey: PrivateKey
  listen: string[]
  /** libp2p's metrics component (the node counts its traffic through it). */
  metrics: (components: never) => Metrics
  /**
   * Find peers on the local network by multicast DNS (RFC 6762). Each hearing of a peer is a
   * `peer` event of `host.services.mdns`; what to do with it is the VO's business.
   */
  mdns: boolean
}

function checkListenAddrs(listen: string[]): void {
  for (const addr of listen) {
    try {
      multiaddr(addr)
    } catch (err) {
      throw new GridNodeError('INVALID_MULTIADDR', `"${addr}" is not a valid listen multiaddr.`, { cause: err })
    }
  }
}

export async function createHost({ privateKey, listen, metrics, mdns: useMdns }: HostInit): Promise<GridHost> {
  checkListenAddrs(listen)
  return createLibp2p({
    start: false,
    privateKey,
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // libp2p's connection monitor pings each connection on the same protocol as the ping service;
    // with one stream allowed, two pings at once would make the monitor drop a healthy connection.
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: PING_STREAMS, maxInboundStreams: PING_STREAMS }),
      ...(useMdns ? { mdns: mdns({ interval: MDNS_QUERY_INTERVAL_MS }) } : {}),
    },
    metrics,
    connectionManager: { inboundConnectionThreshold: INBOUND_CONNECTIONS_PER_HOST_PER_SECOND },
  })
}
