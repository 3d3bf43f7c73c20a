/**
 * GitHub-flavoured Markdown for `--format markdown`: what a CI step summary shows
 * ($GITHUB_STEP_SUMMARY, GitLab and Forgejo job summaries render the same tables).
 */

/** Text in a table cell or a line: Markdown's and HTML's special characters escaped, line breaks as <br>. */
export function mdText(text: string): string {
  return text.replace(/[\\`*_[\]|<>#]/g, (c) => `\\${c}`).replace(/\r?\n/g, '<br>');
}

/** Inline code; a backtick inside widens the fence. */
export function mdCode(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const inner = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return `${fence}${fence === '``' ? ` ${inner} ` : inner}${fence}`;
}

/** A table; cells are Markdown already (use mdText/mdCode). */
export function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A fenced block of raw text (a log tail). */
export function mdBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text.replace(/\n$/, '')}\n${fence}`;
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
