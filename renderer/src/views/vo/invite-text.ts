/**
 * What the join form can check about a pasted invite before asking the node. Only the prefix: the
 * node alone decides whether the rest is a valid, unexpired invite, and says why not with a code.
 */
import { INVITE_PREFIX } from '../../../../shared/api/vo-schemas.ts'

/**
 * The invite as typed into the box, ready to send. Whitespace is removed everywhere, not only at the
 * ends: terminals wrap the long line when it is copied, and the token itself (base64url) has none.
 */
export function cleanInvite(text: string): string {
  return text.replace(/\s+/g, '')
}

export function looksLikeInvite(cleaned: string): boolean {
  return cleaned.startsWith(INVITE_PREFIX) && cleaned.length > INVITE_PREFIX.length
}
