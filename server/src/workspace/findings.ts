/**
 * Everything the linter remembers about an index's files, in one place that the index owns:
 * what each resource rule reported on a binding, the cross-file findings of a binding for an
 * epoch, and a file's finished findings for the options its caller names by a key. Bindings
 * (their `top` map, shared by the copies the index makes of an unchanged binding) and file
 * analyses are the keys, weakly held, so whatever the index drops is forgotten with it.
 *
 * A document that an edit above it moved keeps its binding (manifest/parse.ts moves its spans in
 * place), so its findings stay valid, only their ranges move with it: each entry remembers where
 * its resource started when the findings were recorded, and is shifted by the difference when it
 * is read (once per move, then kept at the new place). So a keystroke never rewrites the findings
 * of the documents it did not touch until they are asked for. It imports nothing of the
 * workspace or the rules (the linter fills it), so the index can own it.
 */
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
export interface Kept {
  key: string;
  findings: readonly RawFinding[];
  /** How many findings the rules reported, before disable comments and `off` severities took theirs out. */
  reported?: number;
  /** A file's own rules: how many of `reported` the contextual resource rules reported (they run again at every run). */
  contextualReported?: number;
  /** A file's own rules: the bindings its contextual resource rules may report on. */
  contextual?: ContextualAt;
  /** A file's own rules: whether a rule that reads the time applied (a certificate), so that the findings hold for that run only. */
  contextDependent?: boolean;
}

/**
 * The bindings of a file on which a contextual resource rule may report (the rule's `appliesTo`
 * held there, or it declares none), by index, ascending; for the set of rules named `rules` (the
 * linter's name for it). Whether such a rule applies is the binding's alone, so a binding an
 * edit kept keeps its answer: a keystroke runs these rules on the bindings listed and the fresh
 * ones only.
 */
export interface ContextualAt {
  rules: string;
  at: readonly number[];
}

/**
 * What an edit changed in a file that kept its number of resources: the indexes of the bindings
 * made anew (every other binding is the previous analysis's, at the same index), and what was
 * kept on the previous analysis then. The linter reads it to look at the new bindings only.
 */
export interface FileEdit {
  fresh: readonly number[];
  own: Kept | undefined;
  cross: Kept | undefined;
}

/** Findings recorded on a binding, their spans as they were when its resource started at `at`. */
interface Placed<T> {
  at: number;
  found: T;
}

type PerRule = (readonly RawFinding[] | undefined)[];

/** What the resource rules reported on one binding, placed where its resource starts now. */
export interface KeptFindings {
  /** By rule slot; undefined where nothing is kept. */
  readonly found: PerRule;
  /** How many slots hold a finding (most bindings: none). */
  readonly nonEmpty: number;
  /**
   * A set of rule slots (the linter's name for it) that all have an entry here, when the linter
   * saw them all: with no finding either, a run of those rules has nothing to read here.
   */
  complete?: string;
}

interface ResourceEntry extends KeptFindings {
  at: number;
  nonEmpty: number;
}

export class LintMemo {
  /**
   * What each resource rule reported on a binding (by rule slot), kept while the binding lives.
   * A resource rule reads only its resource's binding (and, when `contextual`, the run's
   * context), and the index keeps a binding for as long as the resource's text and profile are
   * unchanged; so an edit reruns the rules of the resources it touched only.
   */
  private readonly resource = new WeakMap<object, ResourceEntry>();
  /** Cross-file findings per binding, valid for one epoch. */
  private readonly cross = new WeakMap<object, Placed<{ epoch: string; found: readonly CrossFinding[] }>>();
  /** Per file analysis: the findings of its own rules, and of the cross-file rules. */
  readonly ownFiles = new WeakMap<object, Kept>();
  readonly crossFiles = new WeakMap<object, Kept>();
  /** Per file analysis made by an edit (the index fills it): what the edit changed. */
  readonly edits = new WeakMap<object, FileEdit>();

  /** What the resource rules reported on a binding (`top`) whose resource starts at `at` now. */
  resourceFindings(top: object, at: number): KeptFindings | undefined {
    const entry = this.resource.get(top);
    if (!entry) return undefined;
    if (entry.at !== at) {
      // In place, and only when a rule found something (most bindings have nothing to move): a
      // keystroke above many documents moves each one's entry.
      const delta = at - entry.at;
      const perRule = entry.found;
      if (entry.nonEmpty > 0)
        for (let slot = 0; slot < perRule.length; slot++) {
          const found = perRule[slot];
          if (found && found.length > 0) perRule[slot] = shifted(found, delta);
        }
      entry.at = at;
    }
    return entry;
  }

  /** Keeps what one rule (by slot) reported on a binding whose resource starts at `at`. */
  keepResourceFindings(top: object, at: number, slot: number, slots: number, found: readonly RawFinding[]): void {
    this.resourceFindings(top, at);
    let entry = this.resource.get(top);
    if (!entry) this.resource.set(top, (entry = { at, found: new Array<readonly RawFinding[] | undefined>(slots), nonEmpty: 0 }));
    if (entry.found[slot]?.length) entry.nonEmpty--;
    if (found.length > 0) entry.nonEmpty++;
    entry.found[slot] = found.length === 0 ? found : copied(found);
  }

  /** Cross-file findings of a binding for `epoch`, when it has them, placed where its resource starts now (`at`). */
  crossFindings(top: object, at: number, epoch: string): readonly CrossFinding[] | undefined {
    const placed = this.cross.get(top);
    if (!placed || placed.found.epoch !== epoch) return undefined;
    if (placed.at !== at) {
      if (placed.found.found.length > 0) placed.found = { epoch, found: shifted(placed.found.found, at - placed.at) };
      placed.at = at;
    }
    return placed.found.found;
  }

  keepCrossFindings(top: object, at: number, epoch: string, found: readonly CrossFinding[]): void {
    this.cross.set(top, { at, found: { epoch, found: copied(found) } });
  }

  /** Whether a binding has resource findings kept (tests). */
  hasResourceFindings(top: object): boolean {
    return this.resource.has(top);
  }
}

/** Copies with spans of their own: a rule reports a node's span, which moves with its document. */
function copied<R extends RawFinding>(found: readonly R[]): R[] {
  return found.map((f) => ({ ...f, span: { start: f.span.start, end: f.span.end } }));
}

function shifted<R extends RawFinding>(found: readonly R[], delta: number): R[] {
  return found.map((f) => ({ ...f, span: { start: f.span.start + delta, end: f.span.end + delta } }));
}
