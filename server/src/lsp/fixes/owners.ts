import { humanKeyOf } from '../../workspace/index';
import { Editor, type FixProvider } from './edits';

export const PLACEHOLDER_OWNER = 'user:owner@example.com';

/** owner-missing: add an `owners` list with one user reference (a workspace user, else a placeholder). */
export const addOwners: FixProvider = ({ state, analysis, resource }) => {
  const user = state.index
    .ofType('User')
    .map((u) => humanKeyOf(u)?.value)
    .find(Boolean);
  const reference = user ? `user:${user}` : PLACEHOLDER_OWNER;
  const owners = [{ value: reference }];
  const ed = new Editor(analysis);
  const existing = resource.top.get('owners');
  if (!existing) {
    ed.addEntry(resource.resource.root, 'owners', owners);
  } else {
    const v = existing.entry.value;
    const text = ed.text.slice(v.span.start, v.span.end).trim();
    const rootFlow = resource.resource.root.flow;
    if (v.kind === 'scalar' && text === '' && !rootFlow && !ed.json) {
      // `owners:` with nothing after it: the list goes on the next lines (after any comment).
      const keyLine = ed.line(existing.entry.keySpan.start);
      const indent = ' '.repeat(ed.column(existing.entry.keySpan.start) + 2);
      ed.insert(ed.lines.lineEnd(keyLine), `${ed.eol}${indent}- value: ${ed.scalar(reference)}`);
    } else if (v.kind === 'seq' && v.items.length === 0) {
      ed.replace(v.span, ed.flowValue(owners));
    } else if (v.kind === 'scalar') {
      ed.replace(ed.trimmed(v.span), ed.flowValue(owners));
    } else return [];
  }
  return [{ title: `Add an owner (${reference})`, edits: ed.result(), preferred: true }];
};
