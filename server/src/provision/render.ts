/**
 * Plans and results for people (terraform-like text) and for machines (JSON). The text names the
 * endpoint's host up front and ends with the counts, so nobody applies to the wrong server.
 */
import type { PatchOperation } from '../scim';
import { printable } from '../util/printable';
import type { ApplyResult, Plan, PlanItem } from './types';

/**
 * Every piece of manifest or server text in the text renderers goes through `printable`, so a
 * name, a reason or a server's error detail cannot start a line of its own (`::error …` in CI).
 */
export interface RenderOptions {
  /** How a file is named (default: the uri). */
  fileName?: (uri: string) => string;
  /** 1-based line of an offset in a file, for error locations. */
  lineOf?: (uri: string, offset: number) => number;
}

const MAX_VALUE = 100;

export function renderPlanText(plan: Plan, options: RenderOptions = {}): string {
  const out: string[] = [`Plan for ${printable(plan.endpointHost)}:`, ''];
  const labels = new Map(plan.items.map((i) => [i.key, i.label]));
  const show = (value: unknown) => printable(preview(value, labels));
  for (const note of plan.warnings) out.push(`warning: ${printable(note)}`);
  if (plan.warnings.length) out.push('');
  for (const item of plan.items) {
    const where = location(item, options);
    switch (item.action) {
      case 'create':
        out.push(`  + create ${describe(item)}${where}`);
        for (const [name, value] of Object.entries(item.body ?? {})) {
          if (name === 'schemas') continue;
          out.push(`      + ${printable(name)} = ${show(value)}`);
        }
        break;
      case 'update':
        out.push(`  ~ update ${describe(item)} (id ${printable(item.existingId ?? '')})${where}`);
        for (const op of item.diff ?? []) out.push(`      ${opLine(op, plan.current.get(item.key), show)}`);
        break;
      case 'unchanged':
        out.push(`  = unchanged ${describe(item)}${where}`);
        break;
      case 'cannot-apply':
        out.push(`  ! cannot apply ${describe(item)}${where} because ${printable(item.reason ?? 'of an unknown problem')}`);
        for (const f of item.errors ?? []) {
          const line = options.lineOf ? `line ${options.lineOf(f.uri, f.span.start)}: ` : '';
          out.push(`      ${line}${printable(f.code)}: ${printable(f.message)}`);
        }
        break;
    }
    for (const w of item.action === 'cannot-apply' ? [] : (item.warnings ?? [])) out.push(`      warning: ${printable(w)}`);
  }
  const c = plan.counts;
  out.push(
    '',
    `Plan: ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.cannotApply} cannot be applied (endpoint ${printable(plan.endpointHost)}).`,
    '',
  );
  return out.join('\n');
}

export function renderApplyText(result: ApplyResult, options: RenderOptions = {}): string {
  const out: string[] = [];
  for (const r of result.items) {
    const where = options.fileName ? ` (${printable(options.fileName(r.uri))})` : '';
    const label = printable(r.label);
    if (r.status === 'applied') out.push(`  ✓ ${r.outcome ?? 'applied'} ${label}${r.id ? ` (id ${printable(r.id)})` : ''}${where}`);
    else if (r.status === 'unchanged')
      out.push(`  = ${r.outcome === 'absent' ? 'not on the server' : r.outcome === 'kept' ? 'kept' : 'unchanged'} ${label}${where}`);
    else out.push(`  ${r.status === 'failed' ? '✗ failed' : '- skipped'} ${label}${where}: ${printable(errorText(r.error))}`);
    for (const w of r.warnings ?? []) out.push(`      warning: ${printable(w)}`);
  }
  const c = result.counts;
  out.push(
    '',
    `${result.cancelled ? 'Cancelled. ' : ''}${c.applied} applied, ${c.unchanged} unchanged, ${c.failed} failed, ${c.skipped} skipped (endpoint ${printable(result.endpointHost)}).`,
    '',
  );
  return out.join('\n');
}

function errorText(error: { status: number; scimType?: string; detail: string } | undefined): string {
  if (!error) return 'unknown reason';
  const code = error.status ? `${error.status}${error.scimType ? ` ${error.scimType}` : ''}: ` : '';
  return `${code}${error.detail}`;
}

/** The plan as plain JSON (stable keys; the server state read while planning is left out). */
export function planToJson(plan: Plan): Record<string, unknown> {
  return {
    endpointHost: plan.endpointHost,
    baseUrl: plan.baseUrl,
    counts: plan.counts,
    warnings: plan.warnings,
    items: plan.items.map((i) => ({
      key: i.key,
      uri: i.uri,
      span: i.span,
      label: i.label,
      resourceType: i.resourceType,
      ...(i.serverType ? { serverType: i.serverType } : {}),
      ...(i.endpoint ? { endpoint: i.endpoint } : {}),
      action: i.action,
      ...(i.reason ? { reason: i.reason } : {}),
      ...(i.errors ? { errors: i.errors.map((f) => ({ code: f.code, severity: f.severity, message: f.message, uri: f.uri, span: f.span })) } : {}),
      ...(i.warnings ? { warnings: i.warnings } : {}),
      ...(i.lookup ? { lookup: i.lookup } : {}),
      ...(i.existingId ? { existingId: i.existingId } : {}),
      dependsOn: i.dependsOn,
      ...(i.diff ? { diff: i.diff } : {}),
      ...(i.action === 'create' && i.body ? { body: i.body } : {}),
    })),
  };
}

function describe(item: PlanItem): string {
  return printable(item.serverType && item.serverType !== item.resourceType ? `${item.label} as ${item.serverType}` : item.label);
}

function location(item: PlanItem, options: RenderOptions): string {
  if (!options.fileName) return '';
  const line = options.lineOf ? `:${options.lineOf(item.uri, item.span.start)}` : '';
  return `  [${printable(options.fileName(item.uri))}${line}]`;
}

function opLine(op: PatchOperation, current: Record<string, unknown> | undefined, show: (v: unknown) => string): string {
  const path = printable(op.path ?? '(resource)');
  if (op.op === 'remove') return `- ${path}`;
  if (op.op === 'add') return `+ ${path} = ${show(op.value)}`;
  const old = current && op.path && !op.path.includes('[') ? valueAt(current, op.path) : undefined;
  return old === undefined ? `~ ${path} = ${show(op.value)}` : `~ ${path}: ${show(old)} → ${show(op.value)}`;
}

/** The value at a dotted attribute path (names matched case-insensitively, as SCIM's are). */
export function valueAt(resource: Record<string, unknown>, path: string): unknown {
  let value: unknown = resource;
  for (const segment of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const lower = segment.toLowerCase();
    const key = Object.keys(value).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : (value as Record<string, unknown>)[key];
  }
  return value;
}

/** JSON, shortened, with `bulkId:<key>` shown as the resource it will be. */
function preview(value: unknown, labels: Map<string, string>): string {
  const text = (JSON.stringify(value) ?? 'null').replace(/"bulkId:([^"\\]+)"/g, (whole, key: string) =>
    labels.has(key) ? `<id of ${labels.get(key)}>` : whole,
  );
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
