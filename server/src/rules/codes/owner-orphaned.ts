import { ownerTargetsOfAgents } from '../analysis/owners';
import type { WorkspaceRule } from '../types';

export const ownerOrphaned: WorkspaceRule = {
  code: 'owner-orphaned',
  scope: 'workspace',
  defaultSeverity: 'warning',
  title: 'an owner that is inactive or deleted, or a group without members',
  fixable: false,
  check(workspace, report, ctx) {
    for (const [agent, owners] of ownerTargetsOfAgents(workspace, ctx.directory)) {
      for (const owner of owners) {
        if (owner.status !== 'orphaned') continue;
        report(agent.uri, owner.span, owner.message, { reference: owner.reference, kind: owner.kind, source: owner.source });
      }
    }
  },
};
