// pathToUri spells plain absolute paths itself instead of through node:url: it must give the
// same URI as node:url for every path, or a file would have two URIs (baselines, configuration,
// diagnostics would miss each other).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { pathToUri } from '../../server/src/util/files';

test('pathToUri agrees with node:url on plain, dotted, escaped and odd paths', () => {
  const fixed = [
    '/',
    '/a',
    '/a/',
    '/a/b.agent.yaml',
    '/a/./b',
    '/a/../b',
    '/a//b',
    '/a/.',
    '/a/..',
    '/.hidden/x',
    '/a/b~c/d-e_f.g',
    '/a b',
    '/a#b',
    '/a?b',
    '/a%b',
    '/é/x',
    '/a/...',
    '/a/..b',
  ];
  // Random paths over an alphabet with every kind of character the fast path must tell apart.
  const alphabet = ['a', 'Z', '0', '.', '..', '/', '-', '_', '~', ' ', '#', '?', '%', 'é', '\\', '+', '@', ':'];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const random = Array.from({ length: 3000 }, () => '/' + Array.from({ length: 1 + (next() % 12) }, () => alphabet[next() % alphabet.length]).join(''));
  for (const p of [...fixed, ...random]) assert.equal(pathToUri(p), pathToFileURL(p).toString(), p);
});
