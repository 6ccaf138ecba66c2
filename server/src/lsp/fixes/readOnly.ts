import { Editor, parentMapOf, type FixProvider } from './edits';

/** read-only-attribute: delete the entry (its lines in block YAML, the entry and a comma in flow). */
export const removeReadOnly: FixProvider = ({ analysis, resource, finding }) => {
  const pointer = finding.data?.pointer;
  const attribute =
    resource.attributes.find((a) => a.pointer === pointer && a.entry.keySpan.start === finding.span.start) ??
    resource.attributes.find((a) => a.entry.keySpan.start === finding.span.start);
  if (!attribute) return [];
  const map = parentMapOf(resource.resource.root, attribute.entry);
  if (!map) return [];
  const ed = new Editor(analysis).removeEntry(map, attribute.entry);
  return [{ title: `Remove read-only "${String(finding.data?.attribute ?? attribute.entry.key)}"`, edits: ed.result(), preferred: true }];
};
