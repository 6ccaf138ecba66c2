// Hunting super-linear cost (issue 12 item 3): each adversarial shape is run at size n and 8n in
// the same process; the CPU time (the minimum of a few repetitions) may grow about 8x, with slack
// for noise, never the 64x of a quadratic. Shapes are placed where every rule sees them (through
// lint: secret detection and redaction, schema patterns, references, certificates, messages),
// and given to the include-glob matcher and the grammar's patterns (run with JS RegExp where the
// Oniguruma pattern is JS-compatible: \G becomes ^, (?i) the i flag).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { lintFiles } from '../../server/src/lint/linter';
import { parseManifest } from '../../server/src/manifest/parse';
import { includeGlobs } from '../../server/src/lsp/scan';
import { repoPath } from '../helpers/repo';

const FACTOR = 8;
/** Linear is 8x; a quadratic is 64x. Slack covers timer noise and a loaded machine. */
const MAX_RATIO = 20;
const REPS = 3;

// A full collection before each run: otherwise a run at 8n can pay for collecting the garbage of
// the runs (and the tests) before it, which is the suite's history and not the code's cost (a
// parse at 8n once measured 23.5x the warm run at n that way, and 4-9x on its own).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function cpuMs(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < REPS; i++) {
    collect();
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** Cost at n and 8n; the smaller is floored at 1 ms so that timer resolution is no signal. */
function assertLinear(what: string, make: (n: number) => () => void, n: number): void {
  const small = cpuMs(make(n));
  const large = cpuMs(make(n * FACTOR));
  const ratio = large / Math.max(small, 1);
  assert.ok(ratio <= MAX_RATIO, `${what}: ${small.toFixed(1)} ms at n=${n}, ${large.toFixed(1)} ms at ${FACTOR}n (${ratio.toFixed(1)}x)`);
}

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const agentDoc = (name: string, body: string) => `schemas: [${AGENT}]\nname: ${name}\nowners:\n  - value: user:alice\n${body}`;
const q = (s: string) => JSON.stringify(s);

/** Strings of about `n` characters that make naive patterns backtrack. */
const SHAPES: Record<string, (n: number) => string> = {
  'jwt starts': (n) => '-eyJ'.repeat(n / 4),
  'jwt segments': (n) => 'eyJaaaaaaaaa.'.repeat(n / 13),
  'private key header words': (n) => '-----BEGIN ' + 'A '.repeat(n / 2),
  'bearer then spaces': (n) => 'Bearer ' + 'a'.repeat(12) + ' '.repeat(n) + '!',
  'github token runs': (n) => 'ghp_'.repeat(n / 4),
  'slack token runs': (n) => 'xoxb-'.repeat(n / 5),
  'aws key runs': (n) => 'AKIA'.repeat(n / 4),
  'url without @': (n) => 'https://' + 'u:'.repeat(n / 2),
  'url with many @': (n) => 'https://' + 'u:p@'.repeat(n / 4) + 'host/',
  'placeholder-like': (n) => '${' + 'x'.repeat(n),
  'base64 then junk': (n) => 'QUJD'.repeat(n / 4) + '!',
  'spaces in base64': (n) => 'A' + ' '.repeat(n) + '!',
  'trailing equals': (n) => '='.repeat(n) + 'x',
  slashes: (n) => '/'.repeat(n) + 'x',
  quotes: (n) => '"\\'.repeat(n / 2),
  'urn runs': (n) => 'urn:ietf:params:scim:'.repeat(n / 21),
  'reference then spaces': (n) => 'agent:a' + ' '.repeat(n) + 'x',
  digits: (n) => '1'.repeat(n) + 'x',
};

/** Where each shape goes: every attribute kind the rules read. */
function manifestWith(value: string): string {
  return (
    agentDoc(
      'bot',
      `description: ${q(value)}\n` +
        `externalId: ${q(value)}\n` +
        `subject: ${q(value)}\n` +
        `protocols:\n  - type: ${q(value)}\n    url: ${q(value)}\n` +
        `parent:\n  value: ${q(value)}\n` +
        `x509Certificates:\n  - value: ${q(value)}\n` +
        `externalIdentifiers:\n  - type: apiKey\n    value: ${q(value)}\n` +
        `active: ${q(value)}\n`,
    ) + `---\n${agentDoc('other', `externalId: ${q(value)}\n`)}`
  );
}

describe('no input shape costs super-linear time', () => {
  // The first lint compiles the schema validators: not part of any measurement.
  lintFiles([{ uri: 'file:///ws/warm.agent.yaml', text: manifestWith('warm') }]);

  for (const [name, shape] of Object.entries(SHAPES)) {
    test(`lint, every rule: ${name}`, () => {
      assertLinear(
        name,
        (n) => {
          const text = manifestWith(shape(n));
          return () => lintFiles([{ uri: 'file:///ws/a.agent.yaml', text }]);
        },
        2_000,
      );
    });
  }

  test('lint: a parent loop of n agents', () => {
    assertLinear(
      'parent loop',
      (n) => {
        let text = '';
        for (let i = 0; i < n; i++) text += (i ? '---\n' : '') + agentDoc(`a${i}`, `parent:\n  value: agent:a${(i + 1) % n}\n`);
        return () => lintFiles([{ uri: 'file:///ws/loop.agents.yaml', text }]);
      },
      150,
    );
  });

  test('lint: many distinct secrets, each quoted by other rules (the redactor)', () => {
    assertLinear(
      'secrets',
      (n) => {
        let text = '';
        for (let i = 0; i < n; i++)
          text +=
            (i ? '---\n' : '') +
            agentDoc(`s${i}`, `externalId: ${q(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${i}xxxxxxxx.sig${i}`)}\nactive: "ghp_${String(i).padStart(36, '0')}"\n`);
        return () => lintFiles([{ uri: 'file:///ws/s.agents.yaml', text }]);
      },
      100,
    );
  });

  // The block-YAML fast path scans each line once: nothing searched past a line's end.
  const parseShapes: Record<string, (n: number) => string> = {
    'n keys with long plain values and no comment': (n) => {
      let text = `schemas: [${AGENT}]\n`;
      for (let i = 0; i < n; i++) text += `k${i}: ${'word '.repeat(20)}end\n`;
      return text;
    },
    'n quoted values on one line': (n) => `schemas: [${AGENT}]\nlist: [${Array.from({ length: n }, (_, i) => `"v${i}", 'w${i}'`).join(', ')}]\n`,
    'n documents of plain values': (n) => Array.from({ length: n }, (_, i) => agentDoc(`d${i}`, `description: ${'text '.repeat(10)}\n`)).join('---\n'),
  };
  for (const [name, shape] of Object.entries(parseShapes)) {
    test(`parse, block YAML: ${name}`, () => {
      assertLinear(
        name,
        (n) => {
          const text = shape(n);
          return () => parseManifest('file:///ws/p.agents.yaml', text);
        },
        // Both sizes past the caches (a thousand documents' tree fits in L2, eight thousand do
        // not): at n = 1,000 the step to 8n also measured the machine's memory, up to 21.5x with
        // another suite running beside it, against 4-9x alone.
        2_000,
      );
    });
  }

  test('include globs at the most complex shape accepted', () => {
    const { matcher, rejected } = includeGlobs(['agents/**/*-agent-*.yaml', '**/m?n*/*.yml'], true);
    assert.deepEqual(rejected, []);
    for (const [name, path] of Object.entries({
      deep: (n: number) => 'agents/' + 'x-agent-/'.repeat(n / 9) + 'y',
      'deep alternation': (n: number) => 'mxn/'.repeat(n / 4) + 'z.yaml',
    })) {
      assertLinear(
        `glob ${name}`,
        (n) => {
          const p = path(n);
          return () => {
            for (let i = 0; i < 20; i++) matcher(p);
          };
        },
        512,
      );
    }
  });

  test('the grammar patterns', () => {
    const grammar = JSON.parse(fs.readFileSync(repoPath('syntaxes/scim-agents-references.injection.tmLanguage.json'), 'utf8')) as {
      repository: Record<string, { match: string }>;
    };
    const toJs = (oniguruma: string) => {
      const insensitive = oniguruma.startsWith('(?i)');
      return new RegExp(oniguruma.replace(/^\(\?i\)/, '').replace(/\\G/g, '^'), insensitive ? 'i' : '');
    };
    const reference = toJs(grammar.repository.reference!.match);
    const urn = toJs(grammar.repository['scim-urn']!.match);
    const lines: Record<string, [RegExp, (n: number) => string]> = {
      'reference then blanks': [reference, (n) => 'user:a' + ' '.repeat(n) + 'x'],
      'reference words': [reference, (n) => 'user:' + 'a '.repeat(n / 2) + 'b#'],
      'reference tabs': [reference, (n) => 'agent:' + 'a\t'.repeat(n / 2) + '"x'],
      'urn colons': [urn, (n) => 'urn:ietf:params:scim:' + ':'.repeat(n)],
      'urn repeated': [urn, (n) => 'urn:ietf:params:scim:'.repeat(n / 21) + ':'],
    };
    for (const [name, [pattern, line]] of Object.entries(lines)) {
      assertLinear(
        `grammar ${name}`,
        (n) => {
          const s = line(n);
          return () => {
            for (let i = 0; i < 20; i++) pattern.test(s);
          };
        },
        2_500,
      );
    }
  });
});
