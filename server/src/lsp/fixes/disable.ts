import { Editor, type FixProvider } from './edits';

/** Any finding in YAML: a `# scim-agents-disable-next-line CODE` comment above its line. */
export const disableForLine: FixProvider = ({ analysis, finding }) => {
  const ed = new Editor(analysis);
  if (ed.json) return [];
  ed.commentAbove(finding.span.start, `scim-agents-disable-next-line ${finding.code}`);
  return [{ title: `Disable ${finding.code} for this line`, edits: ed.result() }];
};
