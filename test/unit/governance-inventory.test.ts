// Inventory: the engine on inline workspaces (credential states, grouping, orphans from a
// directory) and `scim-agents inventory` JSON and CSV on a multi-file workspace on disk.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../server/src/cli/io';
import { runCli } from '../../server/src/cli/main';
import { buildInventory, csvField, CSV_COLUMNS, groupInventory, type Inventory } from '../../server/src/governance';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { makeCertificate } from '../helpers/certs';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const APP = 'urn:ietf:params:scim:schemas:core:2.0:AgenticApplication';
const DAY = 86_400_000;

const expiringCert = makeCertificate({ cn: 'expiring', days: 10 });
const longCert = makeCertificate({ cn: 'ledger', days: 400 });

const WORKSPACE: Record<string, string> = {
  'apps/billing.agents.yaml': `schemas: [${APP}]
externalId: billing
name: billing
oAuthConfiguration:
  - clientId: billing-client
    issuerUri: https://idp.example.com
agents:
  - value: agent:ledger
  - value: agent:expiring
`,
  'agents/ledger.agent.yaml': `# the ledger agent
schemas: [${AGENT}]
externalId: ledger
name: ledger
displayName: 'Ledger, "the" bot'
owners:
  - value: user:alice
  - value: group:Finance
subject: ledger
x509Certificates:
  - value: ${longCert}
`,
  'agents/more.agents.yaml': `schemas: [${AGENT}]
externalId: expiring
name: expiring
owners:
  - value: user:bob
subject: expiring
x509Certificates:
  - value: ${expiringCert}
---
schemas: [${AGENT}]
externalId: loose
name: loose
owners:
  - value: user:alice
protocols:
  - type: A2A
    specificationUrl: https://agents.example.com/loose.json
---
schemas: [${AGENT}]
externalId: quiet
name: quiet
owners:
  - value: user:carol
`,
  'people.agents.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: alice
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: bob
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: carol
active: false
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Group]
displayName: Finance
`,
};

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-inventory-'));
  for (const [rel, text] of Object.entries(WORKSPACE)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: dir, isTTY: false, readStdin: async () => '' };
  return { code: await runCli(args, io), out, err };
}

/** RFC 4180 parser for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with CRLF');
  return rows;
}

describe('scim-agents inventory', () => {
  test('JSON: every agent and application, with owners, applications, credential state and file:line', async () => {
    const r = await cli(['inventory', '.', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const inv = JSON.parse(r.out) as Inventory & { items: { file: string }[] };
    const by = Object.fromEntries(inv.items.map((i) => [i.name, i]));
    assert.deepEqual(Object.keys(by).sort(), ['billing', 'expiring', 'ledger', 'loose', 'quiet']);
    assert.equal(by.ledger!.kind, 'Agent');
    assert.equal((by.ledger as unknown as { file: string }).file, 'agents/ledger.agent.yaml');
    assert.equal(by.ledger!.line, 4, 'the line of `name`');
    assert.deepEqual(
      by.ledger!.owners.map((o) => [o.reference, o.status]),
      [
        ['user:alice', 'ok'],
        ['group:Finance', 'ok'],
      ],
    );
    assert.match(by.ledger!.owners[0]!.resolvesTo, /^User "alice" \(people\.agents\.yaml:2\)$/);
    assert.deepEqual(by.ledger!.applications, [by.billing!.key]);
    assert.deepEqual(by.billing!.agents, [by.ledger!.key, by.expiring!.key]);
    assert.deepEqual(by.ledger!.issuers, ['https://idp.example.com']);
    assert.equal(by.ledger!.credential.state, 'bound');
    assert.equal(by.expiring!.credential.state, 'expiring');
    assert.equal(by.loose!.credential.state, 'unbound', 'protocols without a subject');
    assert.equal(by.quiet!.credential.state, 'none');
    assert.equal(by.billing!.credential.state, 'bound');
    assert.equal(by.quiet!.orphaned, true, 'carol is inactive');
    assert.equal(by.quiet!.owners[0]!.status, 'orphaned');
    assert.equal(by.ledger!.orphaned, false);
  });

  test('CSV: RFC 4180, one row per identity, the audit columns', async () => {
    const r = await cli(['inventory', '.', '--format', 'csv']);
    assert.equal(r.code, 0, r.err);
    const rows = parseCsv(r.out);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.ok(
      rows.every((row) => row.length === CSV_COLUMNS.length),
      'every record has every column',
    );
    const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)]!;
    const ledger = rows.find((row) => col(row, 'name') === 'ledger')!;
    assert.equal(col(ledger, 'displayName'), 'Ledger, "the" bot', 'commas and quotes survive');
    assert.equal(col(ledger, 'owners'), 'user:alice; group:Finance');
    assert.equal(col(ledger, 'applications'), 'billing');
    assert.equal(col(ledger, 'subject'), 'ledger');
    assert.equal(col(ledger, 'credentialState'), 'bound');
    assert.match(col(ledger, 'certificateExpiry'), /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(col(ledger, 'location'), 'agents/ledger.agent.yaml:4');
    const expiry = Date.parse(
      col(
        rows.find((row) => col(row, 'name') === 'expiring')!,
        'certificateExpiry',
      ),
    );
    assert.ok(Math.abs(expiry - (Date.now() + 10 * DAY)) < 2 * DAY, 'expiry about 10 days out');
    assert.equal(
      col(
        rows.find((row) => col(row, 'name') === 'quiet')!,
        'orphaned',
      ),
      'yes',
    );
    assert.deepEqual(
      rows.slice(1).map((row) => col(row, 'kind')),
      ['Agent', 'Agent', 'Agent', 'Agent', 'AgenticApplication'],
    );
  });

  test('text, grouped by owner; usage errors exit 2', async () => {
    const r = await cli(['inventory', '.', '--group-by', 'owner']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^4 agents, 1 application, 1 orphaned\n/);
    assert.match(r.out, /^user:carol \(orphaned\)\n {2}Agent "quiet"/m);
    assert.equal((await cli(['inventory', '.', '--format', 'xml'])).code, 2);
    assert.equal((await cli(['inventory', '.', '--token', 'x'])).code, 2);
  });
});

describe('inventory engine', () => {
  const index = new WorkspaceIndex();
  for (const [rel, text] of Object.entries(WORKSPACE)) index.set(`file:///w/${rel}`, text);

  test('certificate states follow certificate-expired at the given time', () => {
    const later = buildInventory(index, { now: new Date(Date.now() + 20 * DAY) });
    const by = Object.fromEntries(later.items.map((i) => [i.name, i]));
    assert.equal(by.expiring!.credential.state, 'expired');
    assert.match(by.expiring!.credential.detail, /expired on/);
    assert.equal(by.ledger!.credential.state, 'bound');
    const earlier = buildInventory(index, { now: new Date(Date.now() - 5 * DAY) });
    assert.equal(earlier.items.find((i) => i.name === 'ledger')!.credential.state, 'not-yet-valid');
  });

  test('a server directory orphans agents whose group is empty or whose user is inactive', () => {
    const inv = buildInventory(index, {
      directory: {
        users: new Map([
          ['alice', { id: 'u1', key: 'alice', active: false }],
          ['bob', { id: 'u2', key: 'bob', active: true }],
        ]),
        groups: new Map([['finance', { id: 'g1', key: 'Finance', active: true, memberCount: 0 }]]),
      },
    });
    const ledger = inv.items.find((i) => i.name === 'ledger')!;
    assert.equal(ledger.orphaned, true);
    assert.deepEqual(
      ledger.owners.map((o) => o.status),
      ['orphaned', 'orphaned'],
    );
    assert.match(ledger.owners[1]!.resolvesTo, /server group "Finance" id g1 \(no members\)/);
    assert.equal(inv.items.find((i) => i.name === 'expiring')!.orphaned, false);
  });

  test('grouping: agents under each application, loose agents apart; by owner, one group per owner', () => {
    const inv = buildInventory(index);
    const byApp = groupInventory(inv, 'application');
    assert.deepEqual(
      byApp.map((g) => [g.label, g.children.map((c) => c.name)]),
      [
        ['AgenticApplication "billing"', ['ledger', 'expiring']],
        ['Agents in no application', ['loose', 'quiet']],
      ],
    );
    const byOwner = groupInventory(inv, 'owner');
    assert.deepEqual(
      byOwner.map((g) => [g.label, g.children.map((c) => c.name)]),
      [
        ['group:Finance', ['ledger']],
        ['user:alice', ['ledger', 'loose']],
        ['user:bob', ['expiring']],
        ['user:carol (orphaned)', ['quiet']],
        ['Applications (owned through their agents)', ['billing']],
      ],
    );
  });

  test('CSV fields: quoting per RFC 4180 and formulas neutralised', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  });
});
