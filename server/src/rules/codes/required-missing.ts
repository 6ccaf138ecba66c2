import { schemaProblems } from '../analysis/schemaCheck';
import type { ResourceRule } from '../types';

export const requiredMissing: ResourceRule = {
  code: 'required-missing',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'a required attribute absent (`name` for an abbey Agent)',
  docs: 'An attribute the schema marks `required` is absent, so a SCIM server would refuse to create the resource. The finding sits on the key of the object that should hold it. Add the attribute with a real value: no fix can guess it.',
  example: {
    bad: 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nowners: [{value: user:alice}]',
    good: 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot\nowners: [{value: user:alice}]',
  },
  fixes: [],
  check(bound, report) {
    for (const p of schemaProblems(bound)) if (p.kind === 'required') report(p.span, p.message, p.data);
  },
};
