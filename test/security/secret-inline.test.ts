// Secret material in a manifest is flagged by secret-inline and never echoed in full, in any
// CLI output format (text, json, sarif, github), nor in a syntax error that follows it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';

const SECRETS = {
  password: 'Hunter2-Correct-Horse-Battery-77',
  clientSecret: 'cs_live_9f8e7d6c5b4a39281716ab',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJlLXNlY3JldC14eXo',
};

const MANIFEST = `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: svc-robot
password: ${SECRETS.password}
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]
name: leaky-app
oAuthConfiguration:
  - clientId: leaky
    clientSecret: ${SECRETS.clientSecret}
description: "Authorization: Bearer ${SECRETS.bearer}"
`;

describe('secret-inline in every output format', () => {
  let cwd: string;
  before(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-secret-'));
    fs.writeFileSync(path.join(cwd, 'leaky.agents.yaml'), MANIFEST);
    // the same secrets before a syntax error that makes the parser quote what follows
    fs.writeFileSync(path.join(cwd, 'broken.agents.yaml'), `> [\nname: x\npassword: ${SECRETS.password}\nclientSecret: ${SECRETS.clientSecret}\n`);
  });
  after(() => fs.rmSync(cwd, { recursive: true, force: true }));

  for (const format of ['text', 'json', 'sarif', 'github']) {
    test(`--format ${format}`, async () => {
      let out = '';
      const io: CliIO = { stdout: (t) => { out += t; }, stderr: (t) => { out += t; }, env: {}, cwd, isTTY: false, readStdin: async () => '' };
      const code = await runCli(['lint', '.', '--format', format], io);
      assert.equal(code, 1, out);
      assert.ok((out.match(/secret-inline/g) ?? []).length >= 3, `three secrets flagged:\n${out}`);
      for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!out.includes(secret), `${name} echoed in ${format}:\n${out}`);
    });
  }
});
