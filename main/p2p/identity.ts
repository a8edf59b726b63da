/**
 * The node's libp2p identity: an Ed25519 key created on first start and kept in the data folder,
 * readable by its user only. A damaged key file is an error, never silently replaced, because a
 * new key would be a new peer id.
 */
import { chmod, readFile, rename, writeFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { GridNodeError } from '../../shared/errors.ts'

export async function loadOrCreateIdentity(file: string): Promise<PrivateKey> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    const key = await generateKeyPair('Ed25519')
    const temp = `${file}.${process.pid}.tmp`
    await writeFile(temp, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
    await rename(temp, file)
    return key
  }
  // Repair permissions a user or a copy tool may have widened.
  await chmod(file, 0o600)
  try {
    return privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new GridNodeError('IDENTITY_CORRUPT', `The identity key ${file} is damaged; restore it from a backup or remove it to become a new peer.`, {
      cause: err,
    })
  }
}
