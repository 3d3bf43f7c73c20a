/** The staged external-module tree (kernel part "headers") as package entries below a layout's directory. */
import type { StagedHeaders } from '../kernel/headers/stage.js';
import type { PackageEntry } from '../package/model.js';
import { compilerDefaultEntries, type CompilerConvention } from './compiler.js';

/** The tree's files, and its compiler default (./compiler.ts) in the family's names. */
export function headersTreeEntries(staged: StagedHeaders, root: string, compiler: CompilerConvention): PackageEntry[] {
  const tree = staged.entries.map((e): PackageEntry => {
    const path = `${root}/${e.path}`;
    if (e.kind === 'symlink') return { kind: 'symlink', path, target: e.linkTarget ?? '' };
    // Permissions as a package should have them: executable or not, never group/other-writable.
    return {
      kind: 'file',
      path,
      mode: (e.mode & 0o111) !== 0 ? 0o755 : 0o644,
      size: e.size,
      source: { from: 'disk', path: e.source },
    };
  });
  return [...tree, ...compilerDefaultEntries(staged.compiler, root, compiler)];
}
