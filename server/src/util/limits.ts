/**
 * Past this many characters a manifest is refused with a diagnostic rather than parsed, and a
 * file of more bytes is not read from disk: the parser, the formatter and the file reader share
 * one cap.
 */
export const MAX_MANIFEST_CHARS = 32 * 1024 * 1024;
