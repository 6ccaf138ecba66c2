import type { ResourceRule } from '../types';
import { resourceAnchor } from '../../workspace/keys';

export const schemasMissing: ResourceRule = {
  code: 'schemas-missing',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'a resource with no `schemas`, or no known core schema URN in it',
  docs: 'Every SCIM resource names its schemas (RFC 7643 §3): without a core schema URN in `schemas`, scim-agents cannot tell an Agent from an AgenticApplication and cannot check any attribute. The quick fix adds the core schema the attributes point to.',
  example: { bad: 'name: bot\nowners: [{value: user:alice}]', good: 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot' },
  fixes: ['add-schemas'],
  check(bound, report) {
    const entry = bound.schemasEntry;
    const resourceTypes = bound.profile.resourceTypes.map((t) => t.schema);
    if (!entry) {
      report(
        resourceAnchor(bound),
        'This resource has no "schemas". Every SCIM resource names its schema, e.g. schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent].',
        {
          suggestions: resourceTypes,
        },
      );
      return;
    }
    if (entry.value.kind !== 'seq') {
      report(entry.value.span, '"schemas" must be a list of schema URNs.', { suggestions: resourceTypes });
      return;
    }
    for (const { entry: used, urn } of bound.undeclaredExtensions) {
      report(used.keySpan, `The extension schema ${urn} is used here but not listed in "schemas"; add it there (RFC 7643 §3).`, { suggestions: [urn] });
    }
    if (bound.resourceType) return;
    // Unknown URNs are schema-unknown's to report; here: URNs all known, but none is a resource type's core schema.
    if (bound.declaredSchemas.some((s) => !s.canonical)) return;
    report(
      entry.keySpan,
      `None of these schemas is the core schema of a resource type in profile ${bound.profile.id}; add one of: ${resourceTypes.join(', ')}.`,
      {
        suggestions: resourceTypes,
      },
    );
  },
};
