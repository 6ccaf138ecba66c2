/**
 * What the edits of each open document left alone: the client sends every change as a range and
 * its new text, so the stretch a keystroke touched is known without comparing the texts (two
 * passes over a large file per keystroke, manifest/text.ts commonEnds). The parse of the next
 * version takes it from here (ServerState.analysis).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TextDocumentsConfiguration } from 'vscode-languageserver';
import type { CommonEnds } from '../manifest/text';

/** The changes of one document since version `from` (its last analysed version), up to version `to`. */
interface Stretch {
  from: number;
  to: number;
  /** No change before this offset (in every version since `from`). */
  prefix: number;
  /** No change in the last `suffix` characters. */
  suffix: number;
  /** A change replaced the whole text: nothing is known. */
  whole: boolean;
}

export class DocumentChanges {
  private readonly stretches = new Map<string, Stretch>();

  /** TextDocuments' configuration: documents as TextDocument makes them, their changes noted here. */
  readonly configuration: TextDocumentsConfiguration<TextDocument> = {
    create: (uri, languageId, version, content) => {
      this.stretches.set(uri, unchanged(version));
      return TextDocument.create(uri, languageId, version, content);
    },
    update: (document, changes, version) => this.update(document, changes, version),
  };

  /**
   * What version `to` of a document shares with version `from` (the caller's analysis of it), when
   * every change between them was noted; undefined when not (the caller compares the texts). The
   * caller analyses `to` next: later questions are about the changes after it.
   */
  take(uri: string, from: number, to: number): CommonEnds | undefined {
    const s = this.stretches.get(uri);
    if (!s) return undefined;
    this.stretches.set(uri, unchanged(to));
    if (s.from !== from || s.to !== to || s.whole || s.prefix === Infinity) return undefined;
    return { prefix: s.prefix, suffix: s.suffix };
  }

  forget(uri: string): void {
    this.stretches.delete(uri);
  }

  private update(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    const s = this.stretches.get(document.uri);
    // One change at a time: each range is in the text the changes before it left.
    for (const change of changes) {
      if (!('range' in change)) {
        TextDocument.update(document, [change], version);
        if (s) s.whole = true;
        continue;
      }
      // Offsets clamped to the text, the ends in either order. TextDocument is handed the range
      // back as positions within the text: it keeps its line starts by the range's line numbers
      // unclamped, and a line past the end (a client's stale view) left holes in them, every
      // later offset NaN.
      const a = document.offsetAt(change.range.start);
      const b = document.offsetAt(change.range.end);
      const start = Math.min(a, b);
      const range = { start: document.positionAt(start), end: document.positionAt(Math.max(a, b)) };
      TextDocument.update(document, [{ range, text: change.text }], version);
      if (s) {
        s.prefix = Math.min(s.prefix, start);
        s.suffix = Math.min(s.suffix, document.getText().length - start - change.text.length);
      }
    }
    if (s) s.to = version;
    return document;
  }
}

function unchanged(version: number): Stretch {
  return { from: version, to: version, prefix: Infinity, suffix: Infinity, whole: false };
}
