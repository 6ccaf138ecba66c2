// lint --baseline / --update-baseline: only new findings are reported, and a baselined finding
// stays baselined across unrelated edits above it (fingerprints, never line numbers).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../helpers/sandbox';
import { runIn } from '../helpers/cli';
import { positionOf } from '../helpers/lint';
import { normaliseMessage } from '../../server/src/lint/baseline';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const ORPHAN = `schemas: [${AGENT}]\nname: orphan\nsubject: orphan\n`;
const CASED = `schemas: [${AGENT}]\nname: cased\nsubject: cased\nowners:\n  - value: user:alice\nDisplayName: Cased\n`;
const CLEAN = (name: string) => `schemas: [${AGENT}]\nname: ${name}\nsubject: ${name}\nowners:\n  - value: user:alice\n`;

describe('baseline', () => {
  let dir: string;
  const lint = async (...args: string[]) => {
    const run = await runIn(dir, ['lint', '--format', 'json', ...args]);
    return { ...run, findings: run.stdout ? (JSON.parse(run.stdout) as { file: string; code: string; line: number }[]) : [] };
  };
  before(async () => {
    dir = await makeTempDir('baseline-');
    fs.writeFileSync(path.join(dir, 'legacy.agents.yaml'), `${ORPHAN}---\n${CASED}`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--update-baseline writes the findings (no line numbers); --baseline then reports none', async () => {
    const before = await lint();
    assert.deepEqual(before.findings.map((f) => f.code).sort(), ['attribute-case', 'owner-missing']);
    assert.equal(before.code, 1);
    const written = await lint('--baseline', 'baseline.json', '--update-baseline');
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, /Wrote 2 findings/);
    const text = fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8');
    const doc = JSON.parse(text);
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.findings.map((f: { resource: string; path: string; code: string }) => `${f.resource} ${f.path} ${f.code}`).sort(), [
      'Agent:cased /displayName attribute-case',
      'Agent:orphan /name owner-missing',
    ]);
    assert.ok(!/"(line|column|start|end)"/.test(text), 'no positions in the baseline');
    const again = await lint('--baseline', 'baseline.json', '--update-baseline');
    assert.equal(again.code, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'), text, 'rewriting is byte-identical');
    const quiet = await lint('--baseline', 'baseline.json');
    assert.equal(quiet.code, 0, quiet.stdout);
    assert.deepEqual(quiet.findings, []);
    assert.match(quiet.stderr, /2 findings in the baseline .* not shown/);
  });

  test('an unrelated edit above a finding keeps it baselined; a new finding is reported', async () => {
    const file = path.join(dir, 'legacy.agents.yaml');
    fs.writeFileSync(file, `# Agents we inherited.\n\n${CLEAN('newcomer')}---\n# the orphan\n${ORPHAN}description: still no owner\n---\n\n${CASED}`);
    const run = await lint('--baseline', 'baseline.json');
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(run.findings, [], 'both findings moved down by several lines and are still baselined');
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}---\n${ORPHAN.replace(/orphan/g, 'second-orphan')}`);
    const fresh = await lint('--baseline', 'baseline.json');
    assert.equal(fresh.code, 1);
    assert.deepEqual(
      fresh.findings.map((f) => f.code),
      ['owner-missing'],
    );
    assert.equal(fresh.findings[0]!.line, positionOf(fs.readFileSync(file, 'utf8'), 'name: second-orphan').line);
  });

  test('the baseline named in .scim-agents.yaml applies without the flag; a bad baseline is a usage error', async () => {
    fs.writeFileSync(path.join(dir, '.scim-agents.yaml'), 'baseline: baseline.json\n');
    const run = await lint();
    assert.deepEqual(
      run.findings.map((f) => f.code),
      ['owner-missing'],
      'only the second orphan',
    );
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"version": 7}');
    const bad = await lint('--baseline', 'bad.json');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a scim-agents baseline of version 1/);
    fs.rmSync(path.join(dir, '.scim-agents.yaml'));
    const none = await runIn(dir, ['lint', '--update-baseline']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs --baseline FILE/);
  });

  test('messages are normalised without positions', () => {
    assert.equal(normaliseMessage('Same as  b.agent.yaml:12:3 (line 12)'), normaliseMessage('Same as b.agent.yaml:40:1 (line 40)'));
    assert.notEqual(normaliseMessage('owner user:alice'), normaliseMessage('owner user:bob'));
  });
});
