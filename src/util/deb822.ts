/**
 * deb822 text (Debian policy 5.1; the format of control files, dpkg's status, .buildinfo/.changes
 * and apt's .sources): paragraphs separated by blank lines, "Name: value" fields, continuation
 * lines starting with a space or tab. One reader for all of them.
 */

/**
 * Every paragraph as a map from field name to value. A continuation line is appended after a
 * newline without its leading whitespace (so a multi-line field reads "first\nsecond"); comment
 * lines (`#` in the first column) and lines that are no field are skipped.
 */
export function deb822Paragraphs(text: string): Map<string, string>[] {
  const paragraphs: Map<string, string>[] = [];
  let fields = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (fields.size > 0) paragraphs.push(fields);
      fields = new Map();
      current = undefined;
    } else if (line.startsWith('#')) {
      continue;
    } else if ((line.startsWith(' ') || line.startsWith('\t')) && current !== undefined) {
      fields.set(current, `${fields.get(current) ?? ''}\n${line.trim()}`);
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      current = line.slice(0, colon).trim();
      fields.set(current, line.slice(colon + 1).trim());
    }
  }
  if (fields.size > 0) paragraphs.push(fields);
  return paragraphs;
}

/** A field's value by name, ignoring case as deb822 does ("URIs" = "uris"). */
export function deb822Field(paragraph: ReadonlyMap<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of paragraph) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
