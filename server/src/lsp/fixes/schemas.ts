import { Editor, type FixProvider } from './edits';

/** schemas-missing: add `schemas` (or the missing core URN), one action per resource type. */
export const addSchemas: FixProvider = ({ analysis, resource, finding }) => {
  const suggestions = Array.isArray(finding.data?.suggestions)
    ? (finding.data!.suggestions as unknown[]).filter((s): s is string => typeof s === 'string')
    : [];
  const entry = resource.schemasEntry;
  return suggestions.flatMap((urn, i) => {
    const ed = new Editor(analysis);
    const short = urn.split(':').pop();
    if (!entry) ed.addEntry(resource.resource.root, 'schemas', [urn], 'first');
    else if (entry.value.kind === 'seq') ed.appendItem(entry.value, urn);
    else if (entry.value.kind === 'scalar') {
      const current = entry.value.value;
      const list = current === null || current === '' ? [urn] : [String(current), urn];
      ed.replace(ed.trimmed(entry.value.span), ed.flowValue(list));
    } else return [];
    return [{ title: entry ? `Add ${short} to schemas` : `Add schemas: [${short}]`, edits: ed.result(), preferred: i === 0 }];
  });
};
