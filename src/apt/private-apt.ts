import { execa } from 'execa';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputsKey } from '../cache/fingerprint.js';
import { KpkgError } from '../util/errors.js';
import { isFile } from '../util/fs.js';
import { lastLines } from '../util/last-lines.js';

/**
 * apt with a configuration and state of kpkg's own, the way devscripts' `chdist` works: its own
 * sources list (one suite of one mirror), package lists, download directory and an empty dpkg status,
 * and `APT::Architecture` set to the target. It reads indexes and downloads packages of any
 * architecture as an ordinary user, without `dpkg --add-architecture` and without touching the build
 * machine's apt state — so a foreign index that lags the build machine's (Multi-Arch: same packages
 * need one version on every architecture) cannot get in the way.
 */
export interface AptSourceSpec {
  /** Archive URI, e.g. http://deb.debian.org/debian or http://ports.ubuntu.com/ubuntu-ports. */
  readonly mirror: string;
  readonly suite: string;
  readonly components: readonly string[];
  /** Keyring the Release file must be signed with; undefined: apt's trusted keys. */
  readonly keyring?: string | undefined;
  /** Architectures to index; the first is APT::Architecture. */
  readonly architectures: readonly string[];
}

/** One package as apt resolved it. */
export interface ResolvedPackage {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
}

/** The sources.list line for a spec. */
export function sourcesLine(spec: AptSourceSpec): string {
  const options = [`arch=${spec.architectures.join(',')}`];
  if (spec.keyring !== undefined) options.push(`signed-by=${spec.keyring}`);
  return `deb [${options.join(' ')}] ${spec.mirror} ${spec.suite} ${spec.components.join(' ')}\n`;
}

/** `-o` options that point apt at the private state in `dir`. */
export function privateAptOptions(dir: string, spec: AptSourceSpec, uid: number = process.getuid?.() ?? -1): string[] {
  const set: Record<string, string> = {
    'Dir::Etc::SourceList': join(dir, 'sources.list'),
    'Dir::Etc::SourceParts': join(dir, 'sources.list.d'),
    'Dir::Etc::Preferences': join(dir, 'preferences'),
    'Dir::Etc::PreferencesParts': join(dir, 'preferences.d'),
    'Dir::State': dir,
    'Dir::State::Lists': join(dir, 'lists'),
    'Dir::State::status': join(dir, 'status'),
    'Dir::Cache': dir,
    'Dir::Cache::Archives': join(dir, 'archives'),
    // No binary caches: they would be rebuilt on every run anyway, lists are the state.
    'Dir::Cache::pkgcache': '',
    'Dir::Cache::srcpkgcache': '',
    'APT::Architecture': spec.architectures[0] ?? '',
    'APT::Architectures': spec.architectures.join(','),
    'Acquire::Languages': 'none',
    'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled': 'false',
    // The lock files are kpkg's own; kpkg serialises its runs with its own lock.
    'Debug::NoLocking': '1',
    'APT::Get::List-Cleanup': '1',
  };
  // As root apt downloads as the _apt user, which cannot write into root's home directory.
  if (uid === 0) set['APT::Sandbox::User'] = 'root';
  return Object.entries(set).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
}

/** `apt-get -s install` output: "Inst NAME [OLD] (VERSION SUITE... [ARCH])" for every package it would unpack. */
export function parseSimulatedInstall(output: string): ResolvedPackage[] {
  const packages: ResolvedPackage[] = [];
  for (const line of output.split('\n')) {
    const m = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) .*\[([^\]]+)\]\)/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) continue;
    packages.push({ name: m[1].replace(/:[a-z0-9-]+$/, ''), version: m[2], arch: m[3] });
  }
  return packages;
}

/** Lists older than this are refreshed before packages are resolved from them. */
const LISTS_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export class PrivateApt {
  private readonly options: string[];

  constructor(
    readonly dir: string,
    readonly spec: AptSourceSpec,
    private readonly onCommand?: (command: string) => void,
  ) {
    this.options = privateAptOptions(dir, spec);
  }

  private async prepare(): Promise<void> {
    for (const sub of ['lists/partial', 'archives/partial', 'sources.list.d', 'preferences.d'])
      await mkdir(join(this.dir, sub), { recursive: true });
    await writeFile(join(this.dir, 'sources.list'), sourcesLine(this.spec));
    if (!(await isFile(join(this.dir, 'status')))) await writeFile(join(this.dir, 'status'), '');
  }

  private async run(
    tool: 'apt-get' | 'apt-cache',
    args: readonly string[],
    cwd?: string,
  ): Promise<{ ok: boolean; output: string }> {
    const argv = [...this.options, ...args];
    this.onCommand?.(`${tool} ${args.join(' ')}   (private apt state in ${this.dir})`);
    const r = await execa(tool, argv, {
      reject: false,
      all: true,
      stdin: 'ignore',
      env: { LC_ALL: 'C' },
      ...(cwd === undefined ? {} : { cwd }),
    });
    if (r.failed && r.exitCode === undefined) {
      throw new KpkgError(`cannot run ${tool}: ${r.shortMessage}`, {
        hint: 'kpkg fetches target libraries with apt: install apt, or pass --sysroot DIR with the target libraries unpacked',
      });
    }
    return { ok: r.exitCode === 0, output: r.all ?? '' };
  }

  /** Time of the newest index in the lists directory, undefined when there is none. */
  private async listsTime(): Promise<number | undefined> {
    let newest: number | undefined;
    const dir = join(this.dir, 'lists');
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.endsWith('_Packages') && !name.endsWith('_Packages.lz4')) continue;
      const t = (await stat(join(dir, name))).mtimeMs;
      newest = newest === undefined ? t : Math.max(newest, t);
    }
    return newest;
  }

  /**
   * Makes sure package lists are there: fetched when missing or older than a day (or when `force`).
   * A failed refresh with lists already present goes on with them; `onWarning` says so.
   */
  async update(force = false, onWarning?: (message: string) => void): Promise<void> {
    await this.prepare();
    const time = await this.listsTime();
    if (!force && time !== undefined && Date.now() - time < LISTS_MAX_AGE_MS) return;
    const r = await this.run('apt-get', ['update']);
    const after = await this.listsTime();
    const what = `${this.spec.suite} (${this.spec.architectures.join(', ')}) from ${this.spec.mirror}`;
    if (after === undefined || (!r.ok && time === undefined)) {
      throw new KpkgError(`cannot fetch the package lists of ${what}:\n${lastLines(r.output, 8)}`, {
        where: this.dir,
        hint: `check the mirror and suite (--mirror URI, --target-suite NAME), or pass --sysroot DIR with the target's libraries unpacked`,
      });
    }
    if (!r.ok)
      onWarning?.(
        `refreshing the package lists of ${what} failed; using the lists of ${new Date(time ?? 0).toISOString()}`,
      );
  }

  /**
   * Every package `apt-get install` would unpack on an empty system for `packages`, with its exact
   * version: the closure of their dependencies (Recommends not followed).
   */
  async resolve(packages: readonly string[]): Promise<ResolvedPackage[]> {
    return this.remembered(['resolve', ...packages], () => this.resolveNow(packages));
  }

  /**
   * What `compute` gave for the same question and the same package lists (their files' state), kept
   * under memo/ in the private directory: apt reading its lists costs seconds of CPU on every run.
   */
  private async remembered<T>(question: readonly string[], compute: () => Promise<T>): Promise<T> {
    const key = await inputsKey({
      words: ['apt memo 1', this.spec.mirror, this.spec.suite, ...this.spec.architectures, ...question],
      trees: [join(this.dir, 'lists')],
    });
    const file = join(this.dir, 'memo', `${key}.json`);
    try {
      return (JSON.parse(await readFile(file, 'utf8')) as { answer: T }).answer;
    } catch {
      const answer = await compute();
      await mkdir(join(this.dir, 'memo'), { recursive: true });
      await writeFile(`${file}.${process.pid}`, JSON.stringify({ answer }));
      await rename(`${file}.${process.pid}`, file);
      return answer;
    }
  }

  private async resolveNow(packages: readonly string[]): Promise<ResolvedPackage[]> {
    const r = await this.run('apt-get', ['-s', '-q', 'install', '--no-install-recommends', ...packages]);
    const resolved = parseSimulatedInstall(r.output);
    if (!r.ok || resolved.length === 0) {
      throw new KpkgError(
        `apt cannot resolve ${packages.join(' ')} in ${this.spec.suite} for ${this.spec.architectures[0] ?? ''}:\n${lastLines(r.output, 8)}`,
        {
          where: this.dir,
          hint: `the suite may not carry them for this architecture: choose another with --target-suite, or pass --sysroot DIR`,
        },
      );
    }
    return resolved;
  }

  /** Fields of the candidate version of a package (`apt-cache show`), undefined when there is none. */
  async show(name: string): Promise<Map<string, string> | undefined> {
    const r = await this.run('apt-cache', ['show', '--no-all-versions', name]);
    if (!r.ok) return undefined;
    const fields = new Map<string, string>();
    for (const line of r.output.split('\n')) {
      const m = /^([\w-]+):\s*(.*)$/.exec(line);
      if (m?.[1] !== undefined && m[2] !== undefined && !fields.has(m[1])) fields.set(m[1], m[2]);
    }
    return fields;
  }

  /** The candidate version of a package, undefined when the lists have none. */
  async candidate(name: string): Promise<ResolvedPackage | undefined> {
    const found = await this.remembered(['candidate', name], async () => {
      const fields = await this.show(name);
      const version = fields?.get('Version');
      const arch = fields?.get('Architecture');
      return version === undefined || arch === undefined ? null : { name, version, arch };
    });
    return found ?? undefined;
  }

  /** Names of the packages in the lists that start with `prefix` (`apt-cache pkgnames`), sorted. */
  async packageNames(prefix: string): Promise<string[]> {
    return this.remembered(['pkgnames', prefix], async () => {
      const r = await this.run('apt-cache', ['pkgnames', prefix]);
      return r.output
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith(prefix))
        .sort();
    });
  }

  /** Downloads the exact versions into the private archive directory (kept there) and returns each .deb's path. */
  async download(packages: readonly ResolvedPackage[]): Promise<string[]> {
    const archives = join(this.dir, 'archives');
    const fileOf = (p: ResolvedPackage): string =>
      join(archives, `${p.name}_${p.version.replace(/:/g, '%3a')}_${p.arch}.deb`);
    const missing: ResolvedPackage[] = [];
    for (const p of packages) if (!(await isFile(fileOf(p)))) missing.push(p);
    if (missing.length > 0) {
      const r = await this.run(
        'apt-get',
        ['download', ...missing.map((p) => `${p.name}:${p.arch}=${p.version}`)],
        archives,
      );
      const still = [];
      for (const p of missing) if (!(await isFile(fileOf(p)))) still.push(p);
      if (!r.ok || still.length > 0) {
        throw new KpkgError(
          `cannot download ${still.map((p) => `${p.name} ${p.version}`).join(', ') || 'the target packages'} from ${this.spec.mirror}:\n${lastLines(r.output, 8)}`,
          {
            where: archives,
            hint: 'the package lists may be out of date: `kpkg sysroot --refresh` fetches them again',
          },
        );
      }
    }
    return packages.map(fileOf);
  }
}
