/**
 * A workspace lint that holds one file's tree at a time: each file is parsed, bound and checked
 * by its own rules alone (lintAlone), which leaves only what the rest of the lint needs of it (its
 * records, findings, disable comments and secrets: plain data, which may come from a worker
 * thread); then the cross-file rules run over every file's records (lintTogether). The findings
 * are lintWorkspace's on the same files and options (test/unit/lint-apart.test.ts).
 */
import { parseManifest, parseManifestEach } from '../manifest/parse';
import type { ManifestResource, ParsedManifest } from '../manifest/model';
import { LineIndex } from '../manifest/text';
import { bindResource, type ProfileSetting } from '../model/bind';
import type { Policies } from '../config/types';
import type { Finding, Report, ResourceRule, Rule, RuleContext, SeveritySetting } from '../rules/types';
import { RULES } from '../rules/registry';
import { viewOf } from '../workspace/index';
import { makeRecord, RecordKeys, type ResourceRecord } from '../workspace/records';
import { activeRules, checkGuarded, contextOf, finishAll, guard, lintFileRules, mayReport, pushFinding, pusher, runsOnResources } from './linter';
import { Redactor, secretValues } from './redact';

/** What the rest of a lint needs of one file, once its own rules ran. */
export interface FileAlone {
  uri: string;
  text: string;
  /** Its own rules' findings, not yet finished (severities, disable comments, redaction). */
  findings: Finding[];
  records: ResourceRecord[];
  suppressions: ParsedManifest['suppressions'];
  /** The secret values a message could quote (lint/redact.ts). */
  secrets: string[];
  /** A resource chose the `server` profile, which a lint apart does not have: lint with the index instead. */
  wantsServer: boolean;
}

export interface AloneOptions {
  profile: ProfileSetting;
  /** Rules turned off for the whole run. */
  rules?: Record<string, SeveritySetting>;
  /** One "now" for the whole run, as a lint of the index has. */
  now: Date;
  /** The file's policies. */
  policies?: Policies;
}

/** The rules a run's `rules` select, worked out once per run (its files share the object). */
interface Selected {
  fileRules: Rule[];
  /** The resource rules, each with one reporter for every file (it reports into `into`), by the set of policies a file sets (see checksFor). */
  byPolicies: Map<string, Check[]>;
  /** The same by the policies object itself: the files under one configuration share theirs, so the set is named once per configuration, not per file. */
  byPoliciesObject: WeakMap<Policies, Check[]>;
  rules: Rule[];
  /** The file and findings the reporters write to now (lintAlone is never re-entered). */
  into: { uri: string; raw: Map<string, Finding[]> };
}
interface Check {
  rule: ResourceRule;
  report: Report;
}
const selections = new WeakMap<object, Selected>();
const NO_RULES = {};

function selected(options: AloneOptions): Selected {
  const key = options.rules ?? NO_RULES;
  let known = selections.get(key);
  if (!known) {
    const rules = activeRules({ ...(options.rules ? { rules: options.rules } : {}) });
    known = {
      fileRules: rules.filter((r) => r.scope === 'file'),
      byPolicies: new Map(),
      byPoliciesObject: new WeakMap(),
      rules,
      into: { uri: '', raw: new Map() },
    };
    selections.set(key, known);
  }
  return known;
}

/** The resource rules that run on a file with these policies, chosen once per run for each set of policies its files set. */
function checksFor(known: Selected, policies: Policies | undefined): Check[] {
  const same = policies && known.byPoliciesObject.get(policies);
  if (same) return same;
  const set = policies === undefined ? '' : POLICY_NAMES.filter((name) => policies[name] !== undefined).join(',');
  let checks = known.byPolicies.get(set);
  if (!checks) {
    const { into } = known;
    checks = known.rules
      .filter((rule) => runsOnResources(rule, policies))
      .map((rule) => {
        const report: Report = (span, m, d) => pushFinding(into.raw, rule, into.uri, span, m, d);
        return { rule, report };
      });
    known.byPolicies.set(set, checks);
  }
  if (policies) known.byPoliciesObject.set(policies, checks);
  return checks;
}

/** The policies a policy rule reads (a set of these names chooses the same rules whatever their values). */
const POLICY_NAMES = [...new Set(RULES.flatMap((r) => (r.scope === 'resource' && typeof r.contextual === 'object' ? [r.contextual.policy] : [])))];

const NO_SUPPRESSIONS: ParsedManifest['suppressions'] = new Map();

/** Parses, binds and checks one file by its own rules (no cross-file rule); keeps none of its tree. */
export function lintAlone(uri: string, text: string, options: AloneOptions): FileAlone {
  const known = selected(options);
  const { fileRules, into } = known;
  const { policies } = options;
  const ctx = contextOf({ now: options.now, policies: policies ? () => policies : undefined });
  const checks = checksFor(known, policies);
  // What one reading of the file gathers (a second reading, of the whole file, starts afresh).
  const startPass = () => {
    // Set, not built from a list of pairs: that steps an iterator, per file.
    const raw = new Map<string, Finding[]>();
    const findings: Finding[] = [];
    raw.set(uri, findings);
    const push = pusher(raw);
    // The file's suppressions once it is read (below): none until then, and no map made for that.
    const alone: FileAlone = { uri, text, findings, records: [], suppressions: NO_SUPPRESSIONS, secrets: [], wantsServer: false };
    into.uri = uri;
    into.raw = raw;
    // One resource at a time, bound, checked and recorded, then let go: a big file's trees and
    // bindings are never all alive together.
    const check = (resource: ManifestResource, manifest: ParsedManifest) => {
      const bound = bindResource(manifest, resource, options.profile);
      // Indexed loops: for-of steps an iterator, which the first thousand files (before V8
      // optimises this) pay for with an object per step.
      for (let i = 0; i < checks.length; i++) {
        const { rule, report } = checks[i]!;
        // A rule that cannot report here (the certificate rules without a certificate) is not run, as in the index's lint.
        if (mayReport(rule, bound)) checkGuarded(rule, bound, report, ctx, uri, raw);
      }
      alone.records.push(makeRecord(bound));
      const secrets = secretValues(bound);
      for (let i = 0; i < secrets.length; i++) alone.secrets.push(secrets[i]!);
      if (bound.serverUnavailable !== undefined) alone.wantsServer = true;
    };
    return { alone, raw, push, check };
  };
  let pass = startPass();
  let manifest = parseManifestEach(uri, text, pass.check);
  if (!manifest) {
    // Read whole (a syntax error, a file the fast paths do not take): what the pieces gave is dropped.
    pass = startPass();
    manifest = parseManifest(uri, text);
    for (const r of manifest.resources) pass.check(r, manifest);
  }
  // The file's own rules (syntax) after its resources': the findings are sorted by position when finished.
  lintFileRules(manifest, fileRules, ctx, pass.raw, pass.push);
  pass.alone.suppressions = manifest.suppressions;
  return pass.alone;
}

export interface TogetherOptions {
  rules?: Record<string, SeveritySetting>;
  now: Date;
  policies?: RuleContext['policies'];
  /** How messages name a file (WorkspaceIndex.relativePath; see relativePaths). */
  relativePath: (uri: string) => string;
}

/** Every file's findings, keyed by uri in the files' order: the cross-file rules run over all their records. */
export function lintTogether(files: readonly FileAlone[], options: TogetherOptions): Map<string, Finding[]> {
  const keys = new RecordKeys();
  const records: ResourceRecord[] = [];
  const raw = new Map<string, Finding[]>();
  const byUri = new Map<string, FileAlone>();
  // Indexed loops over every file, once: for-of steps an iterator before V8 optimises the loop.
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    raw.set(f.uri, f.findings.slice());
    byUri.set(f.uri, f);
    for (let j = 0; j < f.records.length; j++) {
      keys.add(f.records[j]!);
      records.push(f.records[j]!);
    }
  }
  // Nothing is kept across runs: the records are this run's.
  const view = viewOf(records, keys, options.relativePath, { scope: undefined, ownerWorld: 0 });
  const ctx = contextOf(options);
  const push = pusher(raw);
  for (const rule of activeRules(options)) {
    if (rule.scope === 'workspace') guard(rule, undefined, raw, () => rule.check(view, (uri, span, m, d) => push(rule, uri, span, m, d), ctx));
  }
  return finishAll(
    raw,
    (uri) => ({ lines: new LineIndex(byUri.get(uri)!.text), suppressions: byUri.get(uri)!.suppressions }),
    options.rules,
    () => new Redactor(files.flatMap((f) => f.secrets)),
  );
}
