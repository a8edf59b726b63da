/**
 * The group runtime (issue 4): runs this node's primary-backup group cores (main/groups/, pure
 * state machines) over libp2p and LevelDB. One core per group; group messages travel on one
 * members-only stream per peer (peer-links.ts); each core's record and event log are stored
 * (group-store.ts) before the messages that depend on them leave; every other effect goes to the
 * application that owns the groups' data, the mirror service (main/mirror/service/).
 */
export { GROUP_PROTOCOL } from './constants.ts'
export { createGroupRuntime } from './runtime.ts'
export type { GroupApplication, GroupRuntime, GroupRuntimeComponents, JoinOptions, RuntimeInput } from './runtime.ts'
