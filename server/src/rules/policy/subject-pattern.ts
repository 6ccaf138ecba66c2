import { compileWildcard, type Wildcard } from '../../config/wildcard';
import type { ResourceRule } from '../types';
import { attr } from '../../model/values';

const compiled = new Map<string, Wildcard | undefined>();

function wildcard(pattern: string): Wildcard | undefined {
  if (!compiled.has(pattern)) {
    if (compiled.size > 100) compiled.clear();
    try {
      compiled.set(pattern, compileWildcard(pattern));
    } catch {
      compiled.set(pattern, undefined); // reported as a problem of the configuration file
    }
  }
  return compiled.get(pattern);
}

export const policySubjectPattern: ResourceRule = {
  code: 'policy-subject-pattern',
  scope: 'resource',
  contextual: { policy: 'subjectPattern' }, // reads this policy of the manifest's .scim-agents.yaml
  defaultSeverity: 'error',
  title: "policy (subjectPattern): an Agent whose subject does not match the organisation's pattern (e.g. a SPIFFE trust domain)",
  docs: 'Set by `policies.subjectPattern` in `.scim-agents.yaml`: an Agent whose `subject` does not match the pattern, a restricted glob (`*` within a path segment, `**` across segments, `?` one character) matched in linear time, for example a SPIFFE trust domain `spiffe://example.com/agents/*`. Silent unless the policy is set.',
  example: { bad: 'subject: spiffe://other.org/agents/bot', good: 'subject: spiffe://example.com/agents/bot' },
  fixes: [],
  check(bound, report, ctx) {
    const pattern = ctx.policies?.(bound.uri)?.subjectPattern;
    if (pattern === undefined || bound.resourceType?.name !== 'Agent') return;
    const subject = bound.normalized.subject;
    const at = attr(bound, 'subject');
    if (typeof subject !== 'string' || !at) return;
    const w = wildcard(pattern);
    if (!w || w.test(subject)) return;
    report(
      at.entry.value.span,
      `subject "${subject.length > 200 ? `${subject.slice(0, 200)}…` : subject}" does not match the organisation's pattern "${pattern}".`,
      { pattern },
    );
  },
};
