import { Editor, type FixProvider } from './edits';

/** credential-unbound (add-subject): add `subject` with the suggested value (externalId or name). */
export const addSubject: FixProvider = ({ analysis, resource, finding }) => {
  if (finding.data?.fix !== 'add-subject' || resource.top.has('subject')) return [];
  const subject = typeof finding.data.suggestedSubject === 'string' ? finding.data.suggestedSubject : undefined;
  if (!subject) return [];
  const ed = new Editor(analysis).addEntry(resource.resource.root, 'subject', subject);
  return [{ title: `Add subject: ${subject}`, edits: ed.result(), preferred: true }];
};
