// The block-YAML fast path must read what it takes exactly as yaml's parser does (spans, values,
// styles, resource boundaries), and leave everything outside its subset to yaml.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseManifest, parseManifestWithYaml } from '../../server/src/manifest/parse';
import { scanBlockYaml } from '../../server/src/manifest/blockYaml';
import { agentsFile, provisioningFile } from '../../bench/generate';
import { repoPath } from '../helpers/repo';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';

/** Texts in the subset: the fast path must take them. */
const FAST = [
  `schemas: [${AGENT}]\nname: a\n`,
  `schemas: [ ${AGENT} , "x" ,'y' ]  # types\nname: a b  \ndisplayName: "Quoted: yes" # c\ndescription: 'it''s'\nactive: true\nn: 12\nz: 0\nnone: null\ntilde: ~\nbig: TRUE\nf: False\nurl: https://a.example/x#frag\nempty: []\n`,
  `# leading comment\n\nschemas: [${AGENT}]\nowners:\n  - value: user:alice\n    type: a # c\n\n  - b\n# between\nq: 1\nz:\n- k\n- j\n\n`,
  `---\nschemas: [${AGENT}]\nowners:\n- value: user:alice\n  display: Alice\nname: x\n`,
  `--- \nschemas: [${AGENT}]\nprotocols:\n  - type: A2A\n    specificationUrl: https://a.example/card.json\n    extra:\n      deep: yes\n      deeper:\n        - 'q'\n        - "r"\nurn:ietf:params:scim:schemas:extension:x:2.0:Agent:\n  k: v\nlast: caf\u00e9 \u00fc\n`,
  `- schemas: [${AGENT}]\n  name: one\n- schemas: [${AGENT}]\n  name: two\n  owners:\n    - value: user:bob\n`,
  `schemas: [${AGENT}]\nname: x\n    # an indented comment\nother: y`,
  `# only a comment\n`,
  ``,
  `schemas: [${AGENT}]\nname: a#b\nsigns: a -b +c .d {e} [f], g:h\n`,
];

/** Texts outside it: anchors, tags, block scalars, escapes, flow maps, floats, multi-line scalars, errors. */
const SLOW = [
  `a: &x 1\nb: *x\n`,
  `a: !!str 1\n`,
  `a: |\n  text\n`,
  `a: >\n  text\n`,
  `a: "esc\\n"\n`,
  `a: {b: c}\n`,
  `a: 1.5\n`,
  `a: -1\n`,
  `a: 0x1f\n`,
  `a: .inf\n`,
  `a: b\n  c\n`,
  `a: "b\n  c"\n`,
  `a: b\na: c\n`,
  `a:\tb\n`,
  `a: b\r\n`,
  `"a": b\n`,
  `a: b: c\n`,
  `a:\n`,
  `a:\nb: c\n`,
  `a: [b, [c]]\n`,
  `a: [b,\n  c]\n`,
  `a: [b, ]\n`,
  `- a\n- b\n`,
  `a: b\n...\n`,
  `<<: {a: b}\n`,
  `true: x\n`,
  `a: b\n - c\n`,
  `a:\n  - b\n  c: d\n`,
  `  a: b\n`,
  `a: 12345678901234567890\n`,
  `--- !tag\na: b\n`,
  `a: b #c\nd:\n    - x\n  - y\n`,
];

function same(text: string, uri = 'file:///m.agents.yaml'): void {
  const fast = parseManifest(uri, text);
  const general = parseManifestWithYaml(uri, text);
  assert.deepEqual(fast.syntaxErrors, general.syntaxErrors, `syntax errors of ${JSON.stringify(text.slice(0, 80))}`);
  assert.deepEqual(fast.resources, general.resources, `resources of ${JSON.stringify(text.slice(0, 80))}`);
}

describe('manifest: block-YAML fast path', () => {
  test('texts in the subset are taken and read as yaml reads them', () => {
    for (const text of FAST) {
      assert.ok(scanBlockYaml(text), `fast path taken for ${JSON.stringify(text.slice(0, 60))}`);
      same(text);
    }
  });

  test('texts outside the subset are left to yaml, with the same result', () => {
    for (const text of SLOW) {
      assert.equal(scanBlockYaml(text), undefined, JSON.stringify(text));
      same(text);
    }
  });

  test('multi-document files, the generated benchmarks and every YAML file of the repository read the same', () => {
    same(agentsFile(50));
    same(provisioningFile(30, 3));
    same(FAST.join('---\n'));
    same(FAST.concat(SLOW).join('---\n'));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) files.push(p);
      }
    };
    // From the repository's root (dist/ has a test/ folder of its own).
    const root = path.dirname(repoPath('examples'));
    for (const dir of ['examples', 'test', 'e2e', 'docs']) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
    assert.ok(files.length > 20, `found ${files.length} YAML files`);
    for (const f of files) same(fs.readFileSync(f, 'utf8'));
  });

  test('each line of a fast document, cut or changed, still reads as yaml reads it', () => {
    // Mutations of the subset's texts: every prefix at a line break and each line doubled or dropped.
    for (const text of FAST.slice(0, 6)) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        same(lines.slice(0, i).join('\n'));
        same([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
        same([...lines.slice(0, i + 1), ...lines.slice(i)].join('\n'));
        same([...lines.slice(0, i), '  ' + lines[i], ...lines.slice(i + 1)].join('\n'));
      }
    }
  });
});
