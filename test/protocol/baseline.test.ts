// Baselined findings in the editor: the configuration's baseline lowers them to hints, or
// hides them (SCIMAgents.baseline.mode); new findings keep their severity.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';
import { runIn } from '../helpers/cli';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const ORPHAN = (name: string) => `schemas: [${AGENT}]\nname: ${name}\nsubject: ${name}\n`;

describe('baseline in the language server', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = tempWorkspace({ '.scim-agents.yaml': 'baseline: .scim-agents-baseline.json\n', 'old.agent.yaml': ORPHAN('old') });
    const written = await runIn(root, ['lint', '--update-baseline']);
    assert.equal(written.code, 0, written.stderr);
    client = await LspClient.start(root);
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('lower (default): a baselined finding is a hint; a new one keeps its severity, also after an edit above it', async () => {
    const old = await client.diagnostics(client.uri('old.agent.yaml'), (ds) => ds.length > 0);
    assert.equal(old[0]!.code, 'owner-missing');
    assert.equal(old[0]!.severity, 4, 'Hint');
    assert.match(String(old[0]!.message), /\(in the baseline\)$/);
    const uri = client.uri('old.agent.yaml');
    client.open(uri, `# moved down\n\n${ORPHAN('old')}---\n${ORPHAN('fresh')}`);
    const ds = await client.diagnostics(uri, (d, p) => p.version === 1 && d.length === 2);
    assert.deepEqual(
      ds.map((d) => [d.range.start.line, d.severity]),
      [
        [3, 4],
        [7, 1],
      ],
    );
  });

  it('hide: baselined findings are not shown', async () => {
    await client.setSettings({ baseline: { mode: 'hide' } });
    const ds = await client.diagnostics(client.uri('old.agent.yaml'), (d) => d.length === 1);
    assert.equal(ds[0]!.severity, 1);
    assert.doesNotMatch(String(ds[0]!.message), /baseline/);
  });
});

// A folder whose name holds `#` and `?`: a URI that leaves them unescaped names another path
// (`#` starts a fragment, `?` a query), so the CLI and the editor must spell a file's URI alike.
describe('a manifest in a folder named with # and ?', () => {
  const FOLDER = 'team #1 ?draft';
  let root: string;
  let client: LspClient;
  before(async () => {
    root = tempWorkspace({ '.scim-agents.yaml': 'baseline: .scim-agents-baseline.json\n', [`${FOLDER}/old.agent.yaml`]: ORPHAN('old') });
  });
  after(async () => {
    await client?.stop();
    removeWorkspace(root);
  });

  it('the CLI baselines it under its own name, and the language server finds it by the same URI and hides the baselined finding', async () => {
    const linted = await runIn(root, ['lint', '--format', 'json']);
    assert.equal(linted.code, 1, linted.stderr);
    assert.deepEqual(
      (JSON.parse(linted.stdout) as { file: string; code: string }[]).map((f) => [f.file, f.code]),
      [[`${FOLDER}/old.agent.yaml`, 'owner-missing']],
    );
    const written = await runIn(root, ['lint', '--update-baseline']);
    assert.equal(written.code, 0, written.stderr);
    const baseline = JSON.parse(fs.readFileSync(path.join(root, '.scim-agents-baseline.json'), 'utf8')) as { findings: { file: string; code: string }[] };
    assert.deepEqual(
      baseline.findings.map((f) => [f.file, f.code]),
      [[`${FOLDER}/old.agent.yaml`, 'owner-missing']],
    );

    client = await LspClient.start(root);
    const uri = client.uri(`${FOLDER}/old.agent.yaml`);
    assert.match(uri, /%23/, 'the # is escaped in the URI');
    const ds = await client.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(
      ds.map((d) => [d.code, d.severity]),
      [['owner-missing', 4]],
      'the baselined finding is a hint',
    );
  });
});
