import type { Span } from '../../manifest/text';
import type { ResourceRecord } from '../../workspace/records';
import type { WorkspaceRule } from '../types';

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
    const flag = (r: ResourceRecord, attribute: string, value: string, span: Span, holders: readonly ResourceRecord[]) => {
      if (holders.length < 2) return;
      const others = holders.filter((o) => o !== r);
      const named = others.slice(0, MAX_NAMED).map((o) => `${workspace.relativePath(o.uri)} (${o.label})`);
      const more = others.length > named.length ? ` and ${others.length - named.length} more` : '';
      report(r.uri, span, `${attribute} "${value}" is also used by ${named.join(', ')}${more}; each ${r.type} needs its own.`, {
        attribute,
        value,
      });
    };
    for (const r of workspace.records()) {
      const type = r.type;
      if (!type) continue;
      const ext = r.externalId;
      // externalId is caseExact (RFC 7643 §3.1); the human names are not.
      if (ext && ext.value !== '') flag(r, 'externalId', ext.value, ext.span, workspace.withKey(ext.key));
      const human = r.human;
      if (human) flag(r, human.attribute, human.value, human.span, workspace.withKey(human.key));
    }
  },
};
