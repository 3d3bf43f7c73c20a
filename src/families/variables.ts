/**
 * The environment variables a family's upstream tooling reads (KDEB_SOURCENAME, KDEB_COMPRESS,
 * PACMAN_PKGBASE ...): their values when an option is not given, and how --help names them.
 */
import { envValue } from '../util/env.js';
import { KpkgError } from '../util/errors.js';

/** An option's default as --help gives it, the variable that overrides it first. */
export function withVariable(fallback: string, variable: string | undefined): string {
  return variable === undefined ? fallback : `${variable}, else ${fallback}`;
}

/**
 * A variable's value when an option is not given: as upstream's scripts (${VAR:+set}), an empty
 * value counts as unset. With `choices`, anything else is a usage error naming the variable.
 */
export function variableValue(variable: string | undefined, choices?: readonly string[]): string | undefined {
  const value = variable === undefined ? undefined : envValue(variable);
  if (value === undefined) return undefined;
  if (choices !== undefined && !choices.includes(value))
    throw new KpkgError(`${variable ?? ''}=${value} is not one kpkg accepts`, {
      hint: `set it to one of: ${choices.join(', ')}, or unset it`,
      exitCode: 2,
    });
  return value;
}
