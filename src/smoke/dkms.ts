/**
 * DKMS packages of the target's distribution built on the emulated target against the installed
 * headers, with the real dkms tool — what users of a board do first with a headers package, and
 * where cross-built headers fail most often ("Exec format error" from fixdep, "cannot load plugin").
 * A DKMS package ships its source in /usr/src/<PACKAGE_NAME>-<PACKAGE_VERSION>/ with a dkms.conf
 * (dkms(8)); its postinst registers it with `dkms add`, so `dkms status` lists it as "added".
 * Installing the headers may already have built it: their postinst runs the header_postinst.d
 * hooks, where dkms's own hook runs `dkms autoinstall` for the release.
 */
import { readdir } from 'node:fs/promises';
import { relative } from 'node:path';
import { KpkgError } from '../util/errors.js';
import { lastLines } from '../util/last-lines.js';
import { readTextOrUndefined } from '../util/fs.js';
import type { TargetRunResult } from './target.js';
import { findKoFiles } from './ko-files.js';
import { resolveInRoot } from './path-in-root.js';
import { parseModinfo, vermagicMatchesRelease } from './modinfo.js';

export interface DkmsRequest {
  /** The Debian package, e.g. v4l2loopback-dkms. */
  package: string;
  /** A version to install instead of the suite's candidate. */
  version?: string | undefined;
}

export interface DkmsResult {
  package: string;
  /** The DKMS module name and version (dkms.conf's PACKAGE_NAME and PACKAGE_VERSION). */
  module: string;
  version: string;
  ok: boolean;
  /** What built it: the headers' header_postinst.d hook (dkms autoinstall), or kpkg's `dkms build`. */
  builtBy?: 'hook' | 'dkms build' | undefined;
  /** Every .ko the build left, as paths in the target's root (/var/lib/dkms/...), sorted. */
  moduleFiles?: string[] | undefined;
  /** The built module's vermagic (the first .ko). */
  vermagic?: string | undefined;
  /** On failure: the end of dkms's output and of its make.log. */
  logTail?: string | undefined;
}

const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
const VERSION = /^[A-Za-z0-9.+~:-]+$/;

/** "name[=version]" as --dkms takes it. */
export function parseDkmsRequest(text: string): DkmsRequest {
  const [name = '', version] = text.split('=', 2);
  if (!PACKAGE.test(name) || (version !== undefined && !VERSION.test(version))) {
    throw new KpkgError(`"${text}" is not a Debian package name with an optional =version`, {
      hint: 'pass e.g. --dkms v4l2loopback-dkms or --dkms v4l2loopback-dkms=0.12.7-2',
      exitCode: 2,
    });
  }
  return { package: name, version };
}

/** How apt names it in the rootfs's package list (name=version pins the version). */
export function aptSpec(request: DkmsRequest): string {
  return request.version === undefined ? request.package : `${request.package}=${request.version}`;
}

/** What dkms 3 says of a module for one kernel: built, or built and installed into /lib/modules. */
export type DkmsKernelState = 'built' | 'installed';

/** One module of `dkms status`, with the kernels it is built for. */
export interface DkmsStatusEntry {
  module: string;
  version: string;
  kernels: { kernel: string; arch: string; state: DkmsKernelState }[];
}

/**
 * `dkms status` (dkms 3): "name/version: added" for a registered module, and
 * "name/version, <kernel>, <arch>: built|installed" for each kernel it is built for — the state
 * may carry a note in parentheses ("installed (WARNING! Diff between built and installed module!)").
 * Other lines (warnings, other states) add the module at most. Each module once, in order.
 */
export function parseDkmsStatus(text: string): DkmsStatusEntry[] {
  const found = new Map<string, DkmsStatusEntry>();
  for (const line of text.split('\n')) {
    const m = /^([^/\s,]+)\/([^,:\s]+)(?:,\s*([^,\s]+),\s*([^,:\s]+))?:\s*(\S*)/.exec(line.trim());
    if (m?.[1] === undefined || m[2] === undefined) continue;
    const key = `${m[1]}/${m[2]}`;
    const entry = found.get(key) ?? { module: m[1], version: m[2], kernels: [] };
    found.set(key, entry);
    const [kernel, arch, state] = [m[3], m[4], m[5]];
    if (kernel !== undefined && arch !== undefined && (state === 'built' || state === 'installed'))
      entry.kernels.push({ kernel, arch, state });
  }
  return [...found.values()];
}

/** Whether `dkms status` says the module is built (or installed) for the release. */
export function builtForRelease(entry: DkmsStatusEntry, release: string): boolean {
  return entry.kernels.some((k) => k.kernel === release);
}

/** The /usr/src/<dir> holding a dkms.conf that a package installed, from dpkg's file list in the rootfs. */
async function sourceDirsOf(root: string, pkg: string): Promise<string[]> {
  // Resolved inside the rootfs: what the packages' scripts left there may be a symbolic link.
  const info = await resolveInRoot(root, '/var/lib/dpkg/info');
  const lists = (await readdir(info)).filter(
    (f) => f === `${pkg}.list` || (f.startsWith(`${pkg}:`) && f.endsWith('.list')),
  );
  const dirs: string[] = [];
  for (const list of lists) {
    for (const line of (
      (await readTextOrUndefined(await resolveInRoot(root, `/var/lib/dpkg/info/${list}`))) ?? ''
    ).split('\n')) {
      const m = /^\/usr\/src\/([^/]+)\/dkms\.conf$/.exec(line);
      if (m?.[1] !== undefined) dirs.push(m[1]);
    }
  }
  return dirs;
}

export type RunInRoot = (argv: string[]) => Promise<TargetRunResult>;

/**
 * Builds every DKMS module the requested packages installed, with `dkms build -k <release>`,
 * each whatever the others do — unless `dkms status` says it is built for the release already
 * (the headers' hook did it); a module counts as built when its .ko carries the release's vermagic.
 */
export async function buildDkmsModules(
  root: string,
  run: RunInRoot,
  requests: readonly DkmsRequest[],
  release: string,
): Promise<DkmsResult[]> {
  const status = await run(['dkms', 'status']);
  const registered = parseDkmsStatus(status.output);
  const results: DkmsResult[] = [];
  for (const request of requests) {
    const dirs = await sourceDirsOf(root, request.package);
    const modules = registered.filter((r) => dirs.includes(`${r.module}-${r.version}`));
    if (modules.length === 0) {
      results.push({
        package: request.package,
        module: '?',
        version: '?',
        ok: false,
        logTail: `kpkg: ${request.package} registered no DKMS module (its /usr/src dirs: ${dirs.join(', ') || 'none'}; dkms status:\n${status.output.trim()})`,
      });
      continue;
    }
    for (const entry of modules) {
      const { module, version } = entry;
      const tree = `/var/lib/dkms/${module}/${version}`;
      let builtBy: DkmsResult['builtBy'];
      let tail: string;
      if (builtForRelease(entry, release)) {
        builtBy = 'hook';
        tail = `kpkg: dkms status before any dkms build:\n${status.output.trim()}`;
      } else {
        const built = await run(['dkms', 'build', '-m', module, '-v', version, '-k', release]);
        if (built.exitCode !== 0) {
          const makeLog = await readTextOrUndefined(await resolveInRoot(root, `${tree}/build/make.log`));
          results.push({
            package: request.package,
            module,
            version,
            ok: false,
            logTail: `${built.tail}${makeLog === undefined ? '' : `\n--- make.log (end)\n${lastLines(makeLog, 25)}`}`,
          });
          continue;
        }
        builtBy = 'dkms build';
        tail = built.tail;
      }
      // No directory for the release: dkms built nothing for it.
      const koFiles = await findKoFiles(await resolveInRoot(root, `${tree}/${release}`)).catch((): string[] => []);
      const moduleFiles = koFiles.map((ko) => `/${relative(root, ko)}`);
      const ko = moduleFiles[0];
      if (ko === undefined) {
        results.push({
          package: request.package,
          module,
          version,
          ok: false,
          builtBy,
          moduleFiles,
          logTail: `${tail}\nkpkg: ${builtBy === 'hook' ? 'dkms status says it is built' : 'dkms build succeeded'} but left no .ko under /var/lib/dkms/${module}/${version}/${release}`,
        });
        continue;
      }
      const modinfo = await run(['modinfo', ko]);
      const vermagic = parseModinfo(modinfo.output).get('vermagic')?.[0] ?? '';
      const ok = modinfo.exitCode === 0 && vermagicMatchesRelease(vermagic, release);
      results.push({
        package: request.package,
        module,
        version,
        ok,
        builtBy,
        moduleFiles,
        vermagic,
        ...(ok ? {} : { logTail: `${modinfo.tail}\nkpkg: vermagic '${vermagic}' is not for ${release}` }),
      });
    }
  }
  return results;
}
