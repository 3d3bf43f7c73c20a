/**
 * GitHub-flavoured Markdown for `--format markdown`: what a CI step summary shows
 * ($GITHUB_STEP_SUMMARY, GitLab and Forgejo job summaries render the same tables).
 */
import { printable, printableLines } from './printable.js';

/**
 * Text in a table cell or a line: what is not printable escaped (printable(): a line break shows as
 * \n, never breaks the line), then Markdown's and HTML's special characters.
 */
export function mdText(text: string): string {
  return mdPrintable(printable(text));
}

/**
 * Text printable() made already (its escapes kept as they are): Markdown's and HTML's special
 * characters escaped, the backslash too, so that Markdown shows the escapes as printed.
 */
export function mdPrintable(text: string): string {
  return text.replace(/[\\`*_[\]|<>#]/g, (c) => `\\${c}`);
}

/** The longest run of backticks in `text` (0 when there is none). */
function longestBackticks(text: string): number {
  return Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
}

/** Inline code, what is not printable escaped; backticks inside widen the fence. */
export function mdCode(text: string): string {
  const inner = printable(text).replace(/\|/g, '\\|');
  const longest = longestBackticks(inner);
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${inner}${fence}` : `${fence} ${inner} ${fence}`;
}

/** A table; cells are Markdown already (use mdText/mdCode). */
export function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A fenced block of raw text (a log tail); its lines kept, other controls escaped (printableLines()). */
export function mdBlock(text: string): string {
  const fence = '`'.repeat(Math.max(2, longestBackticks(text)) + 1);
  return `${fence}\n${printableLines(text).replace(/\n$/, '')}\n${fence}`;
}

/** Collapsed details (GitHub renders <details>); `body` is Markdown. */
export function mdDetails(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export function mdDocument(blocks: readonly (string | undefined)[]): string {
  return `${blocks.filter((b): b is string => b !== undefined && b !== '').join('\n\n')}\n`;
}

export function mebibytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
