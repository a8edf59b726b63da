import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LIMITS } from '../../main/overlay/constants.ts'
import { parseMessage } from '../../main/overlay/messages.ts'

const query = { type: 'query', id: 'q1', scope: 'coordinate', origin: 'a', coordinator: 'a', spec: { cores: 2 }, want: 3, ttl: 3, path: ['a'] }

test('a well-formed message parses', () => {
  const parsed = parseMessage(query)
  assert.equal(parsed.ok, true)
  assert.equal(parseMessage({ type: 'election', level: 'region', group: 'r1', term: 3, score: 0.5 }).ok, true)
})

test('malformed and hostile messages are rejected, never thrown', () => {
  const bad: unknown[] = [
    null,
    'election',
    42,
    {},
    { type: 'nope' },
    { type: 'election', level: 'planet', group: 'g', term: 1, score: 0.5 },
    { type: 'election', level: 'subgrid', group: 'g', term: -1, score: 0.5 },
    { type: 'coordinator', level: 'subgrid', group: 'g', term: 1, score: 2 },
    { ...query, want: 0 },
    { ...query, want: LIMITS.want + 1 },
    { ...query, ttl: LIMITS.ttl + 1 },
    { ...query, path: [] },
    { ...query, path: Array.from({ length: LIMITS.path + 1 }, () => 'p') },
    { ...query, scope: 'everything' },
    { ...query, spec: { cores: 'many' } },
    { type: 'register', ad: { peer: 'a' } },
    { type: 'matches', id: 'q', candidates: 'all', path: ['a'], expect: 0 },
  ]
  for (const input of bad) {
    const parsed = parseMessage(input)
    assert.equal(parsed.ok, false, JSON.stringify(input))
    if (!parsed.ok) assert.ok(parsed.error.length > 0)
  }
})
