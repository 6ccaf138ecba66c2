import { ownerTargetsOfAgents } from '../analysis/owners';
import type { WorkspaceRule } from '../types';

export const ownerOrphaned: WorkspaceRule = {
  code: 'owner-orphaned',
  scope: 'workspace',
  defaultSeverity: 'warning',
  title: 'an owner that is inactive or deleted, or a group without members',
  docs: 'An owner that exists but cannot be accountable: an inactive or deleted user, or a group without members. Choose an active owner.',
  example: { bad: 'owners: [{value: user:carol}]  # carol has active: false', good: 'owners: [{value: user:alice}]' },
  fixes: [],
  check(workspace, report, ctx) {
    for (const [agent, owners] of ownerTargetsOfAgents(workspace, ctx)) {
      for (const owner of owners) {
        if (owner.status !== 'orphaned') continue;
        report(agent.uri, owner.span, owner.message, { reference: owner.reference, kind: owner.kind, source: owner.source });
      }
    }
  },
};
