/**
 * Baselines: the findings a team has accepted for now, so that only new ones are reported.
 * An entry is matched by a fingerprint that survives unrelated edits: the rule code, the
 * resource's key (its type and externalId or name), the attribute path the finding is on, and a
 * hash of its message with positions taken out, plus the file (relative to the baseline). Never
 * line numbers: adding a resource above a finding leaves its fingerprint as it was. Entries count
 * (a multiset): two identical findings in the baseline cover two, not three.
 */
import type { BoundResource } from '../model/bind';
import type { Finding } from '../rules/types';
import type { WorkspaceIndex } from '../workspace/index';
import { humanKeyOf } from '../workspace/index';

export const BASELINE_VERSION = 1;
/** Baselines are written by us and small; a bigger file is refused rather than parsed. */
export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

export interface BaselineEntry {
  fingerprint: string;
  file: string;
  code: string;
  resource: string;
  path: string;
  /** For people reading the file; matching uses its hash (inside the fingerprint). */
  message: string;
}

export interface Baseline {
  entries: BaselineEntry[];
}

/** What a finding is, independent of where in the file it stands. */
export function fingerprintOf(index: WorkspaceIndex, finding: Finding, file: string): BaselineEntry {
  const bound = index.get(finding.uri)?.resources.find((r) => within(finding.span, r.resource.root.span));
  const resource = bound ? resourceKey(bound) : '';
  const path = bound ? attributePath(bound, finding.span) : '';
  const message = normaliseMessage(finding.message);
  const fingerprint = hash([file, finding.code, resource, path, hash(message)].join('\u0000'));
  return { fingerprint, file, code: finding.code, resource, path, message: finding.message };
}

/** Splits findings into those the baseline does not cover (new) and those it does. */
export function partitionByBaseline<T>(items: readonly { item: T; entry: BaselineEntry }[], baseline: Baseline): { fresh: T[]; baselined: T[] } {
  const left = new Map<string, number>();
  for (const e of baseline.entries) left.set(e.fingerprint, (left.get(e.fingerprint) ?? 0) + 1);
  const fresh: T[] = [];
  const baselined: T[] = [];
  for (const { item, entry } of items) {
    const n = left.get(entry.fingerprint) ?? 0;
    if (n > 0) {
      left.set(entry.fingerprint, n - 1);
      baselined.push(item);
    } else fresh.push(item);
  }
  return { fresh, baselined };
}

/** The baseline file's text: sorted, one entry per finding, stable across runs. */
export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.resource.localeCompare(b.resource) ||
      a.code.localeCompare(b.code) ||
      a.path.localeCompare(b.path) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  return (
    JSON.stringify(
      {
        version: BASELINE_VERSION,
        tool: 'scim-agents',
        findings: sorted.map((e) => ({ fingerprint: e.fingerprint, file: e.file, code: e.code, resource: e.resource, path: e.path, message: e.message })),
      },
      null,
      2,
    ) + '\n'
  );
}

/** Reads a baseline file's text; a clear error for anything else. */
export function parseBaseline(text: string): Baseline | { error: string } {
  if (text.length > MAX_BASELINE_BYTES) return { error: `the baseline is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MiB` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `the baseline is not JSON (${(e as Error).message})` };
  }
  const doc = raw as { version?: unknown; findings?: unknown };
  if (!doc || typeof doc !== 'object' || doc.version !== BASELINE_VERSION || !Array.isArray(doc.findings)) {
    return { error: `the baseline is not a scim-agents baseline of version ${BASELINE_VERSION}` };
  }
  const entries: BaselineEntry[] = [];
  for (const f of doc.findings as unknown[]) {
    const e = f as Record<string, unknown>;
    if (!e || typeof e.fingerprint !== 'string') return { error: 'a baseline entry has no fingerprint' };
    entries.push({ fingerprint: e.fingerprint, file: str(e.file), code: str(e.code), resource: str(e.resource), path: str(e.path), message: str(e.message) });
  }
  return { entries };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `Agent:support-triage` (externalId first, then the human key), else the resource's position. */
function resourceKey(bound: BoundResource): string {
  const type = bound.resourceType?.name ?? 'resource';
  const ext = bound.normalized.externalId;
  if (typeof ext === 'string' && ext.trim() !== '') return `${type}:${ext}`;
  const human = humanKeyOf(bound);
  return human ? `${type}:${human.value}` : `${type}#${bound.resource.index + 1}`;
}

/** The JSON pointer of the innermost value or key the finding is on ('' for the resource as a whole). */
function attributePath(bound: BoundResource, span: { start: number; end: number }): string {
  let best: { pointer: string; size: number } | undefined;
  const consider = (pointer: string, s: { start: number; end: number }) => {
    if (!within(span, s)) return;
    const size = s.end - s.start;
    if (!best || size < best.size) best = { pointer, size };
  };
  for (const [pointer, node] of bound.nodes) if (pointer !== '') consider(pointer, node.span);
  for (const b of bound.attributes) consider(b.pointer, b.entry.keySpan);
  return best?.pointer ?? '';
}

function within(inner: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** The message without what moves with unrelated edits: line/column mentions and whitespace runs. */
export function normaliseMessage(message: string): string {
  return message
    .replace(/\b(line|column|col)\s+\d+/gi, '$1')
    .replace(/:\d+(:\d+)?\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Two 32-bit FNV-1a hashes (different offsets) as 16 hex digits: stable across platforms, no Node built-in needed. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
