/**
 * The packages being verified together, seen as the one tree they install: path lookup and
 * symlink resolution across packages (Debian's linux-headers-<abi>-arm64 reaches its scripts/
 * through a symlink into linux-kbuild), never touching the real file system.
 */
import { KpkgError } from '../util/errors.js';
import { runSteps, type Steps } from '../util/interrupt.js';
import { parentOf } from './member-path.js';
import type { Member, ReadPackage } from './model.js';

export interface SetMember extends Member {
  /** The package that ships it. */
  pkg: ReadPackage;
}

export interface Resolution {
  /** The path with every symlink in it resolved (as far as the set knows). */
  path: string;
  /** What is there: a member, an implied directory (a parent of members), or nothing the set ships. */
  kind: 'file' | 'dir' | 'symlink' | 'other' | 'missing';
  member?: SetMember;
  /** The symlinks followed, as "link -> target". */
  via: string[];
}

/** Linux gives up after 40 symlinks in one lookup (MAXSYMLINKS, include/linux/namei.h). */
export const MAX_SYMLINK_HOPS = 40;

/** FileSet.filling's step. */
const FILL_STEP = 4096;
/** The constructor's mark for FileSet.filling: the set is filled afterwards, in steps. */
const UNFILLED = Symbol('unfilled');

export class FileSet {
  readonly packages: readonly ReadPackage[];
  readonly #members = new Map<string, SetMember>();
  readonly #dirs = new Set<string>(['/']);
  /** Non-directory paths shipped by more than one package. */
  readonly conflicts: { path: string; packages: string[] }[] = [];

  constructor(packages: readonly ReadPackage[], unfilled?: typeof UNFILLED) {
    this.packages = packages;
    if (unfilled !== UNFILLED) runSteps(this.#fill());
  }

  /** The set of `packages`, made in steps of FILL_STEP members (verify's run lets signals in between). */
  static *filling(packages: readonly ReadPackage[]): Steps<FileSet> {
    const set = new FileSet(packages, UNFILLED);
    yield* set.#fill();
    return set;
  }

  *#fill(): Steps<void> {
    const owners = new Map<string, string[]>();
    let count = 0;
    for (const pkg of this.packages) {
      for (const member of pkg.members) {
        if (++count % FILL_STEP === 0) yield;
        for (let dir = parentOf(member.path); !this.#dirs.has(dir); dir = parentOf(dir)) this.#dirs.add(dir);
        if (member.type === 'dir') {
          this.#dirs.add(member.path);
          if (!this.#members.has(member.path)) this.#members.set(member.path, { ...member, pkg });
          continue;
        }
        const previous = this.#members.get(member.path);
        if (previous !== undefined && previous.type !== 'dir' && previous.pkg !== pkg) {
          const names = owners.get(member.path);
          if (names === undefined) owners.set(member.path, [previous.pkg.name, pkg.name]);
          else names.push(pkg.name);
        }
        this.#members.set(member.path, { ...member, pkg });
      }
    }
    for (const [path, names] of owners) this.conflicts.push({ path, packages: names });
  }

  /** The member at exactly this path (no symlink resolution). */
  get(path: string): SetMember | undefined {
    return this.#members.get(path);
  }

  /** Every member, all packages. */
  *all(): Generator<SetMember, void, undefined> {
    yield* this.#members.values();
  }

  isDirectory(path: string): boolean {
    return this.#dirs.has(path);
  }

  /**
   * Resolves `path` like the kernel would inside a root holding just these packages: symlinks in
   * every component (and in the last one unless `followLast` is false), '..' clamped at '/'.
   * A symlink loop, or more than MAX_SYMLINK_HOPS links, is a KpkgError (exit status 2).
   */
  resolve(path: string, followLast = true): Resolution {
    const via: string[] = [];
    const pending = path
      .split('/')
      .filter((p) => p !== '' && p !== '.')
      .reverse();
    let current = '/';
    while (pending.length > 0) {
      const part = pending.pop() ?? '';
      if (part === '..') {
        current = parentOf(current);
        continue;
      }
      const next = current === '/' ? `/${part}` : `${current}/${part}`;
      const member = this.#members.get(next);
      if (member?.type === 'symlink' && member.link !== undefined && (pending.length > 0 || followLast)) {
        via.push(`${next} -> ${member.link}`);
        if (via.length > MAX_SYMLINK_HOPS) throw this.#loop(path, via);
        if (member.link.startsWith('/')) current = '/';
        pending.push(
          ...member.link
            .split('/')
            .filter((p) => p !== '' && p !== '.')
            .reverse(),
        );
        continue;
      }
      if (member === undefined && !this.#dirs.has(next)) {
        // Not in the set: the rest of the path cannot be resolved any further.
        const rest = pending.reverse().join('/');
        return { path: rest === '' ? next : `${next}/${rest}`, kind: 'missing', via };
      }
      current = next;
    }
    const member = this.#members.get(current);
    const kind =
      member === undefined
        ? this.#dirs.has(current)
          ? 'dir'
          : 'missing'
        : member.type === 'hardlink'
          ? 'file'
          : member.type;
    return { path: current, kind, via, ...(member === undefined ? {} : { member: this.#followHardlink(member) }) };
  }

  /** Resolves every symlink in the set once, so that a loop anywhere is reported (exit status 2). */
  assertNoSymlinkLoops(): void {
    for (const member of this.#members.values()) {
      if (member.type === 'symlink') this.resolve(member.path);
    }
  }

  #followHardlink(member: SetMember): SetMember {
    if (member.type !== 'hardlink' || member.link === undefined) return member;
    const target = this.#members.get(member.link);
    return target === undefined ? member : { ...target, path: member.path, pkg: member.pkg };
  }

  #loop(path: string, via: readonly string[]): KpkgError {
    const shown = via.length > 6 ? [...via.slice(0, 6), `... (${via.length} links)`] : via;
    return new KpkgError(`symlink loop while resolving ${path}: ${shown.join(', ')}`, {
      where: path,
      exitCode: 2,
      hint: 'a package set whose symlinks form a loop cannot be installed and used; fix the links',
    });
  }
}
