/** What a person can do about each error of sharing, restoring and unsharing a folder, chosen by its code. */
import type { ErrorCode } from '../../../../shared/errors.ts'
import { VO_ERROR_HINTS } from '../vo/error-hints.ts'

const UNREACHABLE_COPIES = 'The hosts of its copies may be offline: try again once one of them is back.'

export const FOLDER_ERROR_HINTS: Partial<Record<ErrorCode, string>> = {
  ...VO_ERROR_HINTS,
  INVALID_INPUT: 'Give the full path of the folder, from the root of the disk (for example /home/you/Documents).',
  FOLDER_MISSING: 'Check the path: it must name an existing folder on the computer that runs this node.',
  FOLDER_UNREADABLE: 'This node may not read that folder or some of its files: change their permissions, or choose another folder.',
  PATH_ESCAPE: 'A name or a symbolic link in the folder points outside it; GridNode mirrors only what lies inside the folder.',
  QUOTA_EXCEEDED: 'Not enough members offer disk for this many copies: ask for fewer copies, or ask members to raise their disk quota on their Compute page.',
  DEST_NOT_EMPTY: 'A restore only writes into an empty or new folder, so nothing is overwritten: choose another one.',
  CHUNK_CORRUPT: `No copy could serve every part of the folder intact. ${UNREACHABLE_COPIES}`,
  CHUNK_MISSING: `No copy could serve every part of the folder. ${UNREACHABLE_COPIES}`,
  KEY_UNWRAP_FAILED: 'This node holds no key to this folder: only its owner and the readers it named can restore it.',
  NOT_FOUND: 'This folder is no longer shared: it may have been unshared meanwhile.',
}
