import type { DocumentFormattingParams, TextEdit } from 'vscode-languageserver';
import { minimalEdits } from '../format/edits';
import { formatManifest } from '../format/format';
import { spanToRange } from './convert';
import type { ServerState } from './state';

/**
 * Format Document (and format on save, which the editor drives): the formatted text as the
 * fewest line edits, so the cursor and folding of untouched lines stay. A file that does not
 * parse is left as it is; its syntax error is already a diagnostic.
 */
export async function formatting(state: ServerState, params: DocumentFormattingParams): Promise<TextEdit[]> {
  const uri = params.textDocument.uri;
  // Only an open document is formatted; its text is the index's (state.analysis brings it up to the editor's version).
  const analysis = state.documents.get(uri) ? state.analysis(uri) : undefined;
  if (!analysis) return [];
  const { text, lines, format } = analysis.manifest;
  const result = await formatManifest(text, format, {
    indent: params.options.tabSize > 0 && params.options.tabSize <= 8 ? params.options.tabSize : 2,
    orderKeys: state.settingsFor(params.textDocument.uri).orderKeys,
  });
  if ('error' in result) return [];
  // The document may have changed while Prettier ran: edits for an old text would corrupt it.
  if (state.analysis(uri)?.manifest.text !== text) return [];
  return minimalEdits(text, result.text).map((e) => ({ range: spanToRange(lines, e), newText: e.text }));
}
