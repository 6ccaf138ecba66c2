import type { BoundResource } from '../analysis/bind';
import { labelOf, type Workspace } from '../../workspace/index';
import { parseReference } from '../../workspace/references';
import type { WorkspaceRule } from '../types';
import { subValue, valuesOf } from '../util';

export const parentCycle: WorkspaceRule = {
  code: 'parent-cycle',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'an agent hierarchy that loops',
  fixable: false,
  check(workspace, report) {
    for (const agent of workspace.ofType('Agent')) {
      const link = parentLink(workspace, agent);
      if (!link) continue;
      // Follows the chain through lookups: the parents may live in files outside the view.
      const chain: BoundResource[] = [agent];
      const seen = new Set(chain);
      let current: BoundResource | undefined = link.parent;
      while (current && !seen.has(current)) {
        chain.push(current);
        seen.add(current);
        current = parentLink(workspace, current)?.parent;
      }
      if (current === agent) {
        const names = [...chain, agent].map((r) => labelOf(r)).join(' → ');
        report(agent.uri, link.span, `This parent makes a loop: ${names}.`, { cycle: chain.map((r) => labelOf(r)) });
      }
    }
  },
};

function parentLink(workspace: Workspace, agent: BoundResource): { parent: BoundResource; span: { start: number; end: number } } | undefined {
  if (agent.resourceType?.name !== 'Agent') return undefined;
  const item = valuesOf(agent, 'parent')[0];
  const v = item && subValue(agent, item, 'value');
  const ref = v && parseReference(v.value);
  if (!v || !ref || ref.kind !== 'agent') return undefined;
  const parent = workspace.resolve(ref)[0];
  return parent ? { parent, span: v.span } : undefined;
}
