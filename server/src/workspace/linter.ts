import type { Span } from '../manifest/text';
import type { BoundResource, ProfileSetting, ServerProfileState } from '../rules/analysis/bind';
import { INTERNAL_ERROR_CODE, RULES } from '../rules/registry';
import type { Directory, Finding, Rule, RuleContext, Severity, SeveritySetting } from '../rules/types';
import { type FileAnalysis, WorkspaceIndex } from './index';
import { type Redactor, redactorFor } from './redact';

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

/** Findings for every file of the index, keyed by uri, sorted by position. */
export function lintWorkspace(index: WorkspaceIndex, options: LintOptions = {}, only?: ReadonlySet<string>): Map<string, Finding[]> {
  const ctx: RuleContext = { now: options.now ?? new Date(), ...(options.directory ? { directory: options.directory } : {}), ...(options.policies ? { policies: options.policies } : {}) };
  const raw = new Map<string, Finding[]>();
  for (const uri of index.uris()) if (!only || only.has(uri)) raw.set(uri, []);
  const push = (rule: Rule, uri: string, span: Span, message: string, data?: Record<string, unknown>) => {
    const list = raw.get(uri);
    if (!list) return;
    const ruleSeverity = data?.severity;
    const severity: Severity = ruleSeverity === 'warning' || ruleSeverity === 'info' || ruleSeverity === 'error' ? ruleSeverity : rule.defaultSeverity;
    list.push({ code: rule.code, severity, message, uri, span, ...(data ? { data } : {}) });
  };

  const active = RULES.filter((r) => options.rules?.[r.code] !== 'off');
  for (const file of index.fileAnalyses()) {
    const uri = file.manifest.uri;
    if (!raw.has(uri)) continue;
    for (const rule of active) {
      if (rule.scope === 'file') guard(rule, uri, raw, () => rule.check(file.manifest, (span, m, d) => push(rule, uri, span, m, d), ctx));
      else if (rule.scope === 'resource') {
        for (const r of file.resources) {
          const cached = rule.contextual ? undefined : resourceCache.get(r.top)?.[RULE_SLOT.get(rule)!];
          if (cached) {
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
          if (ok && !rule.contextual) cacheFindings(r, rule, found ?? NONE);
        }
      }
    }
  }
  for (const rule of active) {
    if (rule.scope !== 'workspace') continue;
    guard(rule, undefined, raw, () => rule.check(index, (uri, span, m, d) => push(rule, uri, span, m, d), ctx));
  }

  const out = new Map<string, Finding[]>();
  const redactor = redactorFor(index.resources());
  for (const [uri, findings] of raw) {
    const file = index.get(uri)!;
    out.set(uri, finish(findings, file, options.rules, redactor));
  }
  return out;
}

/**
 * Applies severity overrides and disable comments, redacts secret material (every message
 * passes here, whichever rule wrote it), removes duplicates, sorts by position.
 */
function finish(findings: Finding[], file: FileAnalysis, overrides: Record<string, SeveritySetting> | undefined, redactor: Redactor): Finding[] {
  if (findings.length === 0) return findings;
  const { suppressions, lines } = file.manifest;
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

interface RawFinding {
  span: Span;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * What each resource rule reported on a binding, kept while the binding lives. A resource rule
 * reads only its resource's binding (and, when `contextual`, the run's context), and the index
 * keeps a binding (its `top` map, shared by the copies it makes for a re-parsed file) for as
 * long as the resource's text, position and profile are unchanged; so an edit reruns the rules
 * of the resources it touched only.
 */
const resourceCache = new WeakMap<BoundResource['top'], (readonly RawFinding[] | undefined)[]>();
const RULE_SLOT = new Map<Rule, number>(RULES.map((r, i) => [r, i]));
const NONE: readonly RawFinding[] = [];

function cacheFindings(r: BoundResource, rule: Rule, found: readonly RawFinding[]): void {
  let perRule = resourceCache.get(r.top);
  if (!perRule) resourceCache.set(r.top, (perRule = new Array<readonly RawFinding[] | undefined>(RULES.length)));
  perRule[RULE_SLOT.get(rule)!] = found;
}

/** Runs a rule; false when it threw (reported as an internal error). */
function guard(rule: Rule, uri: string | undefined, raw: Map<string, Finding[]>, run: () => void): boolean {
  try {
    run();
    return true;
  } catch (e) {
    // A bug in one rule must not hide every other finding, nor crash the editor or CI.
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
    return false;
  }
}

export type { Finding, Severity, SeveritySetting };
