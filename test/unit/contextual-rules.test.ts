// The rules that read the time (the certificate rules) run where they can report, not on every
// resource at every keystroke: a binding without a certificate has nothing to judge against the
// time, whatever the time, and the linter keeps which bindings have one (their `appliesTo`). A
// certificate that expires while the file is open is still reported, with or without an edit.
// Counted, not timed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintFile, type LintOptions } from '../../server/src/lint/linter';
import { RULES } from '../../server/src/rules/registry';
import type { ResourceRule } from '../../server/src/rules/types';
import { parseCertificate } from '../../server/src/model/certificates';
import { makeCertificate } from '../helpers/certs';
import { ownedAgent } from '../helpers/ownedAgents';

const URI = 'file:///ws/timed.agents.yaml';
const DAY = 24 * 60 * 60 * 1000;

const agent = (i: number, certificate?: string) =>
  ownedAgent('timed', i, certificate ? [`subject: timed-${i}`, 'x509Certificates:', `  - value: ${certificate}`] : []);

/** The rules that read the time (contextual, not only the policies). */
const TIMED = RULES.filter((r): r is ResourceRule => r.scope === 'resource' && r.contextual === true);

const codes = (found: readonly { code: string }[]) => found.map((f) => f.code).filter((c) => c.startsWith('certificate-'));

/** An editing session on one file: each validation as the language server asks (memo, key per settings). */
function session(documents: number, certificateAt?: { index: number; value: string }) {
  let text = Array.from({ length: documents }, (_, i) => agent(i, i === certificateAt?.index ? certificateAt.value : undefined)).join('\n---\n') + '\n';
  const index = new WorkspaceIndex();
  let version = 1;
  let checks = 0;
  let lookUps = 0;
  const memo = index.memo;
  const look = memo.resourceFindings.bind(memo);
  memo.resourceFindings = (...args) => (lookUps++, look(...args));
  const originals = TIMED.map((r) => r.check);
  const count = <T>(run: () => T): { checks: number; lookUps: number; result: T } => {
    checks = lookUps = 0;
    TIMED.forEach((r, i) => {
      (r as { check: ResourceRule['check'] }).check = (...args) => {
        checks++;
        originals[i]!(...args);
      };
    });
    try {
      const result = run();
      return { checks, lookUps, result };
    } finally {
      TIMED.forEach((r, i) => ((r as { check: ResourceRule['check'] }).check = originals[i]!));
    }
  };
  const options = (now: Date): LintOptions => ({ policies: () => undefined, now });
  /** Lints the current version again (no edit). */
  const validate = (now: Date) => count(() => lintFile(index.get(URI)!, options(now), memo, 'settings'));
  return {
    open(now: Date) {
      index.set(URI, text, version);
      return validate(now);
    },
    /** One character at the end of a document's displayName: every document after it moves. */
    edit(document: number, now: Date) {
      const line = new RegExp(`^displayName: Timed ${document}x*$`, 'm').exec(text)!;
      const at = line.index + line[0].length;
      text = text.slice(0, at) + 'x' + text.slice(at);
      index.set(URI, text, ++version);
      return validate(now);
    },
    validate,
    /** What a fresh index finds on the current text at `now`. */
    fresh(now: Date) {
      const other = new WorkspaceIndex();
      other.set(URI, text, version);
      return lintFile(other.get(URI)!, options(now), other.memo, 'settings');
    },
  };
}

describe('the rules that read the time', () => {
  test('are not run on bindings without a certificate, on opening or on an edit', () => {
    assert.ok(TIMED.length >= 2, 'certificate-expired and certificate-expiring read the time');
    const now = new Date();
    const s = session(200);
    assert.equal(s.open(now).checks, 0, 'opening: no certificate, nothing to judge');
    for (const document of [100, 100, 3, 199]) {
      const edit = s.edit(document, now);
      assert.equal(edit.checks, 0, `an edit of document ${document}: no certificate`);
      assert.deepEqual(edit.result, s.fresh(now), 'the findings of a fresh lint');
    }
  });

  test('judge a certificate again at every run: one that expires while the file is open is reported', () => {
    const certificate = makeCertificate({ cn: 'timed-5', days: 100 });
    const parsed = parseCertificate(certificate);
    assert.ok(parsed.ok);
    const end = parsed.info.validTo.getTime();
    const valid = new Date(end - 60 * DAY);
    const expiring = new Date(end - 5 * DAY);
    const expired = new Date(end + DAY);
    const s = session(40, { index: 5, value: certificate });

    const opened = s.open(valid);
    assert.deepEqual(codes(opened.result), [], 'valid for 60 more days: nothing');
    assert.equal(opened.checks, TIMED.length, 'run on the one binding with a certificate');

    // The same version again, later: judged again, on that binding only.
    const again = s.validate(expiring);
    assert.deepEqual(codes(again.result), ['certificate-expiring'], 'no edit, and the time moved: reported');
    assert.equal(again.checks, TIMED.length, 'the binding with the certificate only');
    assert.equal(again.lookUps, 0, 'nothing else looked up');
    assert.deepEqual(again.result, s.fresh(expiring), 'the findings of a fresh lint');

    // An edit of another document, once the certificate has expired.
    const edit = s.edit(30, expired);
    assert.deepEqual(codes(edit.result), ['certificate-expired'], 'the untouched certificate is judged at the new time');
    assert.equal(edit.checks, TIMED.length, 'on the binding with the certificate (the edited one has none)');
    assert.deepEqual(edit.result, s.fresh(expired), 'the findings of a fresh lint');
    // A finding of the time-reading rules does not make every binding be looked at again.
    const next = s.edit(30, expired);
    assert.ok(edit.lookUps > 0 && edit.lookUps < 40, 'the edit looked up the edited binding, not every one');
    assert.equal(next.lookUps, edit.lookUps, 'the edited binding only is looked up, as before the finding');
    assert.equal(next.checks, TIMED.length);
    assert.deepEqual(next.result, s.fresh(expired), 'the findings of a fresh lint');

    // An edit of the document with the certificate, back before its end.
    const own = s.edit(5, valid);
    assert.deepEqual(codes(own.result), [], 'valid again at that time');
    assert.deepEqual(own.result, s.fresh(valid), 'the findings of a fresh lint');
  });
});
