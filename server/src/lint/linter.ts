import type { LineIndex, Span } from '../manifest/text';
import type { ParsedManifest } from '../manifest/model';
import type { BoundResource, ProfileSetting, ServerProfileState } from '../model/bind';
import { INTERNAL_ERROR_CODE, RULES } from '../rules/registry';
import type { Directory, Finding, Report, ResourceRule, Rule, RuleContext, Severity, SeveritySetting } from '../rules/types';
import { type FileAnalysis, WorkspaceIndex } from '../workspace/index';
import { type Redactor, redactorFor } from './redact';
import type { ContextualAt, CrossFinding, Kept, LintMemo, RawFinding } from '../workspace/findings';
import type { Policies } from '../config/types';

export interface LintOptions {
  profile?: ProfileSetting;
  /** The `server` profile's definitions, when `profile` (or a file) chooses it. */
  serverProfile?: ServerProfileState;
  /** Per-code severity overrides; 'off' silences a rule. */
  rules?: Record<string, SeveritySetting>;
  now?: Date;
  directory?: Directory;
  /** Policies per manifest, for the policy-* rules (see server/src/config). */
  policies?: RuleContext['policies'];
}

export interface SourceFile {
  uri: string;
  text: string;
}

/** Lints a set of files as one workspace (cross-file rules included). */
export function lintFiles(files: readonly SourceFile[], options: LintOptions = {}): Map<string, Finding[]> {
  const index = new WorkspaceIndex(options.profile ?? 'auto', options.serverProfile);
  for (const f of files) index.set(f.uri, f.text);
  return lintWorkspace(index, options);
}

/**
 * Findings for every file of the index (or the `only` files), keyed by uri, sorted by position.
 * With `early` (what prelintResources ran on this same index, unchanged since), the workspace
 * rules it ran are not run again: their findings are taken from it.
 */
export function lintWorkspace(index: WorkspaceIndex, options: LintOptions = {}, only?: ReadonlySet<string>, early?: EarlyLint): Map<string, Finding[]> {
  const ctx = contextOf(options);
  const raw = new Map<string, Finding[]>();
  // Only the files asked for are visited: a per-file call must not cost the size of the workspace.
  for (const uri of only ?? index.uris()) if (index.get(uri)) raw.set(uri, []);
  const push = pusher(raw);
  const active = activeRules(options);
  for (const uri of raw.keys()) lintOwnRules(index.get(uri)!, active, ctx, raw, push, index.memo);
  const ranEarly = early && unchangedSince(index, early) ? early.workspace : undefined;
  for (const rule of active) {
    if (rule.scope !== 'workspace') continue;
    const found = ranEarly?.get(rule);
    if (found) for (const f of found) push(rule, f.uri, f.span, f.message, f.data);
    else guard(rule, undefined, raw, () => rule.check(index.view(), (uri, span, m, d) => push(rule, uri, span, m, d), ctx));
  }
  return finishAll(
    raw,
    (uri) => index.get(uri)!.manifest,
    options.rules,
    () => redactorFor(index.resources()),
  );
}

/**
 * Every file's findings of a whole-workspace run, finished. Such a run may quote any file's value
 * in any message: one redactor of them all, made only once a file has findings (collecting every
 * resource's secrets was a fifth of a clean 11,000-resource lint).
 */
export function finishAll(
  raw: ReadonlyMap<string, Finding[]>,
  fileOf: (uri: string) => FileText,
  overrides: Record<string, SeveritySetting> | undefined,
  makeRedactor: () => Redactor,
): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  let redactor: Redactor | undefined;
  // forEach, not for-of: an entry pair and a step object per file before V8 optimises this one pass.
  raw.forEach((findings, uri) => out.set(uri, findings.length ? finish(findings, fileOf(uri), overrides, (redactor ??= makeRedactor())) : findings));
  return out;
}

/** How long `prelintResources` works before it lets other work (network answers) run. */
const PRELINT_SLICE_MS = 8;
/** Resources per view the early workspace rules are run on. */
const EARLY_SLICE_RESOURCES = 200;

/**
 * Runs the resource rules whose findings the index's memo keeps (those that read no context:
 * not the directory, not the time), a slice of files at a time, yielding between slices. A plan
 * runs this while its server reads are in flight; the lint that gates the plan then finds these
 * findings kept and checks only what needs the server's answers. Reports nothing itself; what it
 * returns is for that lint (lintWorkspace's `early`).
 */
export async function prelintResources(index: WorkspaceIndex, options: LintOptions = {}, only?: ReadonlySet<string>): Promise<EarlyLint> {
  const rules = activeRules(options).filter((r) => r.scope === 'resource' && !r.contextual);
  const ctx = contextOf(options);
  const files = new Map<string, FileAnalysis | undefined>();
  for (const uri of index.uris()) files.set(uri, index.get(uri));
  let sliceStart = performance.now();
  const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (const uri of only ?? index.uris()) {
    const file = index.get(uri);
    if (!file) continue;
    const raw = new Map<string, Finding[]>([[uri, []]]);
    lintOwnRules(file, rules, ctx, raw, pusher(raw), index.memo);
    if (performance.now() - sliceStart > PRELINT_SLICE_MS) {
      await yieldNow();
      sliceStart = performance.now();
    }
  }
  // The workspace rules too, on a slice of the resources at a time (a workspace rule reports on
  // the resources its view gives it and reads the rest through lookups, as lintCrossFile relies
  // on), so the answers keep being read between slices; what they report is kept for the gating
  // lint. A rule that reads the directory, the time or the policies (the owner rules) stops at
  // the first read and is left to that lint, which has the server's directory.
  const workspace = new Map<Rule, EarlyFinding[]>();
  const early: EarlyLint = { files, workspace };
  let pending = activeRules(options).filter((r) => r.scope === 'workspace');
  for (const rule of pending) workspace.set(rule, []);
  let slice: BoundResource[] = [];
  const runSlice = () => {
    const view = index.scopedTo(slice);
    pending = pending.filter((rule) => {
      const found = workspace.get(rule)!;
      try {
        rule.check(view, (uri, span, message, data) => found.push({ uri, span, message, ...(data ? { data } : {}) }), CONTEXT_FREE);
        return true;
      } catch {
        // It read the context, or failed: the gating lint runs it (and reports any error).
        workspace.delete(rule);
        return false;
      }
    });
    slice = [];
  };
  for (const uri of only ?? index.uris()) {
    if (pending.length === 0) break;
    for (const r of index.get(uri)?.resources ?? []) slice.push(r);
    if (slice.length < EARLY_SLICE_RESOURCES) continue;
    runSlice();
    if (performance.now() - sliceStart > PRELINT_SLICE_MS) {
      // An edit meanwhile is found by the gating lint (unchangedSince), which then runs every
      // rule itself; checking here after every slice cost as much as a rule.
      await yieldNow();
      sliceStart = performance.now();
    }
  }
  if (slice.length > 0 && pending.length > 0) runSlice();
  return early;
}

/** What prelintResources found, for the lint that gates a plan on the same index. */
export interface EarlyLint {
  /** The index's files when it ran (what it found holds while they are the same). */
  files: ReadonlyMap<string, FileAnalysis | undefined>;
  /** Findings of the workspace rules it ran, which read no context. */
  workspace: ReadonlyMap<Rule, readonly EarlyFinding[]>;
}

interface EarlyFinding {
  uri: string;
  span: Span;
  message: string;
  data?: Record<string, unknown>;
}

function unchangedSince(index: WorkspaceIndex, early: EarlyLint): boolean {
  if (index.size !== early.files.size) return false;
  for (const [uri, file] of early.files) if (index.get(uri) !== file) return false;
  return true;
}

/**
 * The context of the early workspace rules: reading the directory, the time or the policies
 * from it stops the rule (the gating lint runs it with the real context), so nothing found
 * early depends on what the early run could not know.
 */
const CONTEXT_FREE: RuleContext = {
  get now(): Date {
    throw new Error('reads the time');
  },
  get directory(): Directory | undefined {
    throw new Error('reads the directory');
  },
  get policies(): RuleContext['policies'] {
    throw new Error('reads the policies');
  },
};

/**
 * Findings of one file's own rules (syntax and per resource; no cross-file rule), sorted. With
 * the index's memo, each resource rule's findings are kept per binding; with a `key` too (a value
 * that changes whenever the options but the time do), the file's findings are kept for that key
 * where no rule that reads the time applied (no certificate): those are judged again at each call.
 */
export function lintFile(file: FileAnalysis, options: LintOptions = {}, memo?: LintMemo, key?: string): Finding[] {
  const kept = key !== undefined ? memo?.ownFiles.get(file) : undefined;
  // Kept for the key, unless they depend on the time too (a certificate: it may have expired since).
  if (kept && kept.key === key && !kept.contextDependent) return kept.findings as Finding[]; // lintFile put them there
  const uri = file.manifest.uri;
  const raw = new Map<string, Finding[]>([[uri, []]]);
  // After an edit of a file on which the same rules reported nothing (but the contextual ones,
  // which run again on every binding they apply to), the bindings it kept are known quiet (their
  // kept rules found nothing, their others found nothing then); so are all of this analysis's on
  // a second run for the key (judged again for the time).
  const edit = key !== undefined ? memo?.edits.get(file) : undefined;
  const base =
    kept && kept.key === key ? { indexes: NO_INDEXES, own: kept } : edit?.own && edit.own.key === key ? { indexes: edit.fresh, own: edit.own } : undefined;
  const fresh = base && quietButContextual(base.own) ? { indexes: base.indexes, contextual: base.own.contextual } : undefined;
  const run = lintOwnRules(
    file,
    activeRules(options).filter((r) => r.scope !== 'workspace'),
    contextOf(options),
    raw,
    pusher(raw),
    memo,
    fresh,
  );
  const reported = raw.get(uri)!.length;
  // No redactor for a file without findings (most keystrokes): it would collect every resource's secrets.
  const findings = reported ? finish(raw.get(uri)!, file.manifest, options.rules, redactorOf(file)) : raw.get(uri)!;
  if (key !== undefined) memo?.ownFiles.set(file, { key, findings, reported, ...run });
  return findings;
}

const NO_INDEXES: readonly number[] = [];

/** Whether a file's own rules reported nothing there but what its contextual rules did. */
function quietButContextual(kept: Kept): boolean {
  return kept.reported !== undefined && kept.reported - (kept.contextualReported ?? 0) === 0;
}

/**
 * Findings of the cross-file rules on one file's resources (the rest of the index read through
 * lookups), sorted. With an `epoch` (a value that changes whenever any file's cross-file
 * findings, or the options, may have), the file's findings and each resource's are kept in the
 * index's memo for that epoch and reused (moved with their document, see workspace/findings.ts): an edit rechecks the
 * resources it changed only.
 */
export function lintCrossFile(index: WorkspaceIndex, uri: string, options: LintOptions = {}, epoch?: string): Finding[] {
  const file = index.get(uri);
  if (!file) return [];
  const kept = epoch !== undefined ? index.memo.crossFiles.get(file) : undefined;
  if (kept && kept.key === epoch) return kept.findings as Finding[]; // lintCrossFile put them there
  const raw = new Map<string, Finding[]>([[uri, []]]);
  const push = pusher(raw);
  const ctx = contextOf(options);
  const rules = activeRules(options).filter((r) => r.scope === 'workspace');
  const checkAll = (view: ReturnType<WorkspaceIndex['scoped']>, report: Push) => {
    for (const rule of rules) guard(rule, uri, raw, () => rule.check(view, (u, span, m, d) => report(rule, u, span, m, d), ctx));
  };
  if (epoch === undefined) checkAll(index.scoped([uri]), push);
  else {
    // After an edit of a file on which the cross-file rules reported nothing at this epoch, the
    // bindings it kept have nothing at this epoch either: only the fresh ones are looked at.
    const edit = index.memo.edits.get(file);
    const fresh = edit?.cross && edit.cross.key === epoch && edit.cross.reported === 0 ? edit.fresh.map((i) => file.resources[i]!) : undefined;
    for (const r of fresh ?? file.resources) {
      const at = r.resource.root.span.start;
      const cached = index.memo.crossFindings(r.top, at, epoch);
      if (cached) {
        for (const f of cached) push(RULES[f.slot]!, uri, f.span, f.message, f.data);
        continue;
      }
      const found: CrossFinding[] = [];
      checkAll(index.scopedTo([r]), (rule, u, span, message, data) => {
        found.push({ slot: RULE_SLOT.get(rule)!, span, message, ...(data ? { data } : {}) });
        push(rule, u, span, message, data);
      });
      index.memo.keepCrossFindings(r.top, at, epoch, found);
    }
  }
  const reported = raw.get(uri)!.length;
  const findings = reported ? finish(raw.get(uri)!, file.manifest, options.rules, redactorOf(file)) : raw.get(uri)!;
  if (epoch !== undefined) index.memo.crossFiles.set(file, { key: epoch, findings, reported });
  return findings;
}

export type Push = (rule: Rule, uri: string, span: Span, message: string, data?: Record<string, unknown>) => void;

export function contextOf(options: LintOptions): RuleContext {
  // Fields written one by one, absent ones as undefined: a spread takes V8's slow path, per file.
  return { now: options.now ?? new Date(), directory: options.directory || undefined, policies: options.policies || undefined };
}

/**
 * The redactor of the secrets a file's messages could quote: the file's own values (the ones its
 * rules read), built once per analysis so a per-file check stays the cost of that file.
 */
const redactors = new WeakMap<FileAnalysis, Redactor>();
function redactorOf(file: FileAnalysis): Redactor {
  let r = redactors.get(file);
  if (!r) redactors.set(file, (r = redactorFor(file.resources)));
  return r;
}

export function activeRules(options: LintOptions): Rule[] {
  return RULES.filter((r) => options.rules?.[r.code] !== 'off');
}

export function pusher(raw: Map<string, Finding[]>): Push {
  return (rule, uri, span, message, data) => pushFinding(raw, rule, uri, span, message, data);
}

/** Adds a rule's finding to its file's list in `raw` (a file not in `raw` is not being linted). */
export function pushFinding(raw: Map<string, Finding[]>, rule: Rule, uri: string, span: Span, message: string, data?: Record<string, unknown>): void {
  const list = raw.get(uri);
  if (!list) return;
  const ruleSeverity = data?.severity;
  const severity: Severity = ruleSeverity === 'warning' || ruleSeverity === 'info' || ruleSeverity === 'error' ? ruleSeverity : rule.defaultSeverity;
  // A span of its own: a rule reports a node's span, which a later edit above it moves in place.
  list.push({ code: rule.code, severity, message, uri, span: { start: span.start, end: span.end }, ...(data ? { data } : {}) });
}

/** The resource rules of `active` that run on a file's resources. */
export function resourceRulesOf(active: readonly Rule[], ctx: RuleContext, uri: string): ResourceRule[] {
  const policies = ctx.policies?.(uri);
  return active.filter((rule): rule is ResourceRule => runsOnResources(rule, policies));
}

/** Whether a rule runs on the resources of a file with these policies. */
export function runsOnResources(rule: Rule, policies: Policies | undefined): rule is ResourceRule {
  // A policy rule reports nothing where its policy is not set: not run there (on every resource).
  return rule.scope === 'resource' && (typeof rule.contextual !== 'object' || policies?.[rule.contextual.policy] !== undefined);
}

/**
 * What an edit that kept the number of resources lets lintOwnRules skip: the indexes of the
 * bindings it made anew (ascending; every other binding is known quiet to the kept rules) and
 * where the contextual rules applied on the analysis before the edit.
 */
export interface FreshBindings {
  indexes: readonly number[];
  contextual: ContextualAt | undefined;
}

/** What a run of a file's own rules leaves for the next edit's (see FreshBindings). */
export interface OwnRulesRun {
  contextual: ContextualAt;
  /** How many findings the contextual resource rules reported (they run again at every run, so they do not make a binding unquiet). */
  contextualReported: number;
  /**
   * Whether a rule that reads the run's context beyond the policies (`contextual: true`: the
   * time) applied to a binding: then what the rules found holds for this run's context only.
   */
  contextDependent: boolean;
}

/** The rules of `active` that check a file as a whole (syntax), on this file. */
export function lintFileRules(manifest: ParsedManifest, active: readonly Rule[], ctx: RuleContext, raw: Map<string, Finding[]>, push: Push): void {
  const uri = manifest.uri;
  for (const rule of active) {
    if (rule.scope === 'file') guard(rule, uri, raw, () => rule.check(manifest, (span, m, d) => push(rule, uri, span, m, d), ctx));
  }
}

/** Runs the file and resource rules of one file (resource findings kept per binding in `memo`, when given). */
export function lintOwnRules(
  file: FileAnalysis,
  active: readonly Rule[],
  ctx: RuleContext,
  raw: Map<string, Finding[]>,
  push: Push,
  memo: LintMemo | undefined,
  fresh?: FreshBindings,
): OwnRulesRun {
  const uri = file.manifest.uri;
  lintFileRules(file.manifest, active, ctx, raw, push);
  // Each resource rule's slot and which of its findings are kept (all; none found, for a rule whose
  // messages name lines; none, for one that reads the context), looked up once per file rather
  // than per resource.
  let contextualReported = 0;
  let contextDependent = false;
  const perResource = resourceRulesOf(active, ctx, uri).map((rule) => ({
    rule,
    slot: RULE_SLOT.get(rule)!,
    keep: rule.contextual ? 'no' : rule.namesLines ? 'none found' : 'all',
    // The reporter of a rule whose findings are not kept (one for the file rather than closures per resource).
    report: (span: Span, m: string, d?: Record<string, unknown>) => {
      contextualReported++;
      push(rule, uri, span, m, d);
    },
  }));
  // The rules whose findings are kept, named: a binding on which they all found nothing (and are
  // known to have run) needs only the others run, not a look at each of their slots.
  const keptRules = perResource.filter((p) => p.keep !== 'no');
  // The contextual rules, run at every run, each on the bindings it applies to.
  const others = perResource.filter((p) => p.keep === 'no');
  const keptSet = keptRules.map((p) => p.slot).join(',');
  const othersSet = others.map((p) => p.slot).join(',');
  // The bindings where a contextual rule applied, for the next edit's run.
  const applying: number[] = [];
  const runOthers = (r: BoundResource): boolean => {
    let applied = false;
    for (const { rule, report } of others) {
      if (!mayReport(rule, r)) continue;
      applied = true;
      if (rule.contextual === true) contextDependent = true;
      checkGuarded(rule, r, report, ctx, uri, raw);
    }
    return applied;
  };
  // A binding the kept rules are known to have found nothing on: only the contextual rules run.
  const visitKnown = (i: number) => {
    if (runOthers(file.resources[i]!)) applying.push(i);
  };
  // Any other binding: one look-up of what is kept on it, then each rule in registry order.
  const visit = (i: number) => {
    const r = file.resources[i]!;
    const at = r.resource.root.span.start;
    const kept = memo?.resourceFindings(r.top, at);
    if (kept !== undefined && kept.complete === keptSet && kept.nonEmpty === 0) {
      // Quiet: the kept rules found nothing here; only the others run.
      visitKnown(i);
      return;
    }
    let applied = false;
    for (const { rule, slot, keep, report } of perResource) {
      if (keep === 'no') {
        if (!mayReport(rule, r)) continue;
        applied = true;
        if (rule.contextual === true) contextDependent = true;
        guard(rule, uri, raw, () => rule.check(r, report, ctx));
        continue;
      }
      const cached = kept?.found[slot];
      if (cached && (keep === 'all' || cached.length === 0)) {
        for (const f of cached) push(rule, uri, f.span, f.message, f.data);
        continue;
      }
      let found: RawFinding[] | undefined;
      const ok = guard(rule, uri, raw, () =>
        rule.check(
          r,
          (span, m, d) => {
            (found ??= []).push({ span, message: m, ...(d ? { data: d } : {}) });
            push(rule, uri, span, m, d);
          },
          ctx,
        ),
      );
      if (ok && memo && (keep === 'all' || (keep === 'none found' && !found))) memo.keepResourceFindings(r.top, at, slot, RULES.length, found ?? NONE);
    }
    if (applied) applying.push(i);
    if (memo) {
      const now = memo.resourceFindings(r.top, at);
      if (now && keptRules.every((p) => now.found[p.slot] !== undefined)) now.complete = keptSet;
    }
  };
  const before = fresh?.contextual?.rules === othersSet ? fresh.contextual.at : undefined;
  if (fresh && before) {
    // After an edit: the fresh bindings, and the kept ones a contextual rule applied to (a kept
    // binding's answer is the same), in order; every other binding has nothing to run (a keystroke
    // in a file without certificates visits the edited binding only).
    const made = fresh.indexes;
    let a = 0;
    let b = 0;
    while (a < made.length || b < before.length) {
      const m = a < made.length ? made[a]! : Infinity;
      const k = b < before.length ? before[b]! : Infinity;
      if (m <= k) {
        visit(m);
        a++;
        if (k === m) b++;
      } else {
        visitKnown(k);
        b++;
      }
    }
  } else {
    // Resource by resource; with `fresh` (ascending), the bindings not listed are known quiet: not looked up.
    let next = 0;
    for (let i = 0; i < file.resources.length; i++) {
      if (fresh !== undefined && fresh.indexes[next] !== i) visitKnown(i);
      else {
        if (fresh !== undefined) next++;
        visit(i);
      }
    }
  }
  return { contextual: { rules: othersSet, at: applying }, contextualReported, contextDependent };
}

/** Whether a resource rule may report on a binding (its `appliesTo`; one that throws counts as yes, and the rule's own run reports the error). */
export function mayReport(rule: ResourceRule, r: BoundResource): boolean {
  if (!rule.appliesTo) return true;
  try {
    return rule.appliesTo(r);
  } catch {
    return true;
  }
}

/** What finishing a file's findings reads of it: where its lines start, and its disable comments. */
export interface FileText {
  readonly lines: Pick<LineIndex, 'positionAt'>;
  readonly suppressions: ParsedManifest['suppressions'];
}

/**
 * Applies severity overrides and disable comments, redacts secret material (every message
 * passes here, whichever rule wrote it), removes duplicates, sorts by position.
 */
export function finish(findings: Finding[], file: FileText, overrides: Record<string, SeveritySetting> | undefined, redactor: Redactor): Finding[] {
  if (findings.length === 0) return findings;
  const { suppressions, lines } = file;
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const override = overrides?.[f.code];
    if (override === 'off') continue;
    if (override) f.severity = override;
    const line = lines.positionAt(f.span.start).line;
    const suppressed = suppressions.get(line);
    if (suppressed && (suppressed.size === 0 || suppressed.has(f.code))) continue;
    if (!redactor.empty) {
      f.message = redactor.apply(f.message);
      if (f.data) f.data = redactor.applyDeep(f.data);
    }
    const key = `${f.code}\0${f.span.start}\0${f.span.end}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}

const RULE_SLOT = new Map<Rule, number>(RULES.map((r, i) => [r, i]));
const NONE: readonly RawFinding[] = [];

/** Runs a rule; false when it threw (reported as an internal error). */
export function guard(rule: Rule, uri: string | undefined, raw: Map<string, Finding[]>, run: () => void): boolean {
  try {
    run();
    return true;
  } catch (e) {
    internalError(rule, uri, raw, e);
    return false;
  }
}

/**
 * One resource rule on one binding, as guard() runs it (a rule that throws is reported), without
 * a closure per call: the linters run it per binding and rule at every keystroke.
 */
export function checkGuarded(rule: ResourceRule, r: BoundResource, report: Report, ctx: RuleContext, uri: string, raw: Map<string, Finding[]>): void {
  try {
    rule.check(r, report, ctx);
  } catch (e) {
    internalError(rule, uri, raw, e);
  }
}

/** Reports that a rule threw: a bug in one rule must not hide every other finding, nor crash the editor or CI. */
function internalError(rule: Rule, uri: string | undefined, raw: Map<string, Finding[]>, e: unknown): void {
  const targets = uri ? [uri] : [...raw.keys()].slice(0, 1);
  for (const t of targets) {
    raw.get(t)?.push({
      code: INTERNAL_ERROR_CODE,
      severity: 'error',
      message: `Internal error in rule ${rule.code}: ${(e as Error).message}. Please report it.`,
      uri: t,
      span: { start: 0, end: 0 },
    });
  }
}

export type { Finding, Severity, SeveritySetting };
