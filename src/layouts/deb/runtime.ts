/**
 * The headers package's Depends, computed the way dpkg-shlibdeps computes them: what its ELF files
 * need (src/elf/needs.ts) looked up in the shlibs/symbols files of the target's library packages
 * (src/debian/shlibdeps.ts), read from the roots the rebuild used or from kpkg's own sysroot of
 * the target architecture — never from the build machine's libraries. Plus the kernel's compiler, which
 * modules are built with (./compiler.ts), and the exact gcc build its GCC plugins were compiled against:
 * gcc loads them into no other (gcc-plugins.ts).
 */
import { join } from 'node:path';
import { ShlibsDatabase } from '../../debian/database.js';
import { parseDependency } from '../../debian/relations.js';
import { resolveShlibsDepends } from '../../debian/shlibdeps.js';
import { conventionalPackageName, conventionalPackages } from '../../debian/soname-packages.js';
import type { RuntimeNeeds } from '../../elf/needs.js';
import type { KernelCompiler } from '../../kernel/compiler.js';
import {
  debianCompilerVersion,
  PLUGIN_COMPILER_RECORD,
  type PluginCompiler,
} from '../../kernel/headers/gcc-plugins.js';
import type { PackageRelation } from '../../package/model.js';
import type { TargetPackageRoots, TargetRoot } from '../../sysroot/target-roots.js';
import { isDirectory } from '../../util/fs.js';
import { compilerRelations } from '../compiler.js';
import type { HeadersRuntime, RuntimeRelations } from '../layout.js';
import { DEBIAN_COMPILER_NAMES } from './compiler.js';

/** The package data of one root, as much of it as is there. */
async function rootDatabase(root: TargetRoot, debianArch: string): Promise<ShlibsDatabase[]> {
  const found: ShlibsDatabase[] = [];
  if (root.kind !== 'build-machine' && (await isDirectory(join(root.path, '.kpkg/control'))))
    found.push(await ShlibsDatabase.fromControlDirs(root.path, { architecture: debianArch }));
  if (await isDirectory(join(root.path, 'var/lib/dpkg/info')))
    found.push(await ShlibsDatabase.fromDpkgInfo(root.path, debianArch, { unqualified: root.kind === 'debian-root' }));
  return found;
}

async function database(roots: readonly TargetRoot[], debianArch: string): Promise<ShlibsDatabase> {
  const all = (await Promise.all(roots.map((r) => rootDatabase(r, debianArch)))).flat();
  return new ShlibsDatabase(
    all.flatMap((d) => d.packages),
    roots.map((r) => r.path).join(', '),
  );
}

/** gcc-<N> and cpp-<N> (cc1, which loads the plugins), both of the exact build: gcc checks nothing less. */
export function compilerDepends(compiler: PluginCompiler): PackageRelation[] {
  const version = debianCompilerVersion(compiler);
  if (version === undefined) return [];
  return [`gcc-${compiler.major}`, `cpp-${compiler.major}`].map((name) => ({ name, version: { op: '=', version } }));
}

async function libraryDepends(needs: RuntimeNeeds, target: TargetPackageRoots): Promise<RuntimeRelations> {
  if (needs.libraries.length === 0) return { depends: [], warnings: [] };
  const known = await database(target.known, target.debianArch);
  let result = resolveShlibsDepends(needs.libraries, known);
  if (result.unresolved.length > 0 && target.fetch !== undefined) {
    // The known roots stay first and are not read again; kpkg's sysroot only adds to them.
    const fetched = await database([await target.fetch()], target.debianArch);
    result = resolveShlibsDepends(
      needs.libraries,
      new ShlibsDatabase([...known.packages, ...fetched.packages], `${known.where}, ${fetched.where}`),
    );
  }
  const guessed = result.unresolved.map((soname) => ({
    soname,
    name: conventionalPackages(soname)[0] ?? conventionalPackageName(soname),
  }));
  return {
    depends: [...result.depends.map(parseDependency), ...guessed.map(({ name }) => ({ name }))],
    warnings: guessed.map(
      ({ soname, name }) =>
        `no shlibs or symbols file of the ${target.debianArch} packages declares ${soname}: assumed it comes from ${name} (Debian policy 8.1); pass --sysroot with the target's dpkg database to compute it`,
    ),
  };
}

/** The GCC plugins' exact gcc build, or a warning that it cannot be named. */
function pluginCompilerRelations(compiler: PluginCompiler | undefined): {
  depends: PackageRelation[];
  warnings: string[];
} {
  if (compiler === undefined) return { depends: [], warnings: [] };
  const pinned = compilerDepends(compiler);
  if (pinned.length > 0) return { depends: pinned, warnings: [] };
  return {
    depends: [],
    warnings: [
      `the GCC plugins' compiler (${compiler.pkgversion ?? compiler.basever}) is not a Debian build: the headers package cannot name it; see ${PLUGIN_COMPILER_RECORD} in the package`,
    ],
  };
}

/** The major versions of `stem`<N> packages among `names` ("gcc-" → 12, 13 from gcc-12, gcc-13). */
function majorsOf(stem: string, names: readonly string[]): number[] {
  return names.flatMap((n) => (/^\d+$/.test(n.slice(stem.length)) ? [Number(n.slice(stem.length))] : []));
}

/**
 * The kernel's compiler package (gcc-12, clang-14) when the target release does not carry it: a warning
 * that names the kernel's compiler, the release's nearest major, and what follows on the target.
 */
async function releaseCompilerWarnings(
  compiler: KernelCompiler | undefined,
  plugins: boolean,
  target: TargetPackageRoots,
): Promise<string[]> {
  if (compiler === undefined || target.release === undefined) return [];
  const stem = `${compiler.kind}-`;
  const wanted = `${stem}${compiler.major}`;
  let suite: string;
  let names: string[];
  try {
    const release = await target.release();
    suite = release.suite;
    names = await release.packageNames(stem);
  } catch (e) {
    return [`cannot check that the target release carries ${wanted}: ${e instanceof Error ? e.message : String(e)}`];
  }
  if (names.includes(wanted)) return [];
  const nearest = majorsOf(stem, names).sort(
    (a, b) => Math.abs(a - compiler.major) - Math.abs(b - compiler.major) || b - a,
  )[0];
  const consequence = plugins
    ? "this kernel's GCC plugins load into no other gcc, so no module builds on the target"
    : "modules built there with another major make the kernel's Makefile warn that the compiler differs";
  return [
    `${suite} has no ${wanted} for ${target.debianArch}, the compiler the kernel was built with (${compiler.versionText}); ${nearest === undefined ? `it has no ${compiler.kind} package` : `its nearest is ${stem}${nearest}`}: ${consequence}. Build the kernel with the release's compiler, or name the release that has it with --target-suite`,
  ];
}

export async function debianRuntimeRelations(
  runtime: HeadersRuntime,
  target: TargetPackageRoots,
): Promise<RuntimeRelations> {
  const libraries = await libraryDepends(runtime.needs, target);
  const plugins = pluginCompilerRelations(runtime.pluginCompiler);
  // The kernel's compiler, where the plugins' exact build does not already name it (gcc-12 (= …) covers gcc-12).
  const pinned = new Set(plugins.depends.map((d) => d.name));
  const compiler = compilerRelations(runtime.compiler, DEBIAN_COMPILER_NAMES).filter((r) => !pinned.has(r.name));
  const release = await releaseCompilerWarnings(runtime.compiler, runtime.pluginCompiler !== undefined, target);
  return {
    depends: [...libraries.depends, ...compiler, ...plugins.depends],
    warnings: [...libraries.warnings, ...plugins.warnings, ...release],
  };
}
