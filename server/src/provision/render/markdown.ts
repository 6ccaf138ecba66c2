/**
 * A plan as a pull-request comment (GitHub-flavoured Markdown): the endpoint's host, the counts,
 * one table row per change, the attribute changes folded under <details>. Every value that comes
 * from a manifest or a server is put in a code span or a fenced block, so a manifest cannot
 * inject markup, HTML, links or @-mentions into the comment; values of secret-looking attributes
 * are masked (the linter blocks inline secrets, this is a second line of defence).
 */
import type { PatchOperation } from '../../scim';
import { valueAt, type RenderOptions } from '../render';
import type { Plan, PlanItem } from '../types';

const MAX_VALUE = 200;
const MAX_ROWS = 500;
const SECRET_NAME = /secret|password|passwd|token|private.?key|credential|apikey|api_key/i;
const MASK = '"[redacted]"';

const SYMBOL: Record<PlanItem['action'], string> = { create: '➕ create', update: '✏️ update', unchanged: 'unchanged', 'cannot-apply': '⛔ cannot apply' };

export function renderPlanMarkdown(plan: Plan, options: RenderOptions = {}): string {
  const c = plan.counts;
  const out: string[] = [
    `### SCIM Agents plan for ${code(plan.endpointHost)}`,
    '',
    `**${c.create}** to create, **${c.update}** to update, **${c.unchanged}** unchanged, **${c.cannotApply}** cannot be applied.`,
    '',
  ];
  for (const note of plan.warnings) out.push(`> ⚠️ ${code(note)}`, '');
  const changes = plan.items.filter((i) => i.action !== 'unchanged');
  if (changes.length === 0) {
    out.push('No changes.', '');
    return out.join('\n');
  }
  const labels = new Map(plan.items.map((i) => [i.key, i.label]));
  out.push('| | Resource | Type | File | Summary |', '|---|---|---|---|---|');
  for (const item of changes.slice(0, MAX_ROWS)) {
    out.push(
      `| ${SYMBOL[item.action]} | ${cell(item.label)} | ${cell(item.serverType && item.serverType !== item.resourceType ? `${item.resourceType} as ${item.serverType}` : item.resourceType)} | ${cell(where(item, options))} | ${cell(summary(item))} |`,
    );
  }
  if (changes.length > MAX_ROWS) out.push('', `… and ${changes.length - MAX_ROWS} more changes (see the JSON plan).`);
  out.push('');
  for (const item of changes.slice(0, MAX_ROWS)) {
    const lines = detailLines(item, plan, labels);
    if (lines.length === 0) continue;
    const fence = fenceFor(lines);
    out.push('<details>', `<summary>${SYMBOL[item.action]} ${htmlText(item.label)}</summary>`, '', `${fence}diff`, ...lines, fence, '', '</details>', '');
  }
  return out.join('\n');
}

function summary(item: PlanItem): string {
  switch (item.action) {
    case 'create':
      return `${Object.keys(item.body ?? {}).filter((k) => k !== 'schemas').length} attributes`;
    case 'update':
      return `${item.diff?.length ?? 0} change${item.diff?.length === 1 ? '' : 's'} (id ${item.existingId ?? '?'})`;
    case 'cannot-apply':
      return item.reason ?? 'unknown problem';
    default:
      return '';
  }
}

function detailLines(item: PlanItem, plan: Plan, labels: Map<string, string>): string[] {
  const show = (name: string, value: unknown) => preview(name, value, labels);
  const lines: string[] = [];
  if (item.action === 'create') {
    for (const [name, value] of Object.entries(item.body ?? {})) if (name !== 'schemas') lines.push(`+ ${oneLine(name)} = ${show(name, value)}`);
  } else if (item.action === 'update') {
    for (const op of item.diff ?? []) lines.push(opLine(op, plan.current.get(item.key), show));
  } else if (item.action === 'cannot-apply') {
    for (const f of item.errors ?? []) lines.push(`! ${f.code}: ${oneLine(f.message)}`);
  }
  for (const w of item.action === 'cannot-apply' ? [] : (item.warnings ?? [])) lines.push(`# warning: ${oneLine(w)}`);
  return lines;
}

function opLine(op: PatchOperation, current: Record<string, unknown> | undefined, show: (name: string, v: unknown) => string): string {
  const path = oneLine(op.path ?? '(resource)');
  if (op.op === 'remove') return `- ${path}`;
  if (op.op === 'add') return `+ ${path} = ${show(path, op.value)}`;
  const old = current && op.path && !op.path.includes('[') ? valueAt(current, op.path) : undefined;
  return old === undefined ? `~ ${path} = ${show(path, op.value)}` : `- ${path} = ${show(path, old)}\n+ ${path} = ${show(path, op.value)}`;
}

/** JSON on one line, secrets masked, `bulkId:<key>` shown as the resource it will be, shortened. */
function preview(name: string, value: unknown, labels: Map<string, string>): string {
  const text = (JSON.stringify(mask(name, value)) ?? 'null').replace(/"bulkId:([^"\\]+)"/g, (whole, key: string) =>
    labels.has(key) ? `<id of ${labels.get(key)}>` : whole,
  );
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function mask(name: string, value: unknown): unknown {
  if (SECRET_NAME.test(name)) return value === null || value === undefined ? value : JSON.parse(MASK);
  if (Array.isArray(value)) return value.map((v) => mask('', v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(k, v)]));
  return value;
}

function where(item: PlanItem, options: RenderOptions): string {
  if (!options.fileName) return '';
  const line = options.lineOf ? `:${options.lineOf(item.uri, item.span.start)}` : '';
  return `${options.fileName(item.uri)}${line}`;
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/** A table cell: the text in a code span (literal: no markup, HTML or mentions), pipes escaped as GFM tables require. */
export function cell(text: string): string {
  return text === '' ? '' : code(text).replace(/\|/g, '\\|');
}

/** An inline code span whose fence is longer than any backtick run inside (CommonMark §6.1). */
export function code(text: string): string {
  const flat = oneLine(text);
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Text inside an HTML element (<summary>): entities for what HTML or Markdown would interpret. */
export function htmlText(text: string): string {
  return oneLine(text).replace(/[&<>"'`*_[\]\\|@#!~()]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A code fence longer than any run of backticks in the lines, so no line can close it. */
function fenceFor(lines: readonly string[]): string {
  const longest = Math.max(0, ...lines.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  return '`'.repeat(Math.max(3, longest + 1));
}
