import { parseReference, REFERENCE_SLOTS } from '../../workspace/references';
import type { WorkspaceRule } from '../types';

export const referenceUnresolved: WorkspaceRule = {
  code: 'reference-unresolved',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: '`parent`, `agents`, `members` references that resolve to nothing',
  docs: 'A `parent`, `agents` or `members` reference that resolves to nothing in the workspace, or to a resource of the wrong kind (a parent must be an agent).',
  example: { bad: 'parent: {value: agent:nobody}', good: 'parent: {value: agent:orchestrator}' },
  fixes: [],
  check(workspace, report) {
    for (const slot of REFERENCE_SLOTS) {
      if (slot.attribute === 'owners') continue; // owner-unresolved's
      for (const r of workspace.ofType(slot.resourceType)) {
        for (const v of r.references) {
          if (v.attribute !== slot.attribute || v.value === undefined || !v.span) continue;
          const ref = parseReference(v.value);
          if (!ref) continue; // a server id: checked at plan time
          if (!slot.accepts.includes(ref.kind)) {
            report(r.uri, v.span, `"${slot.attribute}" of ${r.label} takes ${slot.accepts.map((k) => `${k}:`).join(' or ')} references, not ${ref.kind}:.`, {
              reference: v.value,
              accepts: [...slot.accepts],
            });
            continue;
          }
          if (workspace.resolve(ref).length === 0) {
            report(
              r.uri,
              v.span,
              `"${v.value}" does not match any ${ref.kind === 'application' ? 'AgenticApplication' : ref.kind} declared in the workspace (by externalId or name).`,
              {
                reference: v.value,
                kind: ref.kind,
              },
            );
          }
        }
      }
    }
  },
};
