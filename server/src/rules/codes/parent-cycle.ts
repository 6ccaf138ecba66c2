import type { BoundResource } from '../analysis/bind';
import { labelOf } from '../../workspace/index';
import { parseReference } from '../../workspace/references';
import type { WorkspaceRule } from '../types';
import { subValue, valuesOf } from '../util';

export const parentCycle: WorkspaceRule = {
  code: 'parent-cycle',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'an agent hierarchy that loops',
  docs: 'An agent hierarchy that loops (a is the parent of b, b the parent of a). A server cannot create it and no agent in the loop has a root.',
  example: { bad: '# a → b → a', good: '# a → b' },
  fixes: [],
  check(workspace, report) {
    const parentOf = new Map<BoundResource, { parent: BoundResource; span: { start: number; end: number } }>();
    for (const agent of workspace.ofType('Agent')) {
      const item = valuesOf(agent, 'parent')[0];
      const v = item && subValue(agent, item, 'value');
      const ref = v && parseReference(v.value);
      if (!v || !ref || ref.kind !== 'agent') continue;
      const parent = workspace.resolve(ref)[0];
      if (parent) parentOf.set(agent, { parent, span: v.span });
    }
    for (const [agent, link] of parentOf) {
      const chain: BoundResource[] = [agent];
      let current = link.parent;
      while (current && !chain.includes(current)) {
        chain.push(current);
        current = parentOf.get(current)?.parent as BoundResource;
      }
      if (current === agent) {
        const names = [...chain, agent].map((r) => labelOf(r)).join(' → ');
        report(agent.uri, link.span, `This parent makes a loop: ${names}.`, { cycle: chain.map((r) => labelOf(r)) });
      }
    }
  },
};
