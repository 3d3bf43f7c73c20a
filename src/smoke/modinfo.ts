/** Fields of `modinfo <file.ko>` output; a field can repeat (alias, depends, parm...). */
export type ModinfoFields = ReadonlyMap<string, readonly string[]>;

/** Parses `modinfo` output: "key:   value" lines (values can contain colons). */
export function parseModinfo(text: string): ModinfoFields {
  const fields = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_.-]+):\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, key = '', value = ''] = match;
    const values = fields.get(key) ?? [];
    values.push(value.trimEnd());
    fields.set(key, values);
  }
  return fields;
}

/**
 * Whether a module's vermagic was made for `release`: vermagic is "<release> SMP preempt
 * mod_unload ..." so the release must be followed by a space (6.1.0-56 must not match 6.1.0-56-arm64).
 */
export function vermagicMatchesRelease(vermagic: string, release: string): boolean {
  return vermagic.startsWith(`${release} `);
}
