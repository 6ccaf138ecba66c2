import type { BoundResource } from '../../model/bind';
import { humanKeyOf, labelOf } from '../../workspace/index';
import { key } from '../../workspace/keys';
import type { WorkspaceRule } from '../types';
import { attr } from '../../model/values';

/** A message names at most this many of the other holders, then says how many more there are. */
const MAX_NAMED = 3;

export const duplicateIdentifier: WorkspaceRule = {
  code: 'duplicate-identifier',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'two resources in the workspace with the same `externalId`, or the same server-unique `name`',
  docs: 'The same `externalId`, or the same server-unique name, on two resources of the workspace. Provisioning matches resources by these keys, so one of the two would overwrite the other.',
  example: { bad: '# two agents with\nexternalId: x-1', good: '# distinct ids\nexternalId: x-2' },
  fixes: [],
  check(workspace, report) {
    const flag = (r: BoundResource, attribute: string, value: string, holders: readonly BoundResource[]) => {
      if (holders.length < 2) return;
      const others = holders.filter((o) => o !== r);
      const named = others.slice(0, MAX_NAMED).map((o) => `${workspace.base.relativePath(o.uri)} (${labelOf(o)})`);
      const more = others.length > named.length ? ` and ${others.length - named.length} more` : '';
      const span = attr(r, attribute)?.entry.value.span ?? r.resource.root.span;
      report(r.uri, span, `${attribute} "${value}" is also used by ${named.join(', ')}${more}; each ${r.resourceType?.name} needs its own.`, {
        attribute,
        value,
      });
    };
    for (const r of workspace.resources()) {
      const type = r.resourceType?.name;
      if (!type) continue;
      const ext = r.normalized.externalId;
      // externalId is caseExact (RFC 7643 §3.1); the human names are not.
      if (typeof ext === 'string' && ext !== '') flag(r, 'externalId', ext, workspace.withKey(key.externalId(type, ext)));
      const human = humanKeyOf(r);
      if (human) flag(r, human.attribute, human.value, workspace.withKey(key.unique(type, human.attribute, human.value)));
    }
  },
};
