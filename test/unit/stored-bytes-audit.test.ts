/** What a node stores for each member follows its backup copies: filling, shrinking, dropped. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createStoredBytesAudit } from '../../main/node/stored-bytes-audit.ts'

test('the audit log records the change of each copy, and a dropped copy gives its bytes back', async () => {
  const entries: Array<[string, number]> = []
  const audit = createStoredBytesAudit({ recordStored: async (member, bytes) => void entries.push([member, bytes]) })
  await audit.update([{ group: 'g1', name: 'Photos', owner: 'alice', bytes: 100 }])
  await audit.update([{ group: 'g1', name: 'Photos', owner: 'alice', bytes: 100 }])
  await audit.update([
    { group: 'g1', name: 'Photos', owner: 'alice', bytes: 250 },
    { group: 'g2', name: 'Notes', owner: 'bob', bytes: 10 },
  ])
  await audit.update([{ group: 'g2', name: 'Notes', owner: 'bob', bytes: 10 }])
  assert.deepEqual(entries, [
    ['alice', 100],
    ['alice', 150],
    ['bob', 10],
    ['alice', -250],
  ])
})

test('after a restart what the store already held is not recorded twice', async () => {
  const entries: Array<[string, number]> = []
  const audit = createStoredBytesAudit({ recordStored: async (member, bytes) => void entries.push([member, bytes]) })
  audit.prime([{ group: 'g1', name: 'Photos', owner: 'alice', bytes: 100 }])
  await audit.update([{ group: 'g1', name: 'Photos', owner: 'alice', bytes: 120 }])
  assert.deepEqual(entries, [['alice', 20]])
})
