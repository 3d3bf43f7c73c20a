/**
 * Kconfig output files: `.config` and `include/config/auto.conf`.
 *
 * Both are `CONFIG_NAME=value` lines. Strings are double-quoted in `.config` but, since Linux 5.x
 * (scripts/kconfig/confdata.c), written without quotes in auto.conf; both forms are accepted.
 * Disabled options appear only as `# CONFIG_NAME is not set` comments, so an absent key means "n".
 */
export type KconfigValues = ReadonlyMap<string, string>;

export function parseKconfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('CONFIG_')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    values.set(line.slice(0, eq), unquote(line.slice(eq + 1)));
  }
  return values;
}

/**
 * include/generated/autoconf.h, the C view of the same configuration: `#define CONFIG_NAME 1` for
 * y, `#define CONFIG_NAME_MODULE 1` for m, strings and numbers as written. Returned in
 * parseKconfig's form (y, m, unquoted strings); an int option set to 1 reads as y, since the header
 * cannot tell the two apart.
 */
export function parseAutoconfHeader(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const match of text.matchAll(/^#define[ \t]+(CONFIG_\w+)[ \t]+(.*?)[ \t]*$/gm)) {
    const [, name = '', value = ''] = match;
    if (value === '1' && name.endsWith('_MODULE')) values.set(name.slice(0, -'_MODULE'.length), 'm');
    else values.set(name, value === '1' ? 'y' : unquote(value));
  }
  return values;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return value;
}

/** `y` or `m`. Accepts names with or without the CONFIG_ prefix. */
export function isEnabled(config: KconfigValues, name: string): boolean {
  const v = config.get(withPrefix(name));
  return v === 'y' || v === 'm';
}

export function configValue(config: KconfigValues, name: string): string | undefined {
  return config.get(withPrefix(name));
}

/** Every enabled symbol whose name starts with the prefix, without the CONFIG_ prefix, sorted. */
export function enabledWithPrefix(config: KconfigValues, prefix: string): string[] {
  const full = withPrefix(prefix);
  return [...config.keys()]
    .filter((k) => k.startsWith(full) && isEnabled(config, k))
    .map((k) => k.slice('CONFIG_'.length))
    .sort();
}

function withPrefix(name: string): string {
  return name.startsWith('CONFIG_') ? name : `CONFIG_${name}`;
}
