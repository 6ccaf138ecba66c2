/**
 * Everything the linter remembers about an index's files, in one place that the index owns:
 * what each resource rule reported on a binding, the cross-file findings of a binding for an
 * epoch, and a file's finished findings for the options its caller names by a key. The
 * bindings and analyses are the keys (weakly held), so whatever the index drops is forgotten
 * with it; a binding that only moved with its document carries its findings over, shifted.
 */
import { shiftSpan } from '../manifest/incremental';
import type { Span } from '../manifest/text';
import type { BoundResource } from '../rules/analysis/bind';
import type { Finding, Rule } from '../rules/types';
import type { FileAnalysis } from './index';

export interface RawFinding {
  span: Span;
  message: string;
  data?: Record<string, unknown>;
}

export interface CrossFinding extends RawFinding {
  rule: Rule;
}

type Top = BoundResource['top'];

export class LintMemo {
  /**
   * What each resource rule reported on a binding (by rule slot), kept while the binding lives.
   * A resource rule reads only its resource's binding (and, when `contextual`, the run's
   * context), and the index keeps a binding (its `top` map, shared by the copies it makes for a
   * re-parsed file) for as long as the resource's text, position and profile are unchanged; so
   * an edit reruns the rules of the resources it touched only.
   */
  readonly resource = new WeakMap<Top, (readonly RawFinding[] | undefined)[]>();
  /** Cross-file findings per binding, valid for one epoch. */
  readonly cross = new WeakMap<Top, { epoch: string; found: CrossFinding[] }>();
  /** A file's finished findings of its own rules, and of the cross-file rules, for the caller's key. */
  readonly ownFiles = new WeakMap<FileAnalysis, { key: string; findings: Finding[] }>();
  readonly crossFiles = new WeakMap<FileAnalysis, { key: string; findings: Finding[] }>();

  /** A moved binding reports what it reported before, moved by the same delta. */
  carry(before: BoundResource, after: BoundResource, delta: number): void {
    const shifted = <F extends RawFinding>(found: readonly F[]): F[] => found.map((f) => ({ ...f, span: shiftSpan(f.span, delta) }));
    const perRule = this.resource.get(before.top);
    if (perRule)
      this.resource.set(
        after.top,
        perRule.map((found) => found && (found.length === 0 ? found : shifted(found))),
      );
    const cross = this.cross.get(before.top);
    if (cross) this.cross.set(after.top, { epoch: cross.epoch, found: shifted(cross.found) });
  }
}
