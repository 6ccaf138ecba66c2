import type { BoundResource } from '../analysis/bind';
import { humanKeyOf, labelOf } from '../../workspace/index';
import { key } from '../../workspace/keys';
import type { WorkspaceRule } from '../types';
import { attr } from '../util';

export const duplicateIdentifier: WorkspaceRule = {
  code: 'duplicate-identifier',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'two resources in the workspace with the same `externalId`, or the same server-unique `name`',
  fixable: false,
  check(workspace, report) {
    const flag = (r: BoundResource, attribute: string, value: string, holders: readonly BoundResource[]) => {
      if (holders.length < 2) return;
      const others = holders.filter((o) => o !== r).map((o) => `${o.uri.split('/').pop()} (${labelOf(o)})`);
      const span = attr(r, attribute)?.entry.value.span ?? r.resource.root.span;
      report(r.uri, span, `${attribute} "${value}" is also used by ${others.join(', ')}; each ${r.resourceType?.name} needs its own.`, { attribute, value });
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
