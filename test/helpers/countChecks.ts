import { RULES } from '../../server/src/rules/registry';
import type { ResourceRule } from '../../server/src/rules/types';

/** Checks of the resource rules while `run` runs, by kind; `byCode` has every resource rule's own count. */
export interface CheckCounts {
  kept: number;
  namesLines: number;
  policies: number;
  byCode: Map<string, number>;
}

/** Counts the checks of every resource rule while `run` runs (each rule's `check` wrapped, then put back). */
export function countChecks(run: () => void): CheckCounts {
  const counts: CheckCounts = { kept: 0, namesLines: 0, policies: 0, byCode: new Map() };
  const rules = RULES.filter((r): r is ResourceRule => r.scope === 'resource');
  const originals = rules.map((r) => r.check);
  rules.forEach((r, i) => {
    const kind = typeof r.contextual === 'object' ? 'policies' : r.contextual ? undefined : r.namesLines ? 'namesLines' : 'kept';
    (r as { check: ResourceRule['check'] }).check = (...args) => {
      if (kind) counts[kind]++;
      counts.byCode.set(r.code, (counts.byCode.get(r.code) ?? 0) + 1);
      originals[i]!(...args);
    };
  });
  try {
    run();
  } finally {
    rules.forEach((r, i) => ((r as { check: ResourceRule['check'] }).check = originals[i]!));
  }
  return counts;
}
