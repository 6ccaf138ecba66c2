// YAML as people write it: empty documents, aliases, merge keys, tags, block scalars, BOM, CRLF,
// tabs, mis-indented keys, and the cost of many aliases. Positions are 1-based (line, column).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, positionOf, type Located } from '../helpers/lint';
import { parseManifest } from '../../server/src/manifest/parse';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const agent = (name: string, extra = '') => `schemas: [${AGENT}]\nname: ${name}\nowners:\n  - value: user:alice\n${extra}`;

const codes = (fs: Located[]) => fs.map((f) => `${f.code}@${f.line}:${f.column}`);

describe('empty and comment-only documents are not resources', () => {
  const cases: Record<string, string> = {
    'leading ---': `---\n${agent('a')}`,
    'trailing ---': `${agent('a')}---\n`,
    'two trailing markers': `${agent('a')}---\n---\n`,
    '--- followed only by comments': `---\n# nothing here yet\n# really\n---\n${agent('a')}`,
    'the ... end marker': `${agent('a')}...\n`,
    '... then --- then a resource': `${agent('a')}...\n---\n${agent('b')}`,
    'comment-only file with markers': '# just a comment\n---\n# another\n...\n',
    'marker with a trailing comment': `--- # first\n${agent('a')}`,
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assert.deepEqual(codes(lint({ 'a.agents.yaml': text })), []);
    });
  }

  test('resources around empty documents keep their numbering and positions', () => {
    const text = `---\n# c\n---\n${agent('a')}---\n---\n${agent('b', 'active: "no"\n')}`;
    const parsed = parseManifest('file:///ws/a.agents.yaml', text);
    assert.deepEqual(
      parsed.resources.map((r) => [r.index, r.value.name]),
      [
        [0, 'a'],
        [1, 'b'],
      ],
    );
    const f = lint({ 'a.agents.yaml': text });
    assert.deepEqual(codes(f), [`type-mismatch@${positionOf(text, '"no"').line}:9`]);
  });

  test('an explicit null document is still not an object', () => {
    const text = `${agent('a')}--- null\n`;
    const f = lint({ 'a.agents.yaml': text });
    assert.deepEqual(codes(f), ['syntax-error@5:5']);
    assert.match(f[0]!.message, /must be an object/);
  });

  test('a scalar document is still not an object', () => {
    const text = `${agent('a')}---\nhello\n`;
    assert.deepEqual(codes(lint({ 'a.agents.yaml': text })), ['syntax-error@6:1']);
  });
});

describe('an alias to an anchor that does not exist is a syntax error on the alias', () => {
  test('anchor in another --- document', () => {
    const text = `${agent('a', 'description: &d shared\n')}---\n${agent('b', 'description: *d\n')}`;
    const f = lint({ 'a.agents.yaml': text });
    const at = positionOf(text, '*d');
    assert.deepEqual(codes(f), [`syntax-error@${at.line}:${at.column}`]);
    assert.match(f[0]!.message, /alias "\*d".*no anchor "&d".*before it in this document/);
    assert.equal(f[0]!.text, '*d');
  });

  test('anchor that is never defined, in a flow sequence', () => {
    const text = agent('a', 'emails: [*nowhere]\n');
    const f = lint({ 'a.agent.yaml': text });
    const at = positionOf(text, '*nowhere');
    assert.deepEqual(codes(f), [`syntax-error@${at.line}:${at.column}`]);
  });

  test('anchor defined after the alias (YAML resolves backwards only)', () => {
    const text = `schemas: [${AGENT}]\nname: *n\ndisplayName: &n bot\nowners:\n  - value: user:alice\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.deepEqual(codes(f), ['syntax-error@2:7']);
  });

  test('a broken alias in one document leaves the other documents linted', () => {
    const text = `${agent('a', 'displayName: *x\n')}---\n${agent('b', 'active: "no"\n')}`;
    const f = lint({ 'a.agents.yaml': text });
    assert.deepEqual(codes(f).sort(), [`syntax-error@5:14`, `type-mismatch@${positionOf(text, '"no"').line}:9`].sort());
  });

  test('the JSON-like file with the same alias mistake is parsed whole and says the same', () => {
    // A %YAML directive makes the parser read the file whole instead of per document.
    const text = `%YAML 1.2\n---\n${agent('a', 'description: &d x\n')}---\n${agent('b', 'description: *d\n')}`;
    const f = lint({ 'a.agents.yaml': text });
    const at = positionOf(text, '*d');
    assert.deepEqual(codes(f), [`syntax-error@${at.line}:${at.column}`]);
  });
});

describe('YAML features that keep working exactly', () => {
  test('merge keys: one map and a list of maps, own keys win', () => {
    const text = [
      'base: &base {description: from base, active: true}',
      'more: &more {displayName: From more, description: from more}',
      '---',
      `schemas: [${AGENT}]`,
      'name: a',
      'owners: [{value: "user:alice"}]',
      '<<: [*base]',
      '---',
    ].join('\n');
    // The anchors live in the first document; the second can only use its own.
    const f = lint({ 'a.agents.yaml': text });
    assert.ok(
      f.some((x) => x.code === 'syntax-error' && x.text === '*base'),
      codes(f).join(),
    );
    const ok = [
      `schemas: [${AGENT}]`,
      'name: a',
      'owners: [{value: "user:alice"}]',
      'x-scim-agents-defaults: &base {description: from base, active: true}',
      'emails:',
      '  - &more {value: a@example.com, type: work}',
      '  - <<: [*more, *base]',
      '    value: b@example.com',
      '<<: *base',
      'description: own',
    ].join('\n');
    const parsed = parseManifest('file:///ws/ok.agent.yaml', ok);
    assert.equal(parsed.syntaxErrors.length, 0);
    const v = parsed.resources[0]!.value;
    assert.equal(v.description, 'own');
    assert.equal(v.active, true);
    assert.deepEqual((v.emails as Record<string, unknown>[])[1], { value: 'b@example.com', type: 'work', description: 'from base', active: true });
  });

  test('anchors and aliases inside one document', () => {
    const text = agent('a', 'displayName: &n Bot\ndescription: *n\n');
    assert.deepEqual(codes(lint({ 'a.agent.yaml': text })), []);
    assert.equal(parseManifest('file:///ws/a.agent.yaml', text).resources[0]!.value.description, 'Bot');
  });

  test('tags, block scalars, BOM, CRLF and tabs in comments and after values', () => {
    const text =
      '\uFEFF' +
      [
        `schemas: [${AGENT}]`,
        'name: !!str a',
        'owners:',
        '  - value: user:alice\t# tab before a comment',
        'description: |',
        '  line one',
        '  line two',
        'displayName: >-',
        '  folded',
        '  text',
        'active: !!bool true',
        '',
      ].join('\r\n');
    const parsed = parseManifest('file:///ws/a.agent.yaml', text);
    assert.equal(parsed.syntaxErrors.length, 0);
    const v = parsed.resources[0]!.value;
    assert.deepEqual([v.name, v.description, v.displayName, v.active], ['a', 'line one\nline two\n', 'folded text', true]);
    assert.deepEqual(codes(lint({ 'a.agent.yaml': text })), []);
    // A CRLF file's findings sit on the right line and column too.
    const bad = text.replace('active: !!bool true', 'active: "no"');
    const at = positionOf(bad, '"no"');
    assert.deepEqual(codes(lint({ 'a.agent.yaml': bad })), [`type-mismatch@${at.line}:${at.column}`]);
  });

  test('a tab used for indentation is a syntax error at the tab', () => {
    const text = agent('a').replace('  - value', '\t- value');
    const f = lint({ 'a.agent.yaml': text });
    assert.ok(f.length > 0 && f.every((x) => x.code === 'syntax-error'));
    assert.equal(f[0]!.line, 4);
  });
});

describe('a mis-indented key is explained at its own line, and other documents still report', () => {
  test('a key indented more than its siblings', () => {
    const text = `${agent('a', 'active: "no"\n')}---\nschemas: [${AGENT}]\nname: b\n  displayName: B\nowners:\n  - value: user:alice\n`;
    const f = lint({ 'a.agents.yaml': text });
    const at = positionOf(text, 'displayName');
    const syntax = f.filter((x) => x.code === 'syntax-error');
    assert.equal(syntax.length, 1, codes(f).join());
    assert.deepEqual([syntax[0]!.line, syntax[0]!.column], [at.line, 1]);
    assert.equal(
      syntax[0]!.message,
      'This key is indented 2 spaces, the keys around it 0: "displayName" must line up with "name" above it (or be nested under a key that ends with ":").',
    );
    // The first document's own finding survives.
    assert.ok(
      f.some((x) => x.code === 'type-mismatch' && x.line === positionOf(text, '"no"').line),
      codes(f).join(),
    );
  });

  test('a key indented less than its siblings inside a nested map', () => {
    const text = `schemas: [${AGENT}]\nname: b\nowners:\n  - value: user:alice\n    display: Alice\n   type: User\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.deepEqual(codes(f), ['syntax-error@6:1']);
    assert.match(f[0]!.message, /^This key is indented 3 spaces, the keys around it 4/);
  });

  test('other syntax errors keep the parser message', () => {
    const text = `schemas: [${AGENT}]\nname: [unclosed\nowners: []\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.ok(f.every((x) => x.code === 'syntax-error'));
    assert.doesNotMatch(f.map((x) => x.message).join('\n'), /This key is indented/);
  });
});

describe('alias resolution is linear', () => {
  function aliases(n: number): string {
    const lines = [`schemas: [${AGENT}]`, 'name: a', 'owners: [{value: "user:alice"}]', 'emails:', '  - &e {value: a@example.com}'];
    for (let i = 0; i < n; i++) lines.push('  - *e');
    return lines.join('\n') + '\n';
  }
  function cost(text: string): number {
    const started = process.hrtime.bigint();
    parseManifest('file:///ws/a.agent.yaml', text);
    return Number(process.hrtime.bigint() - started);
  }

  test('n vs 8n aliases: cost grows about linearly', () => {
    const small = aliases(1_000);
    const large = aliases(8_000);
    cost(small); // warm up
    const a = Math.min(cost(small), cost(small), cost(small));
    const b = Math.min(cost(large), cost(large));
    assert.ok(b / a < 8 * 4, `8x the aliases cost ${(b / a).toFixed(1)}x`);
  });

  test('every alias resolves to its anchor, exactly', () => {
    const parsed = parseManifest('file:///ws/a.agent.yaml', aliases(5_000));
    assert.equal(parsed.syntaxErrors.length, 0);
    const emails = parsed.resources[0]!.value.emails as unknown[];
    assert.equal(emails.length, 5_001);
    assert.ok(emails.every((e) => (e as { value: string }).value === 'a@example.com'));
  });

  test('a redefined anchor: each alias takes the latest definition before it', () => {
    const text = `schemas: [${AGENT}]\nname: &v one\ndisplayName: *v\ndescription: &v two\nexternalId: *v\nowners: [{value: "user:alice"}]\n`;
    const v = parseManifest('file:///ws/a.agent.yaml', text).resources[0]!.value;
    assert.deepEqual([v.displayName, v.externalId], ['one', 'two']);
  });
});
