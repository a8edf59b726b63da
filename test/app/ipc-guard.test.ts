import assert from 'node:assert/strict'
import { test } from 'node:test'
import { forbiddenEnvelope } from '../../main/app/forbidden.ts'
import { EnvelopeSchema } from '../../shared/api/envelope.ts'

test('a call from a foreign frame gets a FORBIDDEN error envelope', () => {
  const envelope = forbiddenEnvelope('status')
  assert.ok(EnvelopeSchema.safeParse(envelope).success, 'it is a valid envelope for every client')
  assert.equal(envelope.ok, false)
  assert.equal(envelope.ok === false && envelope.error.code, 'FORBIDDEN')
})
