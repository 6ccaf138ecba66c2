// Completion, hover, code actions, symbols, definition and references over the protocol.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  Hover,
  Location,
  MarkupContent,
  Position,
  Range,
} from 'vscode-languageserver-protocol';
import path from 'node:path';
import { makeCertificate } from '../helpers/certs';
import { applyEdits, LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const AGENT_URN = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const PEOPLE = `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: alice@example.com
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Group]
displayName: Helpdesk Team
`;
const PARENT = `schemas: [${AGENT_URN}]
externalId: orchestrator-1
name: orchestrator
owners:
  - value: group:Helpdesk Team
`;

/** The text with the `|` marker removed, and the marker's position. */
function cursor(marked: string): { text: string; position: Position } {
  const i = marked.indexOf('|');
  assert.ok(i >= 0, 'the text marks the cursor with |');
  const before = marked.slice(0, i);
  const lines = before.split('\n');
  return { text: before + marked.slice(i + 1), position: { line: lines.length - 1, character: lines[lines.length - 1]!.length } };
}

const md = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');

describe('language features', () => {
  let root: string;
  let client: LspClient;
  let n = 0;
  const openMarked = async (marked: string, ext = 'yaml') => {
    const { text, position } = cursor(marked);
    const uri = client.uri(`doc${n++}.agent.${ext}`);
    client.open(uri, text);
    return { uri, text, position };
  };
  const complete = async (marked: string, ext = 'yaml') => {
    const { uri, position, text } = await openMarked(marked, ext);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    return { items: list.items, labels: list.items.map((i) => i.label), text, uri };
  };

  before(async () => {
    root = tempWorkspace({ 'people.agents.yaml': PEOPLE, 'parent.agent.yaml': PARENT });
    client = await LspClient.start(root);
    await client.diagnostics(client.uri('parent.agent.yaml'), () => true, 'the workspace to be indexed');
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  describe('completion', () => {
    it('offers attribute names in canonical case, not those already present, read-only ones left out', async () => {
      const { labels, items } = await complete(`schemas: [${AGENT_URN}]\nname: a\nDisplayName: A\ndes|\n`);
      for (const l of ['description', 'owners', 'subject', 'x509Certificates', 'externalId']) assert.ok(labels.includes(l), `${l} in ${labels}`);
      for (const l of ['name', 'displayName', 'id', 'groups', 'schemas']) assert.ok(!labels.includes(l), `${l} not offered`);
      const owners = items.find((i) => i.label === 'owners')!;
      assert.equal(owners.textEdit && 'newText' in owners.textEdit ? owners.textEdit.newText : '', 'owners:\n  - value: ');
      assert.match((owners.documentation as MarkupContent).value, /mutability \| readWrite/);
    });

    it('answers at a partial word while typing, replacing exactly what was typed', async () => {
      const rangeOf = (i: CompletionItem | undefined) => (i?.textEdit && 'range' in i.textEdit ? i.textEdit.range : undefined);
      for (const [typed, label] of [
        ['own', 'owners'],
        ['prot', 'protocols'],
        ['o', 'owners'],
        ['OWN', 'owners'],
      ] as const) {
        const { items, text } = await complete(`schemas: [${AGENT_URN}]\nname: a\n${typed}|`);
        const item = items.find((i) => i.label === label);
        assert.ok(item, `${label} for "${typed}" among ${items.map((i) => i.label)}`);
        assert.deepEqual(rangeOf(item), { start: { line: 2, character: 0 }, end: { line: 2, character: typed.length } }, typed);
        assert.equal(applyEdits(text, [item.textEdit as { range: Range; newText: string }]).split('\n')[2], `${label}:`);
      }
      const nested = await complete(`schemas: [${AGENT_URN}]\nname: a\nprotocols:\n  - type: A2A\n    spec|\n`);
      assert.deepEqual(nested.labels, ['specificationUrl']);
      assert.deepEqual(rangeOf(nested.items[0]), { start: { line: 4, character: 4 }, end: { line: 4, character: 8 } });
    });

    it('works on a half-typed line that breaks the YAML', async () => {
      const { labels } = await complete(`schemas: [${AGENT_URN}]\nname: a\nowners:\n  - valu|\nbroken: [unclosed\n`);
      assert.deepEqual(labels.sort(), ['$ref', 'value'], 'owners sub-attributes that a client may write');
      const flow = await complete(`{schemas: [${AGENT_URN}], name: a, sub|`);
      assert.ok(flow.labels.includes('subject') && !flow.labels.includes('name'), flow.labels.join());
      const broken = await complete(`schemas:\n  - ${AGENT_URN}\nname: "unterminated\nsubj|`);
      assert.ok(broken.labels.includes('subject'), `subject in ${broken.labels}`);
    });

    it('offers URN-qualified attribute names once a URN is typed, and hovers them', async () => {
      const { labels } = await complete(`schemas: [${AGENT_URN}]\nname: a\n${AGENT_URN}:dis|\n`);
      assert.ok(labels.includes(`${AGENT_URN}:displayName`), labels.join());
      assert.ok(!labels.includes(`${AGENT_URN}:groups`), 'read-only ones left out');
      const { uri, position } = await openMarked(`schemas: [${AGENT_URN}]\nname: a\n${AGENT_URN}:sub|ject: a\n`);
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      assert.match(md(h), /subject/);
    });

    it('offers sub-attributes inside a complex value', async () => {
      const { labels } = await complete(`schemas: [${AGENT_URN}]\nname: a\nprotocols:\n  - type: MCP-Server\n    |\n`);
      assert.deepEqual(labels, ['specificationUrl']);
    });

    it('offers canonical values and booleans', async () => {
      const values = await complete(`schemas: [${AGENT_URN}]\nname: a\nprotocols:\n  - type: |\n`);
      assert.deepEqual(values.labels.sort(), ['A2A', 'MCP-Server', 'OpenAPI'].sort());
      const bools = await complete(`schemas: [${AGENT_URN}]\nname: a\nactive: |\n`);
      assert.deepEqual(bools.labels, ['true', 'false']);
    });

    it('offers schema URNs in schemas', async () => {
      const { labels } = await complete(`schemas:\n  - |\nname: a\n`);
      assert.ok(labels.includes(AGENT_URN));
      assert.ok(labels.includes('urn:ietf:params:scim:schemas:core:2.0:AgenticApplication'));
    });

    it('offers references from the workspace in owners and parent', async () => {
      const owners = await complete(`schemas: [${AGENT_URN}]\nname: child\nowners:\n  - value: |\n`);
      assert.deepEqual(owners.labels.sort(), ['group:Helpdesk Team', 'user:alice@example.com']);
      const parent = await complete(`schemas: [${AGENT_URN}]\nname: child-p\nparent: {value: |}\n`);
      assert.ok(parent.labels.includes('agent:orchestrator'), parent.labels.join());
      assert.ok(!parent.labels.includes('agent:child-p'), 'not itself');
      assert.ok(
        parent.labels.every((l) => l.startsWith('agent:')),
        'parents are agents only',
      );
    });

    it('completes keys and values in JSON', async () => {
      const keys = await complete(`{\n  "schemas": ["${AGENT_URN}"],\n  "name": "j",\n  "sub|"\n}\n`, 'json');
      assert.ok(keys.labels.includes('subject'));
      assert.ok(!keys.labels.includes('name'));
      const subject = keys.items.find((i) => i.label === 'subject') as CompletionItem;
      assert.equal(subject.textEdit && 'newText' in subject.textEdit ? subject.textEdit.newText : '', '"subject": ');
      const refs = await complete(`{\n  "schemas": ["${AGENT_URN}"],\n  "name": "j",\n  "owners": [{"value": "|"}]\n}\n`, 'json');
      assert.deepEqual(refs.labels.sort(), ['group:Helpdesk Team', 'user:alice@example.com']);
      const urns = await complete(`{"schemas": ["|"]}`, 'json');
      assert.ok(urns.labels.includes(AGENT_URN));
    });
  });

  describe('hover', () => {
    it('describes an attribute with its SCIM characteristics', async () => {
      const { uri, position } = await openMarked(`schemas: [${AGENT_URN}]\nname: a\nsub|ject: a\n`);
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      assert.match(md(h), /\*\*subject\*\*: string/);
      assert.match(md(h), /\| mutability \| readWrite \|/);
      assert.match(md(h), /\| uniqueness \|/);
    });

    it('shows what a certificate is', async () => {
      const cert = makeCertificate({ cn: 'certbot/O=Example', san: 'DNS:certbot.example.com', days: 30 });
      assert.ok(cert, 'openssl made a certificate');
      const { uri, position } = await openMarked(`schemas: [${AGENT_URN}]\nname: certbot\nx509Certificates:\n  - value: MII|${cert.slice(3)}\n`);
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      assert.match(md(h), /CN=certbot/);
      assert.match(md(h), /certbot\.example\.com/);
      assert.match(md(h), /SHA-256 fingerprint \| `([0-9A-F]{2}:){31}[0-9A-F]{2}`/);
      assert.match(md(h), /valid to \| \d{4}-/);
    });

    it('says what a reference resolves to', async () => {
      const { uri, position } = await openMarked(`schemas: [${AGENT_URN}]\nname: a\nowners:\n  - value: user:ali|ce@example.com\n`);
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      assert.match(md(h), /User "alice@example\.com"/);
      assert.match(md(h), /people\.agents\.yaml/);
    });
  });

  describe('navigation', () => {
    it('goes to the definition of a reference in another file', async () => {
      const { uri, position } = await openMarked(
        `schemas: [${AGENT_URN}]\nname: kid\nowners: [{value: "user:alice@example.com"}]\nparent:\n  value: agent:orchestr|ator\n`,
      );
      const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position });
      assert.equal(locs.length, 1);
      assert.equal(locs[0]!.uri, client.uri('parent.agent.yaml'));
      assert.deepEqual(locs[0]!.range, { start: { line: 2, character: 6 }, end: { line: 2, character: 18 } });
    });

    it('finds every reference to a resource across files', async () => {
      const kid = await openMarked(`|schemas: [${AGENT_URN}]\nname: kid2\nowners:\n  - value: group:Helpdesk Team\nparent: {value: "agent:orchestrator-1"}\n`);
      await client.diagnostics(kid.uri, () => true);
      const people = client.uri('people.agents.yaml');
      const refs = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: people },
        position: { line: 4, character: 16 },
        context: { includeDeclaration: false },
      });
      const where = refs.map((l) => `${path.basename(l.uri)}:${l.range.start.line}`).sort();
      assert.ok(where.includes('parent.agent.yaml:4'), where.join());
      assert.ok(where.includes(`${path.basename(kid.uri)}:3`), where.join());
      const parentRefs = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: kid.uri },
        position: { line: 4, character: 25 },
        context: { includeDeclaration: true },
      });
      assert.equal(parentRefs[0]!.uri, client.uri('parent.agent.yaml'), 'the declaration first');
      assert.ok(parentRefs.some((l) => l.uri === kid.uri && l.range.start.line === 4));
    });

    it('lists one symbol per resource with its attributes', async () => {
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: client.uri('people.agents.yaml') } });
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['User "alice@example.com"', 'Group "Helpdesk Team"'],
      );
      assert.deepEqual(
        symbols[0]!.children!.map((c) => c.name),
        ['schemas', 'userName'],
      );
      assert.equal(symbols[1]!.range.start.line, 3);
    });
  });

  describe('code actions', () => {
    const fixes: [string, string, string, RegExp, (fixed: string) => void][] = [
      [
        'owner-missing',
        'yaml',
        `schemas: [${AGENT_URN}]\nname: lonely\n`,
        /Add an owner \(user:alice@example\.com\)/,
        (t) => assert.match(t, /owners:\n {2}- value: user:alice@example\.com\n?$/),
      ],
      [
        'schemas-missing',
        'json',
        `{\n  "name": "x",\n  "owners": [{"value": "user:alice@example.com"}]\n}\n`,
        /Add schemas: \[Agent\]/,
        (t) => assert.match(t, /^\{\n {2}"schemas": \["urn:ietf:params:scim:schemas:core:2\.0:Agent"\],\n {2}"name"/),
      ],
      [
        'attribute-case',
        'yaml',
        `schemas: [${AGENT_URN}]\nNAME: x # c\nowners: [{value: "user:alice@example.com"}]\n`,
        /Write "name"/,
        (t) => assert.match(t, /\nname: x # c\n/),
      ],
      [
        'read-only-attribute',
        'yaml',
        `{schemas: [${AGENT_URN}], name: x, meta: {version: "1"}, owners: [{value: "user:alice@example.com"}]}\n`,
        /Remove read-only "meta"/,
        (t) => assert.match(t, /name: x, owners/),
      ],
      [
        'credential-unbound',
        'yaml',
        `schemas: [${AGENT_URN}]\nname: x\nowners: [{value: "user:alice@example.com"}]\nprotocols: [{type: A2A, specificationUrl: "https://a"}]\n`,
        /Add subject: x/,
        (t) => assert.match(t, /\nsubject: x\n$/),
      ],
      [
        'secret-inline',
        'json',
        `{"schemas": ["${AGENT_URN}"], "name": "x", "owners": [{"value": "user:alice@example.com"}], "password": "hunter22"}`,
        /Replace the secret with \$\{env:X_PASSWORD\}/,
        (t) => assert.match(t, /"password": "\$\{env:X_PASSWORD\}"\}$/),
      ],
      [
        'canonical-value',
        'yaml',
        `schemas: [${AGENT_URN}]\nname: x\nsubject: x\nowners: [{value: "user:alice@example.com"}]\nprotocols:\n  - type: openapi\n    specificationUrl: https://a\n`,
        /Change to "OpenAPI"/,
        (t) => assert.match(t, /- type: OpenAPI\n/),
      ],
      [
        'unknown-attribute',
        'yaml',
        `schemas: [${AGENT_URN}]\nname: x\nowners: [{value: "user:alice@example.com"}]\nsubjct: x\n`,
        /Rename to "subject"/,
        (t) => assert.match(t, /\nsubject: x\n/),
      ],
    ];
    for (const [code, ext, text, title, check] of fixes) {
      it(`fixes ${code} (${ext})`, async () => {
        const uri = client.uri(`fix-${code}.agent.${ext}`);
        client.open(uri, text);
        const ds = await client.diagnostics(uri, (d) => d.some((x) => x.code === code), code);
        const diagnostic = ds.find((d) => d.code === code)!;
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: diagnostic.range,
          context: { diagnostics: [diagnostic], only: ['quickfix'] },
        });
        const action = actions.find((a) => title.test(a.title));
        assert.ok(action, `${title} among ${actions.map((a) => a.title).join(' | ')}`);
        assert.deepEqual(action.diagnostics?.[0], diagnostic, 'linked to the diagnostic the client sent');
        const fixed = applyEdits(text, action.edit!.changes![uri]!);
        check(fixed);
        const v = client.change(uri, fixed);
        const after = await client.diagnostics(uri, (_d, p) => p.version === v);
        assert.ok(!after.some((d) => d.code === code), `${code} gone after the fix: ${after.map((d) => d.code)}`);
      });
    }
  });

  it('survives garbage requests and keeps answering', async () => {
    const unknown = client.uri('never-opened.agent.yaml');
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: unknown }, position: { line: 0, character: 0 } }), null);
    const { uri } = await openMarked(`|---\n- [\n{{{`);
    for (const method of ['textDocument/completion', 'textDocument/hover', 'textDocument/definition']) {
      await client.request(method, { textDocument: { uri }, position: { line: 99, character: 99 } });
    }
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols, []);
  });
});
