import { Command, CommanderError } from 'commander';
import { ExecaError } from 'execa';
import { readFileSync } from 'node:fs';
import { allFamilies } from '../families/families.js';
import { isKpkgError, KpkgError } from '../util/errors.js';
import { interrupted } from '../util/interrupt.js';
import { printableLines } from '../util/printable.js';
import { useRunTempDir, type RunTempDir } from '../util/run-temp.js';
import { pathlessIn, systemError } from '../util/system-error.js';
import { registerDoctor } from './commands/doctor.js';
import { registerHeaders } from './commands/headers.js';
import { registerInspect } from './commands/inspect.js';
import { registerPackageCommand } from './commands/package-command.js';
import { registerSmoke } from './commands/smoke.js';
import { registerSysroot } from './commands/sysroot.js';
import { registerVerify } from './commands/verify.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('kpkg')
    .description(
      'Package a built Linux kernel tree as distribution packages whose headers work on the (cross-compiled) target',
    )
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  registerInspect(program);
  registerHeaders(program);
  for (const family of allFamilies()) registerPackageCommand(program, family);
  registerDoctor(program);
  registerSmoke(program);
  registerVerify(program);
  registerSysroot(program);
  return program;
}

/** Commander's own exits that are not mistakes: --help, --version. */
const NOT_USAGE_ERRORS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** A command kpkg ran that failed in a way its caller did not expect, in one line. */
function commandFailure(e: { shortMessage: string; stderr?: unknown; stdout?: unknown }): KpkgError {
  const output = [e.stderr, e.stdout].map((o) => (typeof o === 'string' ? o.trim() : '')).find((o) => o !== '') ?? '';
  const last = output.split('\n').pop() ?? '';
  return new KpkgError(`${e.shortMessage.split('\n')[0] ?? 'a command failed'}${last === '' ? '' : `: ${last}`}`, {
    hint: 'run again with --verbose to see every command kpkg runs',
    cause: e,
  });
}

/**
 * What the user sees for an error that reached the top: one line and a fix, a stack only for a bug.
 * A failed write that names no file happened in the run's temporary directory (TMPDIR), which is named.
 */
function report(e: unknown, temp: RunTempDir | undefined): number {
  if (e instanceof CommanderError) return NOT_USAGE_ERRORS.has(e.code) ? e.exitCode : 2;
  const located = temp === undefined ? e : pathlessIn(e, `${temp.path} (TMPDIR)`);
  const known = isKpkgError(located)
    ? located
    : (systemError(located) ?? (located instanceof ExecaError ? commandFailure(located) : undefined));
  if (known !== undefined) {
    // Its lines are kept (a command's last lines); ESC, CR and other controls from a package are escaped.
    process.stderr.write(`kpkg: error: ${printableLines(known.format())}\n`);
    return known.exitCode;
  }
  process.stderr.write(
    `kpkg: internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return 70;
}

/** Runs kpkg with argv (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let temp: RunTempDir | undefined;
  try {
    const program = buildProgram();
    // Each command's temporary files live in one directory, removed at the end or on an interrupt.
    program.hook('preAction', async () => {
      temp = await useRunTempDir().catch((e: unknown) => {
        throw (
          systemError(e, {
            doing: 'create a temporary directory in',
            hint: 'set TMPDIR to a writable directory with free space',
          }) ?? e
        );
      });
    });
    await program.parseAsync([...argv], { from: 'user' });
    // A command may finish with findings and no exception (doctor, verify): it sets process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // After a signal, the interrupt handler reports and exits; what fails meanwhile is its doing.
    if (interrupted()) return await new Promise<number>(() => undefined);
    return report(e, temp);
  } finally {
    if (!interrupted()) await temp?.dispose();
  }
}
