/** What must hold of every lint result, whatever the input: shared by the fuzz suites. */
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/manifest/text';
import { INTERNAL_ERROR_CODE } from '../../server/src/rules/registry';
import { lintFiles, type Finding } from '../../server/src/lint/linter';

/** Codes whose span the rule policy keeps on one line (README, "Rule catalogue"). */
const ONE_LINE = new Set(['syntax-error']);

export function checkFindings(text: string, findings: readonly Finding[], where = ''): void {
  const lines = new LineIndex(text);
  for (const f of findings) {
    const at = `${where} ${f.code} [${f.span.start}, ${f.span.end}) in ${text.length} chars: ${f.message}`;
    assert.notEqual(f.code, INTERNAL_ERROR_CODE, `internal error: ${at}`);
    assert.ok(Number.isInteger(f.span.start) && Number.isInteger(f.span.end), `integer span: ${at}`);
    assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `span inside the document: ${at}`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0 && f.message.length <= 500, `a readable message (not a copy of the file): ${at}`);
    if (ONE_LINE.has(f.code)) {
      assert.equal(lines.positionAt(f.span.start).line, lines.positionAt(f.span.end).line, `on one line: ${at}`);
    }
  }
}

export interface LintRun {
  findings: Finding[];
  ms: number;
}

/** Lints one file alone, checks the invariants, and returns what it found and how long it took. */
export function lintChecked(uri: string, text: string, budgetMs: number): LintRun {
  const started = performance.now();
  const result = lintFiles([{ uri, text }], { now: new Date('2026-01-01T00:00:00Z') });
  const ms = performance.now() - started;
  const findings = result.get(uri) ?? [];
  checkFindings(text, findings, uri);
  assert.ok(ms <= budgetMs, `${uri}: lint took ${Math.round(ms)} ms (budget ${budgetMs} ms) for ${text.length} chars`);
  return { findings, ms };
}
