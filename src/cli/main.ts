import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { isKpkgError } from '../util/errors.js';
import { registerDeb } from './commands/deb.js';
import { registerDoctor } from './commands/doctor.js';
import { registerHeaders } from './commands/headers.js';
import { registerInspect } from './commands/inspect.js';
import { registerPacman } from './commands/pacman.js';
import { registerRpm } from './commands/rpm.js';
import { registerSmoke } from './commands/smoke.js';
import { registerSysroot } from './commands/sysroot.js';
import { registerTar } from './commands/tar.js';
import { registerVerify } from './commands/verify.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('kpkg')
    .description('Package a built Linux kernel tree as distribution packages whose headers work on the (cross-compiled) target')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  registerInspect(program);
  registerHeaders(program);
  registerDeb(program);
  registerRpm(program);
  registerPacman(program);
  registerTar(program);
  registerDoctor(program);
  registerSmoke(program);
  registerVerify(program);
  registerSysroot(program);
  return program;
}

/** Runs kpkg with argv (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    // A command may finish with findings and no exception (doctor, verify): it sets process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isKpkgError(e)) {
      process.stderr.write(`kpkg: error: ${e.format()}\n`);
      return e.exitCode;
    }
    process.stderr.write(`kpkg: internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
}
