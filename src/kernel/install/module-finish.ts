/**
 * What modules_install does to each module after copying it — strip it (INSTALL_MOD_STRIP), then
 * sign it (CONFIG_MODULE_SIG_ALL) — done by kpkg one module at a time, so that a build cache can keep
 * each finished module under the state of the module as built and of the tools and key: after an
 * incremental build that changed one module, one module is stripped and signed again, not thousands.
 *
 * The commands are the kernel's own (scripts/Makefile.modinst from 6.1, the top Makefile's
 * mod_strip_cmd and mod_sign_cmd in 5.10): `$(STRIP) --strip-debug` for INSTALL_MOD_STRIP=1, else
 * `$(STRIP)` with INSTALL_MOD_STRIP's words; then `scripts/sign-file $(CONFIG_MODULE_SIG_HASH) <key>
 * certs/signing_key.x509 <module>` run in the object tree. Compressed modules (CONFIG_MODULE_COMPRESS*)
 * are compressed after signing, by commands that changed with every release: for those trees kpkg
 * leaves all of it to the kernel's make (plannedFinish says so).
 */
import { execa } from 'execa';
import { isAbsolute, join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { isFile } from '../../util/fs.js';
import { quoteWord, simpleCommandWords } from '../../util/shell-words.js';
import { configValue, isEnabled, type KconfigValues } from '../kconfig.js';
import { failureExcerpt, missingToolHint, type KernelMakeContext } from './kernel-make.js';

/** How each installed module is finished. */
export interface ModuleFinish {
  /** strip's command before the file name; undefined: not stripped. */
  strip: readonly string[] | undefined;
  /** INSTALL_MOD_STRIP as given ('' for none), for messages. */
  stripSetting: string;
  /** sign-file's command before the file name, run in the object tree; undefined: not signed. */
  sign: readonly string[] | undefined;
  /** The files a signature depends on besides the module: the key, its certificate, sign-file. */
  signInputs: readonly string[];
}

/** The key CONFIG_MODULE_SIG_KEY names: as given when absolute or a PKCS#11 URI, else in the object tree, else in the source tree. */
export async function moduleSigningKey(ctx: Pick<KernelMakeContext, 'tree'>): Promise<string> {
  const { config, objtree, srctree } = ctx.tree;
  const key = configValue(config, 'MODULE_SIG_KEY') ?? 'certs/signing_key.pem';
  if (key.startsWith('pkcs11:') || isAbsolute(key)) return key;
  // 5.10's top Makefile prefixes the source tree when the key is not in the object tree (MODULE_SIG_KEY_SRCPREFIX).
  return (await isFile(join(objtree, key))) ? join(objtree, key) : join(srctree, key);
}

/**
 * Whether modules_install may compress the modules (5.10: CONFIG_MODULE_COMPRESS; 6.1: one of the
 * kinds; 6.12: also only with CONFIG_MODULE_COMPRESS_ALL, which this does not need to tell apart).
 */
function compressesModules(config: KconfigValues): boolean {
  return ['MODULE_COMPRESS', 'MODULE_COMPRESS_GZIP', 'MODULE_COMPRESS_XZ', 'MODULE_COMPRESS_ZSTD'].some((o) =>
    isEnabled(config, o),
  );
}

/**
 * How kpkg finishes each module for INSTALL_MOD_STRIP=`strip` ('' for none), or undefined when the
 * kernel's make must do it (compressed modules, or strip options that are more than plain words).
 */
export async function plannedFinish(ctx: KernelMakeContext, strip: string): Promise<ModuleFinish | undefined> {
  const { config, objtree } = ctx.tree;
  if (!isEnabled(config, 'MODULES') || compressesModules(config)) return undefined;
  let stripCommand: string[] | undefined;
  // make drops the blanks that start a command-line value: ' ' does not strip, ' 1' is '1'.
  const setting = strip.trimStart();
  if (setting !== '') {
    const split = simpleCommandWords(setting);
    if (split.refusal !== undefined) return undefined;
    stripCommand = [ctx.toolchain.tools.strip, ...(setting === '1' ? ['--strip-debug'] : split.words)];
  }
  if (!isEnabled(config, 'MODULE_SIG_ALL'))
    return { strip: stripCommand, stripSetting: strip, sign: undefined, signInputs: [] };
  const key = await moduleSigningKey(ctx);
  const signFile = join(objtree, 'scripts', 'sign-file');
  const certificate = join(objtree, 'certs', 'signing_key.x509');
  const hash = configValue(config, 'MODULE_SIG_HASH') ?? 'sha256';
  return {
    strip: stripCommand,
    stripSetting: strip,
    sign: [signFile, hash, key, certificate],
    signInputs: [...(key.startsWith('pkcs11:') ? [] : [key]), certificate, signFile],
  };
}

/** What each finishing step is called in errors, and what to do when it fails. */
const STEPS = {
  strip: {
    what: 'stripping',
    hint: (strip: string): string =>
      strip === '1'
        ? 'check that the module is a complete ELF file and that strip is the one of the toolchain the kernel was built with'
        : `INSTALL_MOD_STRIP's words (${strip}) are passed to strip as options: correct them, or set INSTALL_MOD_STRIP=1`,
  },
  sign: {
    what: 'signing',
    hint: (): string =>
      'check that the module is a complete ELF file and that the signing key and certificate (CONFIG_MODULE_SIG_KEY, certs/signing_key.x509) belong together',
  },
} as const;

/**
 * Runs one finishing step on the module copy at `file`. A failure names the step, the module (its
 * path in the object tree: `file` is a scratch copy) and the command, with the line that says why.
 */
async function runStep(
  ctx: KernelMakeContext,
  step: keyof typeof STEPS,
  finish: ModuleFinish,
  file: string,
  module: string,
): Promise<void> {
  const [program = '', ...args] = (step === 'strip' ? finish.strip : finish.sign) ?? [];
  const shown = [program, ...args, module].map(quoteWord).join(' ');
  ctx.onCommand?.([program, ...args, file].map(quoteWord).join(' '));
  const r = await execa(program, [...args, file], { reject: false, stdin: 'ignore', all: true, cwd: ctx.tree.objtree });
  if (r.exitCode === 0 && !r.failed) return;
  const missing = (r as { code?: string }).code === 'ENOENT';
  const how = r.exitCode === undefined ? (r.signal ?? r.shortMessage) : `exit ${r.exitCode}`;
  const excerpt = failureExcerpt(r.all ?? '', 10);
  throw new KpkgError(
    missing
      ? `${program} is not installed (needed for ${STEPS[step].what} ${module})`
      : `${STEPS[step].what} ${module} failed (${how}): ${shown}${excerpt === '' ? '' : `\n${excerpt}`}`,
    {
      where: join(ctx.tree.objtree, module),
      hint: missing
        ? (missingToolHint(`${program}: not found`) ?? `install ${program}, or the tools the kernel was built with`)
        : STEPS[step].hint(finish.stripSetting),
    },
  );
}

/** Strips, then signs, the module at `file` in place (`module` names it in errors: its path in the object tree). */
export async function finishModule(
  ctx: KernelMakeContext,
  finish: ModuleFinish,
  file: string,
  module: string,
): Promise<void> {
  if (finish.strip !== undefined) await runStep(ctx, 'strip', finish, file, module);
  if (finish.sign !== undefined) await runStep(ctx, 'sign', finish, file, module);
}
