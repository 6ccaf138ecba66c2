import type { BoundResource } from '../analysis/bind';
import { humanKeyOf, labelOf } from '../../workspace/index';
import type { WorkspaceRule } from '../types';
import { attr } from '../util';
import { appendTo } from '../../util/maps';

export const duplicateIdentifier: WorkspaceRule = {
  code: 'duplicate-identifier',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'two resources in the workspace with the same `externalId`, or the same server-unique `name`',
  docs: 'The same `externalId`, or the same server-unique name, on two resources of the workspace. Provisioning matches resources by these keys, so one of the two would overwrite the other.',
  example: { bad: '# two agents with\nexternalId: x-1', good: '# distinct ids\nexternalId: x-2' },
  fixes: [],
  check(workspace, report) {
    const groups = new Map<string, { r: BoundResource; attribute: string; value: string }[]>();
    const add = (k: string, v: { r: BoundResource; attribute: string; value: string }) => appendTo(groups, k, v);
    for (const r of workspace.resources()) {
      const type = r.resourceType?.name;
      if (!type) continue;
      const ext = r.normalized.externalId;
      // externalId is caseExact (RFC 7643 §3.1); the human names are not.
      if (typeof ext === 'string' && ext !== '') add(`${type}\0externalId\0${ext}`, { r, attribute: 'externalId', value: ext });
      const key = humanKeyOf(r);
      if (key) add(`${type}\0${key.attribute}\0${key.value.toLowerCase()}`, { r, attribute: key.attribute, value: key.value });
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      for (const { r, attribute, value } of list) {
        const others = list.filter((o) => o.r !== r).map((o) => `${workspace.relativePath(o.r.uri)} (${labelOf(o.r)})`);
        const span = attr(r, attribute)?.entry.value.span ?? r.resource.root.span;
        report(r.uri, span, `${attribute} "${value}" is also used by ${others.join(', ')}; each ${r.resourceType?.name} needs its own.`, {
          attribute,
          value,
        });
      }
    }
  },
};
