import { profilesDefining } from '../../schema/profiles';
import type { ResourceRule } from '../types';

export const schemaUnknown: ResourceRule = {
  code: 'schema-unknown',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'a schema URN that no profile defines',
  docs: "A URN in `schemas` that no profile defines, or that the file's profile does not know. A server would reject the resource or ignore the extension. Check the spelling against the draft, or choose the profile that defines it.",
  example: { bad: 'schemas: [urn:example:made:up]', good: 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]' },
  fixes: [],
  check(bound, report) {
    for (const declared of bound.declaredSchemas) {
      if (!declared.canonical) {
        report(declared.span, `Unknown schema "${declared.written}": no profile defines it.`, { urn: declared.written });
        continue;
      }
      if (!bound.profile.schemas.has(declared.canonical)) {
        const where = profilesDefining(declared.canonical);
        report(
          declared.span,
          `"${declared.canonical}" is not part of profile ${bound.profile.id}` + (where.length ? ` (it is defined by ${where.join(', ')}).` : '.'),
          {
            urn: declared.canonical,
            profiles: where,
          },
        );
      }
    }
  },
};
