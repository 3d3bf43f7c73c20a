/**
 * depmod's modules.dep (/lib/modules/<release>/modules.dep): one line per module, its path
 * relative to the modules directory, a colon, and the paths of the modules it needs, in load
 * order (kmod's depmod, libkmod/libkmod-module.c reads the same format).
 */

/** Module path → the paths it depends on. */
export type ModulesDep = ReadonlyMap<string, readonly string[]>;

export function parseModulesDep(text: string): ModulesDep {
  const deps = new Map<string, readonly string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const path = line.slice(0, colon).trim();
    deps.set(
      path,
      line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)
        .filter((p) => p !== ''),
    );
  }
  return deps;
}

/** A module's name as the kernel knows it: the file name without .ko[.xz|.zst|.gz], '-' as '_'. */
export function moduleName(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.replace(/\.ko(\.(xz|zst|gz))?$/, '').replaceAll('-', '_');
}

/** `paths` and everything they need, each once, in a stable order. */
export function withDependencies(deps: ModulesDep, paths: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = [...paths];
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(deps.get(next) ?? []));
  }
  return [...seen].sort();
}
