/**
 * The database's schema version and the names of its sublevels. Bump the version with a
 * migration whenever a persisted record changes shape; a node refuses a database newer than itself.
 */
export const SCHEMA_VERSION = 1

/** One sublevel per concern; later features add theirs here. */
export type SublevelName =
  | 'meta'
  | 'peers'
  | 'vo'
  | 'contribution'
  | 'jobs'
  | 'job-blobs'
  | 'accounting'
  /** Mirrored folders (issue 4): each group core's persisted record, its event log, groups unshared here, and each folder copy's record. */
  | 'groups'
  | 'group-log'
  | 'group-tombstones'
  | 'folders'
