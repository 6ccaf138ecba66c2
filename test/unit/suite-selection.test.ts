// `SCIM_AGENTS_SKIP_E2E=1 npm test` leaves the browser suites out of the run (they used to be
// run anyway: only e2e/setup.sh was skipped) and says so instead of counting them as passing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { repoPath } from '../helpers/repo';

function suites(env: Record<string, string>): { files: string[]; stderr: string } {
  const { SCIM_AGENTS_SKIP_E2E: _inherited, ...rest } = process.env;
  const r = spawnSync('bash', [repoPath('test/suites.sh')], { encoding: 'utf8', env: { ...rest, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return { files: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

describe('npm test: which suites run', () => {
  test('SCIM_AGENTS_SKIP_E2E=1 leaves test/system/*e2e* out and names them as left out', () => {
    const all = suites({});
    const e2e = all.files.filter((f) => /^dist\/test\/system\/[^/]*e2e[^/]*\.test\.js$/.test(f));
    assert.ok(e2e.includes('dist/test/system/vscode-e2e.test.js'), all.files.join('\n'));
    assert.ok(all.files.includes('dist/test/unit/suite-selection.test.js'));
    assert.equal(all.stderr, '');
    const skipped = suites({ SCIM_AGENTS_SKIP_E2E: '1' });
    assert.deepEqual(
      skipped.files,
      all.files.filter((f) => !e2e.includes(f)),
    );
    assert.equal(skipped.stderr.trim(), `SCIM_AGENTS_SKIP_E2E=1: left out, not run and not counted: ${e2e.join(' ')}`);
  });

  test('run-all.sh runs the list test/suites.sh makes and prints what was left out after the summary', () => {
    const script = fs.readFileSync(repoPath('test/run-all.sh'), 'utf8');
    assert.match(script, /mapfile -t files < <\(bash test\/suites\.sh 2>"\$left_out"\)/);
    assert.doesNotMatch(script, /find dist\/test/, 'one list, made in one place');
    assert.ok(script.indexOf('cat "$left_out"') > script.indexOf('node --test'), 'the note comes after the summary');
  });
});
