/**
 * The lint apart (lint/apart.ts: each file checked alone, then the cross-file rules over every
 * file's records) must find exactly what the lint over an index finds: on random workspaces
 * built to hit every cross-file rule (duplicates, references, owners, loops, shared and unbound
 * credentials, OAuth applications), with disable comments, secrets, policies and rules turned
 * off, and on every manifest of the repository's examples and fixtures read as one workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lintAlone, lintTogether, type FileAlone } from '../../server/src/lint/apart';
import { configuredRun } from '../../server/src/lint/configured';
import { lintWorkspace } from '../../server/src/lint/linter';
import type { EffectiveConfig } from '../../server/src/config/types';
import type { Finding } from '../../server/src/rules/types';
import { relativePaths, WorkspaceIndex } from '../../server/src/workspace/index';
import { isManifestName, isScannedPath } from '../../server/src/manifest/fileNames';
import { makeCertificate } from '../helpers/certs';
import { parseManifest, parseManifestEach } from '../../server/src/manifest/parse';
import type { ManifestResource } from '../../server/src/manifest/model';

const ROOT = 'file:///lint-apart-workspace/';

/** Both lints of the same files under the same configurations; returns both results. */
function bothWays(
  files: Record<string, string>,
  configFor: (uri: string) => EffectiveConfig,
): { index: Map<string, Finding[]>; apart: Map<string, Finding[]> } {
  const uris = Object.keys(files).map((name) => ROOT + name);
  const now = new Date('2026-12-01T00:00:00Z');
  const index = new WorkspaceIndex((uri) => configFor(uri).profile);
  index.setRoots([ROOT]);
  for (const uri of uris) index.set(uri, files[uri.slice(ROOT.length)]!);
  const run = configuredRun(uris, configFor);
  const viaIndex = run.severities(lintWorkspace(index, { now, rules: run.rules, policies: run.policies }));
  const alone: FileAlone[] = uris.map((uri) =>
    // Through structured clone, as from a worker thread.
    structuredClone(
      lintAlone(uri, files[uri.slice(ROOT.length)]!, { profile: run.configs.get(uri)!.profile, rules: run.rules, now, policies: run.policies(uri) }),
    ),
  );
  const apart = run.severities(lintTogether(alone, { rules: run.rules, now, policies: run.policies, relativePath: relativePaths([ROOT], uris) }));
  return { index: viaIndex, apart };
}

function assertSame(files: Record<string, string>, configFor: (uri: string) => EffectiveConfig, what: string): number {
  const { index, apart } = bothWays(files, configFor);
  assert.deepEqual([...apart.keys()], [...index.keys()], `${what}: the same files`);
  let count = 0;
  for (const [uri, findings] of index) {
    assert.deepEqual(apart.get(uri), findings, `${what}: the findings of ${uri}`);
    count += findings.length;
  }
  return count;
}

const plain = (): EffectiveConfig => ({ profile: 'auto', rules: {}, policies: {} });

/** A small deterministic generator (mulberry32), so that a failure names a seed that replays it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const certificates = [makeCertificate({ cn: 'a1' }), makeCertificate({ cn: 'somebody-else', san: 'URI:spiffe://example.com/other' })];

/** A random workspace: few names shared by many resources, so that every cross-file rule has something to find. */
function randomWorkspace(seed: number): Record<string, string> {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
  const users = ['alice', 'bob', 'carol'];
  const docs = (n: number) => Array.from({ length: n }, () => resource());
  const resource = (): string => {
    const kind = pick(['agent', 'agent', 'agent', 'app', 'user', 'group']);
    const lines: string[] = [];
    if (kind === 'user') {
      lines.push('schemas: [urn:ietf:params:scim:schemas:core:2.0:User]', `userName: ${pick(users)}`);
      if (rnd() < 0.4) lines.push('active: false');
      return lines.join('\n');
    }
    if (kind === 'group') {
      lines.push('schemas: [urn:ietf:params:scim:schemas:core:2.0:Group]', `displayName: team-${pick(['x', 'y'])}`);
      if (rnd() < 0.6) lines.push('members:', `  - value: ${pick(['user:alice', 'agent:a1', 'group:team-x', 'application:app-1', 'user:nobody'])}`);
      return lines.join('\n');
    }
    if (kind === 'app') {
      lines.push('schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]', `name: app-${pick(['1', '2'])}`);
      if (rnd() < 0.5) lines.push(`externalId: ext-${pick(['1', '2', '3'])}`);
      if (rnd() < 0.5) lines.push('oAuthConfiguration:', '  clientId: client-1');
      if (rnd() < 0.6) lines.push('agents:', `  - value: ${pick(['agent:a1', 'agent:a2', 'agent:ghost', 'user:alice'])}`);
      return lines.join('\n');
    }
    const name = pick(names);
    lines.push('schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]', `name: ${name}`);
    if (rnd() < 0.5) lines.push(`externalId: ext-${pick(['1', '2', '3'])}`);
    if (rnd() < 0.3) lines.push(`displayName: ${pick(['Bot', 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'])}`);
    if (rnd() < 0.7)
      lines.push('owners:', `  - value: ${pick(['user:alice', 'user:bob', 'user:carol', 'group:team-x', 'agent:a1', 'user:mallory', 'srv-id-1'])}`);
    if (rnd() < 0.5) lines.push('parent:', `  value: agent:${pick(names)}`);
    if (rnd() < 0.4) lines.push(`subject: ${pick(['s-1', 's-2', name])}`);
    if (rnd() < 0.3) lines.push('x509Certificates:', `  - value: ${pick(certificates)}`);
    if (rnd() < 0.3) lines.push('protocols:', '  - type: A2A', '    specificationUrl: http://agents.example.com/card.json');
    if (rnd() < 0.2) lines.push(`password: ${pick(['hunter2hunter2', 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'])}`);
    if (rnd() < 0.15) lines.splice(1, 0, '# scim-agents-disable-next-line duplicate-identifier');
    return lines.join('\n');
  };
  const files: Record<string, string> = {};
  const count = 2 + Math.floor(rnd() * 6);
  for (let i = 0; i < count; i++) {
    const many = rnd() < 0.4;
    files[`${pick(['', 'team/', 'team/sub/'])}f${i}.${many ? 'agents' : 'agent'}.${rnd() < 0.2 ? 'json' : 'yaml'}`] = '';
  }
  for (const name of Object.keys(files)) {
    const texts = docs(name.includes('.agents.') ? 1 + Math.floor(rnd() * 4) : 1);
    // Now and then a document that is not an object, or a file that does not parse (read whole).
    const json: unknown[] = texts.map(() => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'],
      name: pick(names),
      owners: [{ value: 'user:alice' }],
    }));
    if (rnd() < 0.1) json.push(7);
    if (rnd() < 0.1) texts.push('42');
    files[name] = name.endsWith('.json')
      ? JSON.stringify(json) + (rnd() < 0.05 ? ',' : '')
      : texts.join('\n---\n') + (rnd() < 0.05 ? '\n---\nname: [unclosed' : '') + '\n';
  }
  return files;
}

test('random workspaces: the lint apart finds what the lint over an index finds', () => {
  let findings = 0;
  const codes = new Set<string>();
  for (let seed = 1; seed <= 300; seed++) {
    const files = randomWorkspace(seed);
    findings += assertSame(files, plain, `seed ${seed}`);
    for (const f of bothWays(files, plain).index.values()) for (const x of f) codes.add(x.code);
  }
  // The workspaces reach every cross-file rule, or the comparison would prove little.
  for (const code of [
    'duplicate-identifier',
    'reference-unresolved',
    'owner-unresolved',
    'owner-orphaned',
    'parent-cycle',
    'credential-shared',
    'credential-unbound',
    'syntax-error',
  ])
    assert.ok(codes.has(code), `the random workspaces never raised ${code}`);
  assert.ok(findings > 1000, `only ${findings} findings over 300 workspaces`);
});

test('configurations: per-file policies, rules off in some files and in all of them, a profile', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const files = randomWorkspace(1000 + seed);
    const configFor = (uri: string): EffectiveConfig =>
      uri.includes('/team/')
        ? {
            profile: 'abbey-00',
            rules: { 'duplicate-identifier': 'off', 'owner-unresolved': 'warning', 'credential-shared': 'off' },
            policies: { minOwners: 2, requireHttps: true },
          }
        : { profile: 'auto', rules: { 'credential-shared': 'off' }, policies: {} };
    assertSame(files, configFor, `seed ${1000 + seed} configured`);
  }
});

test("the repository's examples and fixtures, as one workspace", () => {
  const repo = path.resolve(__dirname, '..', '..', '..');
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (isScannedPath(rel) && isManifestName(e.name)) files[rel] = fs.readFileSync(path.join(repo, rel), 'utf8');
    }
  };
  walk('examples');
  walk('test/fixtures');
  assert.ok(Object.keys(files).length > 40, `found ${Object.keys(files).length} manifests`);
  assert.ok(assertSame(files, plain, 'examples and fixtures') > 20);
});

test('parseManifestEach hands out the resources parseManifest lists, one by one', () => {
  const agent = (i: number) => `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: a${i}\nowners:\n  - value: user:alice\n`;
  const docs = Array.from({ length: 40 }, (_, i) => agent(i));
  const cases: [string, string][] = [
    ['many.agents.yaml', docs.join('---\n')],
    [
      'seq.agents.yaml',
      docs
        .map(
          (d) =>
            d
              .trimEnd()
              .split('\n')
              .map((line, i) => (i === 0 ? '- ' : '  ') + line)
              .join('\n') + '\n',
        )
        .join(''),
    ],
    [
      'many.agents.json',
      JSON.stringify(
        Array.from({ length: 40 }, (_, i) => ({ name: `a${i}`, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'] })),
        null,
        2,
      ),
    ],
    ['one.agent.json', '{"name": "solo"}'],
    ['mixed.agents.yaml', `${docs[0]}---\n42\n---\n${docs[1]}`],
    ['mixed.agents.json', '[{"name": "x"}, 7, {"name": "y"}]'],
    // A document outside the block scanner's subset (an anchor) is parsed by yaml, the others still a piece at a time.
    ['anchor.agents.yaml', `${docs[0]}---\nname: &n anchored\ndisplayName: *n\n---\n${docs[1]}`],
  ];
  const shape = (resources: readonly ManifestResource[]) => resources.map((r) => ({ index: r.index, span: r.root.span, value: r.value }));
  for (const [name, text] of cases) {
    const uri = ROOT + name;
    const whole = parseManifest(uri, text);
    const seen: ManifestResource[] = [];
    const each = parseManifestEach(uri, text, (r) => seen.push(r));
    assert.ok(each, `${name} is read a piece at a time`);
    assert.equal(each.resources.length, 0, `${name}: the parse keeps none`);
    assert.ok(whole.resources.length > 0, name);
    assert.deepEqual(shape(seen), shape(whole.resources), `${name}: the same resources`);
    assert.deepEqual(each.syntaxErrors, whole.syntaxErrors, `${name}: the same syntax errors`);
  }
  // What has to be read whole says so.
  for (const [name, text] of [
    ['broken.agents.yaml', `${docs[0]}---\nname: [unclosed\n`],
    ['broken.agents.json', '[{"name": "x"},'],
    ['directive.agents.yaml', `%YAML 1.2\n---\n${docs[0]}`],
    // A sequence that turns out not to be all maps is one non-object: read whole, after items were handed out.
    ['seq-broken.agents.yaml', '- name: a\n  owners: []\n- 42\n'],
  ] as const)
    assert.equal(
      parseManifestEach(ROOT + name, text, () => undefined),
      undefined,
      name,
    );
});
