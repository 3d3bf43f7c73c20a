/** The last `count` lines of `text` (a trailing newline does not count as an empty last line). */
export function lastLines(text: string, count: number): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  return lines.slice(Math.max(0, lines.length - count)).join('\n');
}
