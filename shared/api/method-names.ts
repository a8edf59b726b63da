/**
 * The API's method names without their schemas: all the Electron preload needs, so the sandboxed
 * preload bundle stays free of zod. contract.ts checks that its methods are exactly these.
 */
export const METHOD_NAMES = [
  'status',
  'peers',
  'connect',
  'health',
  'scalability',
  'whatIf',
  'voCreate',
  'voInvite',
  'voJoin',
  'voMembers',
  'voRevoke',
  'voLeave',
  'voNearby',
  'voRequestJoin',
  'voRequests',
  'voApprove',
  'voRefuse',
  'overlay',
  'discover',
  'speedtest',
  'share',
  'groups',
  'group',
  'groupLog',
  'unshare',
  'restore',
  'contribution',
  'contribute',
  'jobSubmit',
  'jobs',
  'job',
  'jobCancel',
  'jobResult',
  'jobDemo',
  'accounting',
  'stop',
] as const

export type MethodName = (typeof METHOD_NAMES)[number]
