import { onPath } from '../util/on-path.js';

/**
 * Where the target's libraries (and GCC plugin headers) come from when host programs are rebuilt:
 * - 'option': the root the user gave with --sysroot;
 * - 'multiarch': the build machine has them installed as Debian multiarch packages (`libelf-dev:arm64`),
 *   which the target compiler finds without a --sysroot;
 * - 'fetched': kpkg's own sysroot, downloaded with a private apt state (target-sysroot.ts);
 * - 'unavailable': none of these — the user must install them or give --sysroot.
 */
export type LibrarySource = 'option' | 'multiarch' | 'fetched' | 'unavailable';

export interface LibrarySourceFacts {
  /** --sysroot was given. */
  readonly sysrootOption: boolean;
  /** Every library the tree needs compiles and links for the target without a --sysroot. */
  readonly multiarchReady: boolean;
  /** apt-get is there to fetch packages with. */
  readonly aptAvailable: boolean;
}

/** An explicit --sysroot wins; then what is installed; then what kpkg can fetch. */
export function chooseLibrarySource(facts: LibrarySourceFacts): LibrarySource {
  if (facts.sysrootOption) return 'option';
  if (facts.multiarchReady) return 'multiarch';
  return facts.aptAvailable ? 'fetched' : 'unavailable';
}

export function aptAvailable(): Promise<boolean> {
  return onPath('apt-get');
}
