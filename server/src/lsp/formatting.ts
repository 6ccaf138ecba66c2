import type { DocumentFormattingParams, TextEdit } from 'vscode-languageserver';
import { minimalEdits } from '../format/edits';
import { formatManifest } from '../format/format';
import type { ServerState } from './state';

/**
 * Format Document (and format on save, which the editor drives): the formatted text as the
 * fewest line edits, so the cursor and folding of untouched lines stay. A file that does not
 * parse is left as it is; its syntax error is already a diagnostic.
 */
export async function formatting(state: ServerState, params: DocumentFormattingParams): Promise<TextEdit[]> {
  const doc = state.documents.get(params.textDocument.uri);
  const analysis = state.analysis(params.textDocument.uri);
  if (!doc || !analysis) return [];
  const text = doc.getText();
  const result = await formatManifest(text, analysis.manifest.format, {
    indent: params.options.tabSize > 0 && params.options.tabSize <= 8 ? params.options.tabSize : 2,
    orderKeys: state.settingsFor(params.textDocument.uri).orderKeys,
  });
  if ('error' in result) return [];
  // The document may have changed while Prettier ran: edits for an old text would corrupt it.
  if (doc.getText() !== text) return [];
  return minimalEdits(text, result.text).map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.text }));
}
