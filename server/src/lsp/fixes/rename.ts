import { Editor, type FixProvider } from './edits';

/** Replaces the finding's text (a key, a URN or a value) with `to`, keeping its quotes. */
function renameTo(field: 'canonical' | 'suggestion', title: (to: string, from: string) => string): FixProvider {
  return ({ analysis, finding }) => {
    const to = finding.data?.[field];
    if (typeof to !== 'string' || to === '') return [];
    const ed = new Editor(analysis);
    const from = ed.text.slice(finding.span.start, finding.span.end);
    ed.replace(finding.span, ed.scalar(to, finding.span, true));
    return [{ title: title(to, from), edits: ed.result(), preferred: true }];
  };
}

/** attribute-case: the canonical spelling of a name or URN. */
export const fixCase = renameTo('canonical', (to) => `Write "${to}"`);
/** unknown-attribute: rename to the attribute it most likely means. */
export const renameUnknown = renameTo('suggestion', (to) => `Rename to "${to}"`);
/** canonical-value: the canonical value it differs from only in case. */
export const fixCanonicalValue = renameTo('suggestion', (to) => `Change to "${to}"`);
