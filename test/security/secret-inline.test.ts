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
      const io: CliIO = {
        stdout: (t) => {
          out += t;
        },
        stderr: (t) => {
          out += t;
        },
        env: {},
        cwd,
        isTTY: false,
        readStdin: async () => '',
      };
      const code = await runCli(['lint', '.', '--format', format], io);
      assert.equal(code, 1, out);
      assert.ok((out.match(/secret-inline/g) ?? []).length >= 3, `three secrets flagged:\n${out}`);
      for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!out.includes(secret), `${name} echoed in ${format}:\n${out}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Issue 14 items 8 and 9: where people really put secrets.
import { lint, positionOf } from '../helpers/lint';

const AGENT_URN = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const agentDoc = (body: string, name = 'bot') => `schemas: [${AGENT_URN}]\nname: ${name}\nowners:\n  - value: user:alice\n${body}`;
const secretAt = (files: Record<string, string>) => lint(files).filter((f) => f.code === 'secret-inline');

describe('secret-inline: a password in a URL', () => {
  test('userinfo with a password, in any URL-valued attribute, is flagged on the value', () => {
    const text = agentDoc('protocols:\n  - type: A2A\n    url: https://svc-bot:Tr0ub4dor-3@agents.example.com/a2a\n');
    const hits = secretAt({ 'a.agent.yaml': text });
    const at = positionOf(text, 'https://svc-bot');
    assert.deepEqual(
      hits.map((h) => [h.line, h.column, h.data?.kind]),
      [[at.line, at.column, 'a password in a URL']],
    );
    assert.ok(!hits[0]!.message.includes('Tr0ub4dor-3'), hits[0]!.message);
  });

  test('also as a reference or profile URL, and in JSON', () => {
    const json = `{"schemas": ["${AGENT_URN}"], "name": "bot", "owners": [{"value": "user:alice"}], "profileUrl": "ftp://me:hunter22@files.example.com/"}\n`;
    const hits = secretAt({ 'a.agent.json': json });
    const at = positionOf(json, '"ftp://');
    assert.deepEqual(
      hits.map((h) => [h.line, h.column]),
      [[at.line, at.column]],
    );
  });

  test('a user without a password, a placeholder password, or an @ in the path is not a secret', () => {
    const text = agentDoc(
      'protocols:\n' +
        '  - type: A2A\n    url: https://svc-bot@agents.example.com/a2a\n' +
        '  - type: MCP\n    url: https://svc-bot:${env:BOT_PASSWORD}@agents.example.com/mcp\n' +
        '  - type: A2A\n    url: https://agents.example.com/users/a:b@c\n',
    );
    assert.deepEqual(secretAt({ 'a.agent.yaml': text }), []);
  });
});

describe('secret-inline: a value whose sibling type says it is a secret', () => {
  for (const type of ['apiKey', 'APIKEY', 'secret', 'token', 'password', 'privateKey', 'private_key']) {
    test(`type: ${type} in externalIdentifiers makes any value a secret`, () => {
      const text = agentDoc(`externalIdentifiers:\n  - type: ${type}\n    value: plain-looking-1234\n`);
      const hits = secretAt({ 'a.agent.yaml': text });
      const at = positionOf(text, 'plain-looking-1234');
      assert.deepEqual(
        hits.map((h) => [h.line, h.column, h.endColumn]),
        [[at.line, at.column, at.column + 'plain-looking-1234'.length]],
      );
      assert.ok(!hits[0]!.message.includes('plain-looking-1234'));
    });
  }

  test('system says so too, in any multi-valued complex attribute, with the keys in any order', () => {
    const text = agentDoc('x509Certificates:\n  - value: opaque-value-42\n    system: Token\n');
    const hits = secretAt({ 'a.agent.yaml': text });
    const at = positionOf(text, 'opaque-value-42');
    assert.deepEqual(
      hits.map((h) => [h.line, h.column]),
      [[at.line, at.column]],
    );
  });

  test('an ${env:NAME} placeholder, another type, or a type outside a list item is not a secret', () => {
    const text = agentDoc(
      'externalIdentifiers:\n' +
        '  - type: apiKey\n    value: ${env:BOT_API_KEY}\n' +
        '  - type: issuer\n    value: plain-looking-1234\n' +
        'extra:\n  type: token\n  value: not-a-list-item\n',
    );
    assert.deepEqual(
      secretAt({ 'a.agent.yaml': text }).map((h) => h.text),
      [],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Issue 12 item 7: no other rule prints what secret-inline masks, in any output.
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWRhY3QtbWUiLCJuIjoxfQ.S1gn4tur3-Pr00f-Of-Red4ction';
const JWT_LONG = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm90aGVyLW9uZSIsIm4iOjJ9.QW5vdGhlci1zaWduYXR1cmUtdmFsdWU';
const AWS = 'AKIAZ7Q3RT5VX2KMP4LD';
const GH = 'ghp_R3dactMe0123456789abcdefghijKLMNOPQR';
const URL_PASSWORD = 'Pa55w0rd-Zebra-991';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';

const LEAKY = {
  // canonical-value quotes the value of protocols[].type
  'canonical.agent.yaml': agentDoc(`protocols:\n  - type: ${JWT}\n    url: https://a.example.com/\n`, 'canonical'),
  // schema-unknown quotes the URN
  'schema.agent.yaml': agentDoc('', 'schema').replace(`[${AGENT_URN}]`, `[${AGENT_URN}, "urn:example:${AWS}"]`),
  // reference-unresolved quotes the reference
  'reference.agent.yaml': agentDoc(`parent:\n  value: "agent:${GH}"\n`, 'reference'),
  // duplicate-identifier quotes the externalId (twice, one per file)
  'dup-a.agent.yaml': agentDoc(`externalId: "https://svc:${URL_PASSWORD}@idp.example.com/x"\n`, 'dup-a'),
  'dup-b.agent.yaml': agentDoc(`externalId: "https://svc:${URL_PASSWORD}@idp.example.com/x"\n`, 'dup-b'),
  // type-mismatch quotes the value, cut after 37 characters
  'type.agent.yaml': agentDoc(`active: "${JWT_LONG}"\ndisplayName: 12\n`, 'type'),
  'pem.agent.yaml': agentDoc(`active: "-----BEGIN PRIVATE KEY-----\\n${PEM_BODY}\\n-----END PRIVATE KEY-----"\n`, 'pem'),
};
const LEAKED = { JWT, JWT_LONG, AWS, GH, URL_PASSWORD, PEM_BODY };

/** The secret, or any 16 characters of it in a row (a value cut short still leaks). */
function leaks(out: string, secret: string): string | undefined {
  for (let i = 0; i + 16 <= secret.length; i++) if (out.includes(secret.slice(i, i + 16))) return secret.slice(i, i + 16);
  return out.includes(secret) ? secret : undefined;
}

describe('no rule prints a secret that secret-inline masks', () => {
  let cwd: string;
  before(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-redact-'));
    for (const [name, text] of Object.entries(LEAKY)) fs.writeFileSync(path.join(cwd, name), text);
  });
  after(() => fs.rmSync(cwd, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    let out = '';
    const io: CliIO = {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        out += t;
      },
      env: {},
      cwd,
      isTTY: false,
      readStdin: async () => '',
    };
    const code = await runCli(args, io);
    return { code, out };
  };

  test('each of the five rules fires on its secret (so the redaction is what hides it)', async () => {
    const { out } = await run(['lint', '.', '--format', 'json']);
    const codes = new Set((JSON.parse(out) as { code: string }[]).map((f) => f.code));
    for (const code of ['canonical-value', 'schema-unknown', 'reference-unresolved', 'duplicate-identifier', 'type-mismatch'])
      assert.ok(codes.has(code), `${code} in ${[...codes]}`);
  });

  for (const format of ['text', 'json', 'sarif', 'github']) {
    test(`lint --format ${format}`, async () => {
      const { code, out } = await run(['lint', '.', '--format', format]);
      assert.equal(code, 1, out);
      for (const [name, secret] of Object.entries(LEAKED)) {
        const leak = leaks(out, secret);
        assert.equal(leak, undefined, `${name} shown (${leak}) in ${format}:\n${out}`);
      }
    });
  }

  for (const format of ['json', 'csv', 'text']) {
    test(`inventory --format ${format}`, async () => {
      const { out } = await run(['inventory', '.', '--format', format]);
      assert.match(out, /dup-a/);
      for (const [name, secret] of Object.entries(LEAKED)) {
        const leak = leaks(out, secret);
        assert.equal(leak, undefined, `${name} shown (${leak}) in inventory ${format}:\n${out}`);
      }
    });
  }
});
