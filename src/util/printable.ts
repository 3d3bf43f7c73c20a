/**
 * Strings from packages and trees (member names, file names, control fields) as text a terminal
 * or a Markdown viewer shows as they are: every character that is not printable — C0 and C1
 * controls (newline, carriage return, ESC …), DEL, the line and paragraph separators U+2028/2029,
 * format characters (bidirectional overrides, zero-width spaces), lone surrogates — is written as
 * an escape, and so is the backslash, so that an escape in the output always means one character
 * of the input. A name holding "\nresult: PASS" cannot print a line of its own. A byte of a name
 * that is not UTF-8 (name-bytes.ts) is \xHH; so is an ASCII control, and every other character
 * is \u{…}: \x80…\xff always mean bytes.
 */
import { escapedByte } from './name-bytes.js';

/** What is escaped: controls, format characters, line/paragraph separators, lone surrogates, the backslash. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\\]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0) ?? 0;
  const byte = escapedByte(c) ?? (code < 0x80 ? code : undefined);
  return byte === undefined ? `\\u{${code.toString(16)}}` : `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** `text` with every character that is not printable escaped (\n, \r, \t, \\, \xHH, \u{HHHH}): one line, always. */
export function printable(text: string): string {
  return text.replace(NOT_PRINTABLE, escapeOne);
}

/** The same without line breaks, tabs and backslashes, which a log's lines have of their own. */
const NOT_PRINTABLE_IN_LINES = /[^\P{Cc}\n\t]|[\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * Multi-line text (a log's tail) as lines: line breaks (CR LF as LF), tabs and backslashes kept,
 * everything else as printable() does.
 */
export function printableLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(NOT_PRINTABLE_IN_LINES, escapeOne);
}

/** Whether `text` is one line of printable characters: nothing printable() would escape but backslashes. */
export function isPrintable(text: string): boolean {
  return !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(text);
}

/** Lines of a text report, each made printable, joined and ended with a line break. */
export function printableReport(lines: readonly string[]): string {
  return `${lines.map(printable).join('\n')}\n`;
}
