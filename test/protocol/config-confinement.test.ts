// SECURITY.md: the language server reads no file whose real path is outside its workspace
// folders. A repository can ship .scim-agents.yaml, or the baseline it names, as a link to any
// file of the machine: neither is read, and the configuration says why where it is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIn } from '../helpers/cli';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const orphan = `schemas: [${AGENT}]\nname: orphan\nsubject: orphan\n`;

describe('configuration files that lead outside the workspace', () => {
  let outside: string;
  let root: string;
  let client: LspClient;
  before(async () => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-outside-'));
    fs.writeFileSync(path.join(outside, 'credentials'), '[default]\naws_access_key_id: AKIAEXAMPLE\n');
    root = tempWorkspace({ 'a.agent.yaml': orphan, 'team/b.agent.yaml': orphan.replace(/orphan/g, 'b'), 'team/.scim-agents.yaml': 'baseline: b.json\n' });
    // A real baseline of team/b.agent.yaml's findings, moved out of the workspace and linked back.
    const written = await runIn(path.join(root, 'team'), ['lint', '.', '--update-baseline']);
    assert.equal(written.code, 0, written.stderr);
    fs.renameSync(path.join(root, 'team', 'b.json'), path.join(outside, 'baseline.json'));
    fs.symlinkSync(path.join(outside, 'credentials'), path.join(root, '.scim-agents.yaml'));
    fs.symlinkSync(path.join(outside, 'baseline.json'), path.join(root, 'team', 'b.json'));
    client = await LspClient.start(root);
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('a linked .scim-agents.yaml is not read: one problem says why, none of its keys are shown', async () => {
    const ds = await client.diagnostics(client.uri('.scim-agents.yaml'), (d) => d.length > 0, 'config problem');
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.code, 'config-invalid');
    assert.match(String(ds[0]!.message), /leads outside the workspace folder/);
    assert.doesNotMatch(JSON.stringify([...client.published.values()]), /aws_access_key_id|AKIAEXAMPLE/);
    const a = await client.diagnostics(client.uri('a.agent.yaml'), (d) => d.length > 0);
    assert.ok(
      a.some((d) => d.code === 'owner-missing'),
      'the manifest is linted with the defaults',
    );
  });

  it('a linked baseline is not read: its findings are not lowered', async () => {
    const b = await client.diagnostics(client.uri('team/b.agent.yaml'), (d) => d.some((x) => x.code === 'owner-missing'));
    const missing = b.find((d) => d.code === 'owner-missing')!;
    assert.doesNotMatch(String(missing.message), /in the baseline/);
  });
});
