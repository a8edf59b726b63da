/** What a person can do about each VO error, chosen by its code (never by its message). */
import type { ErrorCode } from '../../../../shared/errors.ts'

const PASTE_AGAIN = 'Check that you pasted the whole line, from gridnode-invite: to its last character.'
const ASK_AGAIN = 'Ask the VO admin who sent it for a new invite.'

export const VO_ERROR_HINTS: Partial<Record<ErrorCode, string>> = {
  INVITE_INVALID: PASTE_AGAIN,
  INVITE_FOREIGN: `${PASTE_AGAIN} Its parts do not belong to the same VO.`,
  INVITE_EXPIRED: `This invite is no longer valid. ${ASK_AGAIN}`,
  INVITE_USED_UP: `Every use of this invite has been taken. ${ASK_AGAIN}`,
  JOIN_FAILED:
    "None of the invite's bootstrap nodes could be reached. They may be offline or on another network; try again when one of them is running, or ask for an invite from a member you can reach.",
  MEMBER_REVOKED: 'This node was revoked from the VO; only an admin can let it back in, with a new invite.',
  ALREADY_IN_VO: 'This node is already in a VO. Leave it first to join another one.',
  NOT_ADMIN: 'Only an admin of the VO can do this.',
  VO_EXPIRED: 'The VO itself has expired; its admin has to create a new one.',
  NOT_IN_VO: 'This node is no longer in a VO.',
  VO_NOT_NEARBY: 'The VO is no longer heard on this network: its nodes may have gone offline. Wait until it shows again.',
  JOIN_REQUEST_UNKNOWN: 'The request was decided by another admin, or it expired.',
  RATE_LIMITED: "The VO's node is busy answering; try again in a few seconds.",
}
