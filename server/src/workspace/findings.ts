/**
 * Everything the linter remembers about an index's files, in one place that the index owns:
 * what each resource rule reported on a binding, the cross-file findings of a binding for an
 * epoch, and a file's finished findings for the options its caller names by a key. Bindings
 * (their `top` map, shared by the copies the index makes of an unchanged binding) and file
 * analyses are the keys, weakly held, so whatever the index drops is forgotten with it; a binding
 * that only moved with its document carries its findings over, shifted. It imports nothing of
 * the workspace or the rules (the linter fills it), so the index can own it.
 */
import { shiftSpan } from '../manifest/incremental';
import type { Span } from '../manifest/text';

export interface RawFinding {
  span: Span;
  message: string;
  data?: Record<string, unknown>;
}

export interface CrossFinding extends RawFinding {
  /** The rule's position in the registry (rules/registry.ts RULES). */
  slot: number;
}

/** Finished findings of one file (the linter's Finding, which has more fields) and the caller's key they were computed for. */
interface Kept {
  key: string;
  findings: readonly RawFinding[];
}

export class LintMemo {
  /**
   * What each resource rule reported on a binding (by rule slot), kept while the binding lives.
   * A resource rule reads only its resource's binding (and, when `contextual`, the run's
   * context), and the index keeps a binding for as long as the resource's text, position and
   * profile are unchanged; so an edit reruns the rules of the resources it touched only.
   */
  readonly resource = new WeakMap<object, (readonly RawFinding[] | undefined)[]>();
  /** Cross-file findings per binding, valid for one epoch. */
  readonly cross = new WeakMap<object, { epoch: string; found: CrossFinding[] }>();
  /** Per file analysis: the findings of its own rules, and of the cross-file rules. */
  readonly ownFiles = new WeakMap<object, Kept>();
  readonly crossFiles = new WeakMap<object, Kept>();

  /** A binding moved with its document (`top` → `movedTop`): it reports what it reported before, moved by the same delta. */
  carry(top: object, movedTop: object, delta: number): void {
    const shifted = <R extends RawFinding>(found: readonly R[]): R[] => found.map((f) => ({ ...f, span: shiftSpan(f.span, delta) }));
    const perRule = this.resource.get(top);
    if (perRule)
      this.resource.set(
        movedTop,
        perRule.map((found) => found && (found.length === 0 ? found : shifted(found))),
      );
    const cross = this.cross.get(top);
    if (cross) this.cross.set(movedTop, { epoch: cross.epoch, found: shifted(cross.found) });
  }
}
