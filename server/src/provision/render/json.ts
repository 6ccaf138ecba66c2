/**
 * The plan as a versioned JSON document, for policy engines (conftest/OPA) and other tools.
 * `schemas/plan.schema.json` describes it. Compatibility promise: within one `formatVersion`,
 * members are only ever added, never renamed, removed or given another meaning; a change that
 * breaks a reader bumps the version.
 */
import { planToJson, type RenderOptions } from '../render';
import type { Plan } from '../types';

export const PLAN_FORMAT_VERSION = 1;

export function planDocument(plan: Plan, options: RenderOptions = {}): Record<string, unknown> {
  const base = planToJson(plan);
  const items = (base.items as Record<string, unknown>[]).map((item, i) => {
    const source = plan.items[i]!;
    return {
      ...item,
      ...(options.fileName ? { file: options.fileName(source.uri) } : {}),
      ...(options.lineOf ? { line: options.lineOf(source.uri, source.span.start) } : {}),
    };
  });
  return { formatVersion: PLAN_FORMAT_VERSION, ...base, items };
}
