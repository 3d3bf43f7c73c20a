/**
 * What a packager chooses for the Debian packages besides the version: the source name, the
 * changelog's distribution and urgency, the kernel hook directory. Upstream takes them from
 * KDEB_* variables (scripts/package/mkdebian, builddeb); kpkg from an option, else the same
 * variable, else upstream's default (one exception: the distribution, see DEFAULT_DISTRIBUTION).
 */
import { KpkgError } from '../../util/errors.js';

export interface DebianSettings {
  /** The Source: field and the changelog's package name (KDEB_SOURCENAME). */
  sourceName: string;
  /** The changelog's distribution (KDEB_CHANGELOG_DIST); also the .changes file's. */
  distribution: string;
  /** The changelog's urgency; upstream always writes low. */
  urgency: string;
  /** Where linux-image's maintainer scripts find the kernel hooks (KDEB_HOOKDIR), and linux-headers' postinst its header_postinst.d. */
  hookDir: string;
}

/**
 * mkdebian asks `lsb_release -cs` for the build machine's codename and falls back to unstable.
 * kpkg always defaults to unstable: the packages must not depend on the machine that wrote them,
 * and the build machine's release says nothing of the target's.
 */
export const DEFAULT_DISTRIBUTION = 'unstable';

export const DEFAULT_DEBIAN_SETTINGS: DebianSettings = {
  sourceName: 'linux-upstream',
  distribution: DEFAULT_DISTRIBUTION,
  urgency: 'low',
  hookDir: '/etc/kernel',
};

/** What deb-changelog(5) and deb-src-control(5) accept, with the option that sets each. */
const CHECKS: Readonly<Record<keyof DebianSettings, { option: string; valid: RegExp; rule: string }>> = {
  sourceName: {
    option: '--source-name',
    valid: /^[a-z0-9][a-z0-9+.-]+$/,
    rule: 'lower-case letters, digits and + - . only, at least two, starting with a letter or digit',
  },
  distribution: {
    option: '--distribution',
    valid: /^[A-Za-z0-9][A-Za-z0-9+._/-]*$/,
    rule: 'letters, digits and + - . _ / only (e.g. bookworm, UNRELEASED)',
  },
  urgency: {
    option: '--urgency',
    valid: /^(low|medium|high|emergency|critical)$/,
    rule: 'low, medium, high, emergency or critical',
  },
  hookDir: {
    option: '--hook-dir',
    valid: /^\/[A-Za-z0-9+._/-]*$/,
    rule: 'an absolute path of letters, digits and + - . _ / only',
  },
};

/** One setting as given (option or environment variable) or undefined for the default. */
export type DebianSettingsInput = Partial<Record<keyof DebianSettings, string | undefined>>;

/** The settings from what was given, checked; an empty value counts as not given, as in mkdebian's ${VAR:+set}. */
export function debianSettings(given: DebianSettingsInput): DebianSettings {
  const settings: DebianSettings = { ...DEFAULT_DEBIAN_SETTINGS };
  for (const key of Object.keys(CHECKS) as (keyof DebianSettings)[]) {
    const value = given[key];
    if (value === undefined || value === '') continue;
    const { option, valid, rule } = CHECKS[key];
    if (!valid.test(value))
      throw new KpkgError(`"${value}" is not a valid ${option.slice(2).replace('-', ' ')}`, {
        hint: `pass ${option} (or its variable, see kpkg deb --help) with ${rule}`,
        exitCode: 2,
      });
    settings[key] = value;
  }
  return settings;
}

/**
 * The variables upstream's Debian packaging reads (6.12: scripts/package/mkdebian, builddeb,
 * debian/rules), by the kpkg setting they stand for. urgency has none: mkdebian always writes low.
 */
export const UPSTREAM_VARIABLES = {
  sourceName: 'KDEB_SOURCENAME',
  distribution: 'KDEB_CHANGELOG_DIST',
  hookDir: 'KDEB_HOOKDIR',
  pkgVersion: 'KDEB_PKGVERSION',
  compress: 'KDEB_COMPRESS',
} as const;

/**
 * --jobs from DEB_BUILD_OPTIONS (Debian policy 4.9.1: "parallel=N"), which the kernel's
 * debian/rules turns into make -jN; undefined when it names none.
 */
export function parallelFromBuildOptions(buildOptions: string | undefined): string | undefined {
  for (const word of (buildOptions ?? '').split(/[\s,]+/)) {
    const m = /^parallel=(\d+)$/.exec(word);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}
