import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, positionOf } from '../helpers/lint';
import { makeCertificate } from '../helpers/certs';
import { RULES } from '../../server/src/rules/registry';
import { parseCertificate } from '../../server/src/model/certificates';
import type { LintOptions } from '../../server/src/lint/linter';
import { POLICY_CASES } from '../helpers/policyCases';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const APP = 'urn:ietf:params:scim:schemas:core:2.0:AgenticApplication';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const agent = (body: string, name = 'bot') => `schemas: [${AGENT}]\nname: ${name}\n${body}`;
const owned = (body = '', name = 'bot') => agent(`owners:\n  - value: user:alice\n${body}`, name);

const CERT_BOT = makeCertificate({ cn: 'bot', san: 'URI:spiffe://example.com/agents/bot' });
const CERT_OTHER = makeCertificate({ cn: 'someone-else' });
const CERT_SHORT = makeCertificate({ cn: 'bot', days: 10 });
const SHORT_END = (parseCertificate(CERT_SHORT) as { ok: true; info: { validTo: Date } }).info.validTo.getTime();
const DAY = 86_400_000;

interface Case {
  code: string;
  bad: Record<string, string>;
  /** Where the finding must start: file and a snippet (its n-th occurrence). */
  at: { file: string; snippet: string; occurrence?: number };
  good: Record<string, string>;
  options?: LintOptions;
  severity?: 'error' | 'warning' | 'info';
}

const CASES: Case[] = [
  {
    code: 'syntax-error',
    bad: { 'a.agent.yaml': `schemas: [${AGENT}]\nname: [unclosed\nowners: []\n` },
    at: { file: 'a.agent.yaml', snippet: 'owners' }, // where yaml detects the unclosed list
    good: { 'a.agent.yaml': owned() },
  },
  {
    code: 'syntax-error',
    bad: { 'a.agent.json': `{"schemas": ["${AGENT}"], "name": "bot",}` },
    at: { file: 'a.agent.json', snippet: '}', occurrence: 0 },
    good: { 'a.agent.json': `{"schemas": ["${AGENT}"], "name": "bot", "owners": [{"value": "user:alice"}]}` },
  },
  {
    code: 'schemas-missing',
    bad: { 'a.agent.yaml': 'name: bot\nowners:\n  - value: user:alice\n' },
    at: { file: 'a.agent.yaml', snippet: 'name' },
    good: { 'a.agent.yaml': owned() },
  },
  {
    code: 'schema-unknown',
    bad: { 'a.agent.yaml': owned().replace(`[${AGENT}]`, `[${AGENT}, urn:example:made:up]`) },
    at: { file: 'a.agent.yaml', snippet: 'urn:example:made:up' },
    good: { 'a.agent.yaml': owned() },
  },
  {
    code: 'profile-unknown',
    bad: { 'a.agent.yaml': '# scim-agents-profile: abbey-99\n' + owned() },
    at: { file: 'a.agent.yaml', snippet: 'schemas' },
    good: { 'a.agent.yaml': '# scim-agents-profile: abbey-00\n' + owned() },
  },
  {
    code: 'required-missing',
    bad: { 'a.agent.yaml': `schemas: [${AGENT}]\ndisplayName: Bot\nowners:\n  - value: user:alice\n` },
    at: { file: 'a.agent.yaml', snippet: 'schemas' },
    good: { 'a.agent.yaml': owned() },
  },
  {
    code: 'type-mismatch',
    bad: { 'a.agent.yaml': owned('active: "yes"\n') },
    at: { file: 'a.agent.yaml', snippet: '"yes"' },
    good: { 'a.agent.yaml': owned('active: true\n') },
  },
  {
    code: 'duplicate-attribute',
    bad: { 'a.agent.yaml': owned('Name: bot\n') },
    at: { file: 'a.agent.yaml', snippet: 'Name' },
    good: { 'a.agent.yaml': owned() },
  },
  {
    code: 'unknown-attribute',
    bad: { 'a.agent.yaml': owned('displayNam: Bot\n') },
    at: { file: 'a.agent.yaml', snippet: 'displayNam' },
    good: { 'a.agent.yaml': owned('displayName: Bot\n') },
  },
  {
    code: 'attribute-case',
    bad: { 'a.agent.yaml': owned('DisplayName: Bot\n') },
    at: { file: 'a.agent.yaml', snippet: 'DisplayName' },
    good: { 'a.agent.yaml': owned('displayName: Bot\n') },
    severity: 'warning',
  },
  {
    code: 'canonical-value',
    bad: { 'a.agent.yaml': owned('protocols:\n  - type: SOAP\n') },
    at: { file: 'a.agent.yaml', snippet: 'SOAP' },
    good: { 'a.agent.yaml': owned('subject: bot\nprotocols:\n  - type: A2A\n') },
    severity: 'warning',
    options: { rules: { 'credential-unbound': 'off' } },
  },
  {
    code: 'read-only-attribute',
    bad: { 'a.agent.yaml': owned('id: 2819c223\n') },
    at: { file: 'a.agent.yaml', snippet: 'id:' },
    good: { 'a.agent.yaml': owned('externalId: bot-1\n') },
    severity: 'warning',
  },
  {
    code: 'primary-duplicate',
    bad: { 'a.agent.yaml': owned('entitlements:\n  - value: a\n    primary: true\n  - value: b\n    primary: true\n') },
    at: { file: 'a.agent.yaml', snippet: 'true', occurrence: 1 },
    good: { 'a.agent.yaml': owned('entitlements:\n  - value: a\n    primary: true\n  - value: b\n    primary: false\n') },
  },
  {
    code: 'owner-missing',
    bad: { 'a.agent.yaml': agent('displayName: Bot\n') },
    at: { file: 'a.agent.yaml', snippet: 'name' },
    good: { 'a.agent.yaml': owned() },
  },
  {
    code: 'owner-missing',
    bad: { 'a.agent.yaml': agent('owners: []\n') },
    at: { file: 'a.agent.yaml', snippet: 'owners' },
    good: { 'a.agent.yaml': owned() },
  },
  {
    code: 'owner-unresolved',
    bad: { 'a.agent.yaml': owned().replace('user:alice', 'user:mallory'), 'people.agents.yaml': `schemas: [${USER}]\nuserName: alice\n` },
    at: { file: 'a.agent.yaml', snippet: 'user:mallory' },
    good: { 'a.agent.yaml': owned(), 'people.agents.yaml': `schemas: [${USER}]\nuserName: alice\n` },
  },
  {
    code: 'owner-orphaned',
    bad: { 'a.agent.yaml': owned(), 'people.agents.yaml': `schemas: [${USER}]\nuserName: alice\nactive: false\n` },
    at: { file: 'a.agent.yaml', snippet: 'user:alice' },
    good: { 'a.agent.yaml': owned(), 'people.agents.yaml': `schemas: [${USER}]\nuserName: alice\nactive: true\n` },
    severity: 'warning',
  },
  {
    code: 'owner-orphaned',
    bad: { 'a.agent.yaml': agent('owners:\n  - value: group:Ghosts\n') },
    at: { file: 'a.agent.yaml', snippet: 'group:Ghosts' },
    good: { 'a.agent.yaml': agent('owners:\n  - value: group:Team\n') },
    options: {
      directory: {
        users: new Map(),
        groups: new Map([
          ['ghosts', { id: 'g1', key: 'Ghosts', active: true, memberCount: 0 }],
          ['team', { id: 'g2', key: 'Team', active: true, memberCount: 3 }],
        ]),
      },
    },
    severity: 'warning',
  },
  {
    code: 'credential-unbound',
    bad: { 'a.agent.yaml': owned(`x509Certificates:\n  - value: ${CERT_BOT}\n`) },
    at: { file: 'a.agent.yaml', snippet: 'x509Certificates' },
    good: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_BOT}\n`) },
  },
  {
    code: 'credential-unbound',
    bad: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_OTHER}\n`) },
    at: { file: 'a.agent.yaml', snippet: CERT_OTHER.slice(0, 20) },
    good: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_BOT}\n`) },
  },
  {
    code: 'credential-unbound',
    bad: { 'app.agents.yaml': `schemas: [${APP}]\nname: portal\noAuthConfiguration:\n  - clientId: abc\n    issuerUri: https://idp.example.com\n` },
    at: { file: 'app.agents.yaml', snippet: 'oAuthConfiguration' },
    good: {
      'app.agents.yaml': `schemas: [${APP}]\nname: portal\noAuthConfiguration:\n  - clientId: abc\n    issuerUri: https://idp.example.com\nagents:\n  - value: agent:bot\n`,
      'a.agent.yaml': owned('subject: bot\n'),
    },
  },
  {
    code: 'credential-unbound',
    bad: {
      'app.agents.yaml': `schemas: [${APP}]\nname: portal\noAuthConfiguration:\n  - clientId: abc\nagents:\n  - value: agent:bot\n`,
      'a.agent.yaml': owned(),
    },
    at: { file: 'a.agent.yaml', snippet: 'name' },
    good: {
      'app.agents.yaml': `schemas: [${APP}]\nname: portal\noAuthConfiguration:\n  - clientId: abc\nagents:\n  - value: agent:bot\n`,
      'a.agent.yaml': owned('subject: bot\n'),
    },
  },
  {
    code: 'credential-shared',
    bad: { 'a.agent.yaml': owned('subject: same\n') + '---\n' + owned('subject: same\n', 'bot2') },
    at: { file: 'a.agent.yaml', snippet: 'same', occurrence: 0 },
    good: { 'a.agent.yaml': owned('subject: one\n') + '---\n' + owned('subject: two\n', 'bot2') },
    severity: 'warning',
  },
  {
    code: 'certificate-invalid',
    bad: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: TUlJQ2FuZ2Fy\n`) },
    at: { file: 'a.agent.yaml', snippet: 'TUlJQ2FuZ2Fy' },
    good: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_BOT}\n`) },
  },
  {
    code: 'certificate-expired',
    bad: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_SHORT}\n`) },
    at: { file: 'a.agent.yaml', snippet: CERT_SHORT.slice(0, 20) },
    good: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_BOT}\n`) },
    options: { now: new Date(SHORT_END + DAY) },
  },
  {
    code: 'certificate-expiring',
    bad: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_SHORT}\n`) },
    at: { file: 'a.agent.yaml', snippet: CERT_SHORT.slice(0, 20) },
    good: { 'a.agent.yaml': owned(`subject: bot\nx509Certificates:\n  - value: ${CERT_BOT}\n`) },
    options: { now: new Date(SHORT_END - 5 * DAY) },
    severity: 'warning',
  },
  {
    code: 'secret-inline',
    bad: { 'a.agent.yaml': owned('description: "token Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl"\n') },
    at: { file: 'a.agent.yaml', snippet: '"token Bearer' },
    good: { 'a.agent.yaml': owned('description: "authenticates with a bearer token from the vault"\n') },
  },
  {
    code: 'duplicate-identifier',
    bad: { 'a.agent.yaml': owned('externalId: x-1\n'), 'b.agent.yaml': owned('externalId: x-1\n', 'other') },
    at: { file: 'b.agent.yaml', snippet: 'x-1' },
    good: { 'a.agent.yaml': owned('externalId: x-1\n'), 'b.agent.yaml': owned('externalId: x-2\n', 'other') },
  },
  {
    code: 'duplicate-identifier',
    bad: { 'a.agent.yaml': owned('', 'Bot'), 'b.agent.yaml': owned('', 'bot') },
    at: { file: 'b.agent.yaml', snippet: 'bot' },
    good: { 'a.agent.yaml': owned('', 'Bot'), 'b.agent.yaml': owned('', 'bot-two') },
  },
  {
    code: 'reference-unresolved',
    bad: { 'a.agent.yaml': owned('parent:\n  value: agent:nobody\n') },
    at: { file: 'a.agent.yaml', snippet: 'agent:nobody' },
    good: { 'a.agent.yaml': owned('parent:\n  value: agent:root\n') + '---\n' + owned('', 'root') },
  },
  {
    code: 'parent-cycle',
    bad: { 'a.agent.yaml': owned('parent:\n  value: agent:b\n', 'a') + '---\n' + owned('parent:\n  value: agent:a\n', 'b') },
    at: { file: 'a.agent.yaml', snippet: 'agent:b' },
    good: { 'a.agent.yaml': owned('parent:\n  value: agent:b\n', 'a') + '---\n' + owned('', 'b') },
  },
];

CASES.push(...POLICY_CASES);

describe('every rule code fires on its bad fixture and stays silent on the good twin', () => {
  test('the cases cover every registered rule', () => {
    const covered = new Set(CASES.map((c) => c.code));
    assert.deepEqual(
      RULES.map((r) => r.code).filter((c) => !covered.has(c)),
      [],
    );
  });

  for (const c of CASES) {
    test(`${c.code}: ${c.at.snippet.slice(0, 24)}`, () => {
      const bad = lint(c.bad, c.options).filter((f) => f.code === c.code);
      const where = positionOf(c.bad[c.at.file]!, c.at.snippet, c.at.occurrence ?? 0);
      const hit = bad.find((f) => f.uri.endsWith('/' + c.at.file) && f.line === where.line && f.column === where.column);
      assert.ok(
        hit,
        `expected ${c.code} at ${c.at.file}:${where.line}:${where.column}, got ${JSON.stringify(bad.map((f) => `${f.uri}:${f.line}:${f.column} ${f.message}`))}`,
      );
      assert.equal(hit.severity, c.severity ?? 'error');
      assert.ok(hit.endLine === hit.line, `a finding stays on one line (${c.code})`);
      assert.ok(hit.message.length > 10 && !/must match|must NOT have/.test(hit.message), `humane message: ${hit.message}`);
      const good = lint(c.good, c.options).filter((f) => f.code === c.code);
      assert.deepEqual(
        good.map((f) => f.message),
        [],
        `${c.code} must be silent on the good twin`,
      );
    });
  }
});

describe('engine behaviour', () => {
  test('a good manifest has no findings at all', () => {
    assert.deepEqual(lint({ 'a.agent.yaml': owned(`displayName: Bot\nsubject: bot\nx509Certificates:\n  - value: ${CERT_BOT}\n`) }), []);
  });

  test('disable-next-line suppresses only the named code on the next line', () => {
    const text = `schemas: [${AGENT}]\n# scim-agents-disable-next-line owner-missing\nname: bot\nDisplayName: Bot\n`;
    const codes = lint({ 'a.agent.yaml': text }).map((f) => f.code);
    assert.ok(!codes.includes('owner-missing'));
    assert.ok(codes.includes('attribute-case'));
  });

  test('severity overrides and off', () => {
    const text = agent('DisplayName: Bot\n');
    const f = lint({ 'a.agent.yaml': text }, { rules: { 'owner-missing': 'warning', 'attribute-case': 'off' } });
    assert.equal(f.find((x) => x.code === 'owner-missing')?.severity, 'warning');
    assert.equal(
      f.find((x) => x.code === 'attribute-case'),
      undefined,
    );
  });

  test('attribute names are case-insensitive: a wrong-case key still validates its value', () => {
    const f = lint({ 'a.agent.yaml': owned('ACTIVE: "no"\n') });
    assert.ok(f.some((x) => x.code === 'type-mismatch' && x.text === '"no"'));
    assert.ok(f.some((x) => x.code === 'attribute-case' && x.text === 'ACTIVE'));
    assert.ok(!f.some((x) => x.code === 'unknown-attribute'));
  });

  test('wzdk profile is detected from agentUserName and requires its trio', () => {
    const f = lint({ 'a.agent.yaml': `schemas: [${AGENT}]\nagentUserName: bot\nowners:\n  - value: user:bob\n` });
    const missing = f
      .filter((x) => x.code === 'required-missing')
      .map((x) => x.data?.attribute)
      .sort();
    assert.deepEqual(missing, ['active', 'displayName']);
  });

  test("a certificate naming someone else: the message gives its names and the agent's own", () => {
    const f = lint({ 'a.agent.yaml': owned(`subject: bot-subject\nexternalId: bot-ext\nx509Certificates:\n  - value: ${CERT_OTHER}\n`) });
    const hit = f.find((x) => x.code === 'credential-unbound');
    assert.ok(hit, JSON.stringify(f.map((x) => x.code)));
    assert.equal(hit.message, 'This certificate names CN=someone-else, not Agent "bot" (bot, bot-ext, bot-subject): it is not bound to this agent.');
  });

  test('syntax errors point at a line, never to the end of the file', () => {
    const text = `schemas: [${AGENT}]\nname: "unterminated\nowners: []\n\n\n`;
    const f = lint({ 'a.agent.yaml': text }).filter((x) => x.code === 'syntax-error');
    assert.ok(f.length > 0);
    for (const x of f) assert.equal(x.line, x.endLine);
  });

  test('an alias bomb is refused quickly with a clear message', () => {
    let text = 'a: &a [x,x,x,x,x,x,x,x,x,x]\n';
    for (let i = 1; i < 9; i++)
      text += `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10)
        .fill('*' + 'abcdefghij'[i - 1])
        .join(',')}]\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.ok(f.some((x) => x.code === 'syntax-error' && /alias/.test(x.message)));
  });

  test('JSON arrays hold several resources with exact positions', () => {
    const text = `[\n  {"schemas": ["${AGENT}"], "name": "a", "owners": [{"value": "user:x"}]},\n  {"schemas": ["${AGENT}"], "name": "b"}\n]\n`;
    const f = lint({ 'a.agents.json': text }).filter((x) => x.code === 'owner-missing');
    assert.equal(f.length, 1);
    assert.deepEqual({ line: f[0]!.line, column: f[0]!.column }, positionOf(text, '"name"', 1));
  });

  test('secrets are never echoed in full', () => {
    const secret = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const f = lint({ 'a.agent.yaml': owned(`description: ${secret}\n`) }).filter((x) => x.code === 'secret-inline');
    assert.equal(f.length, 1);
    assert.ok(!f[0]!.message.includes(secret.slice(4)));
  });

  test('owners in other files resolve across the workspace', () => {
    const f = lint({
      'a.agent.yaml': agent('owners:\n  - value: group:Platform\n'),
      'dir.agents.yaml': `schemas: [${GROUP}]\ndisplayName: Platform\n---\nschemas: [${USER}]\nuserName: alice\n`,
    });
    assert.deepEqual(
      f.filter((x) => x.code.startsWith('owner')),
      [],
    );
  });
});
