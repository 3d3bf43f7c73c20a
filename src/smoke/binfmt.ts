import { access, constants, readFile, realpath, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { KpkgError } from '../util/errors.js';
import { nativeDebianArches, qemuCpuFor } from './debian-arch.js';

const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';
/** Where qemu-user-static puts its binfmt rules, qemu-<cpu>.conf. */
export const BINFMT_CONF_DIR = '/usr/lib/binfmt.d';

/** One binfmt_misc registration line, ":name:type:offset:magic:mask:interpreter:flags". */
export interface BinfmtRule {
  readonly name: string;
  readonly interpreter: string;
  readonly flags: string;
  /** The line exactly as the kernel's register file wants it. */
  readonly line: string;
}

/** Parses the first rule of a systemd binfmt.d file (comments start with '#' or ';'). */
export function parseBinfmtConf(text: string): BinfmtRule | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const delimiter = line[0] ?? ':';
    const fields = line.slice(1).split(delimiter);
    if (fields.length < 6) return undefined;
    const [name = '', , , , , interpreter = '', flags = ''] = fields;
    return { name, interpreter, flags, line };
  }
  return undefined;
}

/** State of a registered handler, from /proc/sys/fs/binfmt_misc/<name>. */
export interface BinfmtHandlerState {
  readonly enabled: boolean;
  readonly interpreter: string | undefined;
  readonly flags: string;
}

export function parseBinfmtHandler(text: string): BinfmtHandlerState {
  const lines = text.split('\n');
  const value = (key: string): string | undefined =>
    lines
      .find((l) => l.startsWith(`${key} `))
      ?.slice(key.length + 1)
      .trim();
  return { enabled: lines[0]?.trim() === 'enabled', interpreter: value('interpreter'), flags: value('flags:') ?? '' };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function ensureBinfmtMounted(): Promise<void> {
  if (await exists(`${BINFMT_DIR}/register`)) return;
  try {
    await execa('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT_DIR]);
  } catch (cause) {
    throw new KpkgError(`binfmt_misc is not mounted at ${BINFMT_DIR} and mounting it failed`, {
      where: BINFMT_DIR,
      hint: `run as root: mount -t binfmt_misc binfmt_misc ${BINFMT_DIR}`,
      cause,
    });
  }
}

async function readRule(cpu: string, confDir: string): Promise<BinfmtRule> {
  const confPath = `${confDir}/qemu-${cpu}.conf`;
  let text: string;
  try {
    text = await readFile(confPath, 'utf8');
  } catch (cause) {
    throw new KpkgError(`no binfmt rule for qemu-${cpu}: ${confPath} is missing`, {
      where: confPath,
      hint: 'apt-get install qemu-user-static binfmt-support',
      cause,
    });
  }
  const rule = parseBinfmtConf(text);
  if (rule === undefined) {
    throw new KpkgError(`${confPath} holds no binfmt_misc rule`, {
      where: confPath,
      hint: 'apt-get install --reinstall qemu-user-static',
    });
  }
  return rule;
}

async function checkInterpreter(interpreter: string, cpu: string): Promise<void> {
  try {
    await access(await realpath(interpreter), constants.X_OK);
  } catch (cause) {
    throw new KpkgError(`the qemu-${cpu} interpreter ${interpreter} is missing or not executable`, {
      where: interpreter,
      hint: 'apt-get install --reinstall qemu-user-static',
      cause,
    });
  }
}

/**
 * Makes sure binaries of `debianArch` run on this machine: binfmt_misc is mounted and a qemu-user
 * handler with the F (fix binary) flag is registered and enabled. F makes the kernel open the
 * interpreter at registration time, so it works inside a rootfs that has no qemu in it (and in any mount namespace: the sandbox).
 * Idempotent; safe to call from several processes at once. Returns the handler name, or
 * undefined when the architecture runs natively. `confDir` holds the qemu-<cpu>.conf rules.
 */
export async function ensureBinfmt(debianArch: string, confDir: string = BINFMT_CONF_DIR): Promise<string | undefined> {
  const cpu = qemuCpuFor(debianArch);
  if (nativeDebianArches().includes(debianArch)) return undefined;
  await ensureBinfmtMounted();
  if ((await readFile(`${BINFMT_DIR}/status`, 'utf8')).trim() !== 'enabled') {
    throw new KpkgError('binfmt_misc is disabled on this machine', {
      where: `${BINFMT_DIR}/status`,
      hint: `echo 1 > ${BINFMT_DIR}/status`,
    });
  }
  const rule = await readRule(cpu, confDir);
  await checkInterpreter(rule.interpreter, cpu);
  const handlerPath = `${BINFMT_DIR}/${rule.name}`;
  if (!(await exists(handlerPath))) {
    try {
      await writeFile(`${BINFMT_DIR}/register`, rule.line);
    } catch (cause) {
      // EEXIST: someone registered it between our check and our write; judged below.
      if (!(await exists(handlerPath))) {
        throw new KpkgError(`registering ${rule.name} with binfmt_misc failed`, {
          where: `${BINFMT_DIR}/register`,
          hint: `run as root: grep -v '^#' ${confDir}/qemu-${cpu}.conf > ${BINFMT_DIR}/register`,
          cause,
        });
      }
    }
  }
  const state = parseBinfmtHandler(await readFile(handlerPath, 'utf8'));
  if (!state.flags.includes('F')) {
    throw new KpkgError(
      `${rule.name} is registered without the F (fix binary) flag, so it cannot run inside the target rootfs`,
      {
        where: handlerPath,
        hint: `echo -1 > ${handlerPath}  # kpkg then registers it from ${confDir}/qemu-${cpu}.conf`,
      },
    );
  }
  if (!state.enabled) {
    try {
      await writeFile(handlerPath, '1');
    } catch (cause) {
      throw new KpkgError(`${rule.name} is registered but disabled`, {
        where: handlerPath,
        hint: `echo 1 > ${handlerPath}`,
        cause,
      });
    }
  }
  return rule.name;
}
