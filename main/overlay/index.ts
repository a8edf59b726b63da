/**
 * The super-peer overlay (issue 3; the Grid OS seed's resource discovery structure): sub-grids
 * elect a super-peer by bully election on an availability score, members register their resource
 * advertisements with it, super-peers of a region elect a region peer with the same election
 * core, and discovery goes node → super-peer → the region's super-peers → other regions' region
 * peers, with a TTL, stopping once satisfied.
 *
 * Everything here is a pure state machine (sans-IO): the runtime parses each network message with
 * parseMessage, feeds it to createOverlayNode's handle() with the time, sends the outputs, acts on
 * the effects, and ticks at nextDeadline(). The discrete-event simulator drives the same cores for
 * thousands of nodes and compares them with flooding and Kademlia baselines.
 */
export * from './constants.ts'
export type { Core, OverlayEffect, Output, PeerId } from './core.ts'
export { createDiscovery } from './discovery.ts'
export type { DiscoverRequest, Discovery, DiscoveryComponents, DiscoveryInit, DiscoveryInput } from './discovery.ts'
export { createElection } from './election.ts'
export type { Election, ElectionInit, ElectionInput, ElectionRole, ElectionSnapshot } from './election.ts'
export { advertisementSchema, overlayMessageSchema, parseMessage } from './messages.ts'
export type { Advertisement, Level, OverlayMessage, ParsedMessage, QuerySpec, View } from './messages.ts'
export { createOverlayNode } from './node.ts'
export type { OverlayInput, OverlayNode, OverlayNodeInit, OverlaySnapshot, PeerInfo } from './node.ts'
export { createRegistration } from './registration.ts'
export type { Registration, RegistrationInit, RegistrationInput } from './registration.ts'
export { availabilityScore, outranks } from './score.ts'
export type { Availability } from './score.ts'
export { simulateOverlay } from './simulator.ts'
export type { OverlaySimInit, OverlaySimResult } from './simulator.ts'
