// bench/results.json's markdown after a run of some parts: their tables replace the same sections
// of the last run's, and the other parts' sections stay (bench/stats.ts withEarlier).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEarlier } from '../../bench/stats';

test('a run of some parts replaces their sections and keeps the others, in order', () => {
  const earlier = [
    '### Typing (5000 resources)',
    '| old a |',
    '',
    '### CLI throughput (10000 small manifests)',
    '| old b |',
    '',
    '### Extension',
    'vsix 1 KB',
  ].join('\n');
  const now = ['### CLI throughput (20000 small manifests)', '| new b |', '', '### One big file (50000 resources)', '| new h |', ''].join('\n');
  assert.equal(
    withEarlier(earlier, now),
    [
      '### Typing (5000 resources)',
      '| old a |',
      '',
      '### CLI throughput (20000 small manifests)',
      '| new b |',
      '',
      '### Extension',
      'vsix 1 KB',
      '### One big file (50000 resources)',
      '| new h |',
      '',
    ].join('\n'),
  );
  assert.equal(withEarlier(undefined, now), now, 'a whole run, or none before');
});
