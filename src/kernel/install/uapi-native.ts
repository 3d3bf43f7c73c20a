/**
 * `make headers_install`, done by kpkg — the same files, byte for byte, in a fraction of the time.
 *
 * What the kernel does (top Makefile, targets `headers` and `headers_install`;
 * scripts/Makefile.headersinst; scripts/headers_install.sh):
 *  1. generates headers: linux/version.h, the asm-generic wrappers (uapi-asm-generic), the
 *     architecture's generated ones such as its syscall numbers (archheaders, archscripts);
 *  2. for include/uapi and arch/<srcarch>/include/uapi, takes every *.h below their subdirectories
 *     and below the matching include/generated/ directories of the object tree, minus the
 *     directory's `no-export-headers` (its Kbuild file), and runs headers_install.sh on each: a
 *     licence check, a few textual rewrites (kernel-only annotations dropped, compiler keywords in
 *     their __x__ spelling, the _UAPI guard prefix removed), then unifdef -U__KERNEL__
 *     -D__EXPORTED_HEADERS__;
 *  3. copies the *.h files to INSTALL_HDR_PATH.
 * Step 2 starts several processes per header, thousands for one architecture. kpkg lets the
 * kernel's make do step 1, does the rewrites itself and runs the kernel's unifdef (built from
 * scripts/unifdef.c) only on the headers that name __KERNEL__ or __EXPORTED_HEADERS__: unifdef
 * leaves every other line as it is.
 *
 * Only for the kernels whose scripts it knows: headers_install.sh's rewrite program is identified
 * by its digest, Makefile.headersinst and the Kbuild lists by their shape. Anything else returns
 * undefined, and the caller runs the kernel's make. A test compares this with make's output.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { KpkgError } from '../../util/errors.js';
import { isDirectory, isFile, readTextOrUndefined } from '../../util/fs.js';
import { mapLimit } from '../../util/pool.js';
import { runKernelMake, type KernelMakeContext } from './kernel-make.js';
import { listStagedTree, type StagedItem } from './staged-tree.js';

/**
 * Digests of the rewrite program (the `sed -E -e '…' $INFILE > $TMPFILE` block) of the
 * headers_install.sh versions whose rewrites `rewriteLine` reproduces: 6.1 and 6.12.
 */
const KNOWN_REWRITES = new Set(['7f1d8ce11ead8122cedd442c841b0d701fb61a9597f8a86cabf4142c3ba3bcd4']);

/** The prerequisites of the top Makefile's `headers` target kpkg knows how to stand in for. */
const KNOWN_PREREQUISITES = new Set([
  '$(version_h)',
  'scripts_unifdef',
  'uapi-asm-generic',
  'archheaders',
  'archscripts',
]);

/** Lines of Makefile.headersinst whose meaning listHeaders reproduces. */
const HEADERSINST_SHAPE = [
  'src := $(srctree)/$(obj)',
  'gen := $(objtree)/$(subst include/,include/generated/,$(obj))',
  '-include $(src)/Kbuild',
  "src-headers := $(if $(src-subdirs), $(shell cd $(src) && find $(src-subdirs) -name '*.h'))",
  "gen-headers := $(if $(gen-subdirs), $(shell cd $(gen) && find $(gen-subdirs) -name '*.h'))",
  'gen-headers := $(filter-out $(duplicated), $(gen-headers))',
  'cmd_install = $(CONFIG_SHELL) $(srctree)/scripts/headers_install.sh $< $@',
];

class Unsupported extends Error {}

interface Plan {
  versionH: string;
  goals: string[];
}

async function readPlan(srctree: string): Promise<Plan> {
  const script = await readTextOrUndefined(join(srctree, 'scripts/headers_install.sh'));
  const rewrites = /^sed -E -e '[\s\S]*?^' \$INFILE > \$TMPFILE.*$/m.exec(script ?? '')?.[0];
  if (rewrites === undefined || !KNOWN_REWRITES.has(createHash('sha256').update(`${rewrites}\n`).digest('hex')))
    throw new Unsupported('headers_install.sh');
  const headersinst = (await readTextOrUndefined(join(srctree, 'scripts/Makefile.headersinst'))) ?? '';
  const lines = new Set(headersinst.split('\n').map((l) => l.trim()));
  if (!HEADERSINST_SHAPE.every((l) => lines.has(l))) throw new Unsupported('Makefile.headersinst');
  const makefile = (await readTextOrUndefined(join(srctree, 'Makefile'))) ?? '';
  const versionH = /^version_h := (\S+)\s*$/m.exec(makefile)?.[1];
  const prerequisites = /^headers: (.*)$/m.exec(makefile)?.[1]?.trim().split(/\s+/);
  if (versionH === undefined || prerequisites === undefined || !prerequisites.every((p) => KNOWN_PREREQUISITES.has(p)))
    throw new Unsupported('Makefile');
  // scripts_unifdef is not a goal make accepts without a configuration: kpkg builds unifdef itself.
  return {
    versionH,
    goals: prerequisites.filter((p) => p !== 'scripts_unifdef').map((p) => (p === '$(version_h)' ? versionH : p)),
  };
}

/**
 * The `no-export-headers` of a uapi directory's Kbuild file: assignments inside ifeq/ifneq blocks
 * that test $(wildcard …) of a path or compare $(SRCARCH). Another construct is Unsupported.
 */
export async function noExportHeaders(text: string, vars: Readonly<Record<string, string>>): Promise<Set<string>> {
  const expand = async (value: string): Promise<string> => {
    let out = value.replace(/\$\((srctree|objtree|SRCARCH)\)/g, (_, name: string) => vars[name] ?? '');
    const wildcard = /^\$\(wildcard ([^$()]+)\)$/.exec(out.trim());
    if (wildcard !== null)
      out = (await stat(wildcard[1] ?? '').then(
        () => true,
        () => false,
      ))
        ? (wildcard[1] ?? '')
        : '';
    if (out.includes('$')) throw new Unsupported(`Kbuild expansion ${value}`);
    return out.trim();
  };
  const result = new Set<string>();
  const active: boolean[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const test = /^(ifeq|ifneq) \((.*),(.*)\)$/.exec(line);
    if (test !== null) {
      const equal = (await expand(test[2] ?? '')) === (await expand(test[3] ?? ''));
      active.push(test[1] === 'ifeq' ? equal : !equal);
    } else if (line === 'else') {
      active.push(!(active.pop() ?? true));
    } else if (line === 'endif') {
      if (active.pop() === undefined) throw new Unsupported('Kbuild endif');
    } else {
      const add = /^no-export-headers \+= (.+)$/.exec(line);
      if (add === null) throw new Unsupported(`Kbuild line ${line}`);
      if (active.every(Boolean)) for (const word of (await expand(add[1] ?? '')).split(/\s+/)) result.add(word);
    }
  }
  return result;
}

/** Every *.h below the subdirectories of `dir`, relative to it ('' when dir is absent). */
async function headersBelowSubdirs(dir: string): Promise<string[]> {
  if (!(await isDirectory(dir))) return [];
  const found: string[] = [];
  for (const sub of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    for (const name of await readdir(join(dir, sub.name), { recursive: true })) {
      if (name.endsWith('.h') && (await isFile(join(dir, sub.name, name)))) found.push(`${sub.name}/${name}`);
    }
  }
  return found;
}

interface HeaderJob {
  /** Relative to INSTALL_HDR_PATH/include. */
  path: string;
  source: string;
}

/** Makefile.headersinst's list for one uapi directory (`obj`, e.g. include/uapi). */
async function listHeaders(ctx: KernelMakeContext, scratchObjtree: string, obj: string): Promise<HeaderJob[]> {
  const { srctree, srcArch } = ctx.tree;
  const src = join(srctree, obj);
  const gen = join(scratchObjtree, obj.replace('include/', 'include/generated/'));
  const kbuild = await readTextOrUndefined(join(src, 'Kbuild'));
  const excluded =
    kbuild === undefined
      ? new Set<string>()
      : await noExportHeaders(kbuild, { srctree, objtree: scratchObjtree, SRCARCH: srcArch });
  if ([...excluded].some((w) => w.includes('%'))) throw new Unsupported('no-export-headers pattern');
  const srcHeaders = (await headersBelowSubdirs(src)).filter((h) => !excluded.has(h));
  const fromSrc = new Set(srcHeaders);
  const genHeaders = (await headersBelowSubdirs(gen)).filter((h) => !excluded.has(h) && !fromSrc.has(h));
  return [
    ...srcHeaders.map((h) => ({ path: h, source: join(src, h) })),
    ...genHeaders.map((h) => ({ path: h, source: join(gen, h) })),
  ];
}

// The rewrites of headers_install.sh, one input line at a time (sed works on lines; the C locale,
// as kernel make runs it, so a byte is a character: the text is handled as latin1).
const SPACE = '[ \\t\\n\\v\\f\\r]';
const KERNEL_ANNOTATION = new RegExp(`([ \\t\\n\\v\\f\\r(])(__user|__force|__iomem)${SPACE}`, 'g');
const ATTRIBUTE_CONST = new RegExp(`__attribute_const__(${SPACE}|$)`, 'g');
const COMPILER_INCLUDE = /^#include <linux\/compiler(|_types).h>/;
const PACKED = /(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)/g;
const KEYWORD = /(^|[ \t\n\v\f\r(])(inline|asm|volatile)([ \t\n\v\f\r(]|$)/g;
const UAPI_GUARD = new RegExp(`#(ifndef|define|endif${SPACE}*/[*])${SPACE}*_UAPI`);

export function rewriteLine(line: string): string {
  return line
    .replace(KERNEL_ANNOTATION, '$1')
    .replace(ATTRIBUTE_CONST, '$1')
    .replace(COMPILER_INCLUDE, '')
    .replace(PACKED, '$1__attribute__((packed))$2')
    .replace(KEYWORD, '$1__$2__$3')
    .replace(UAPI_GUARD, '#$1 ');
}

/** headers_install.sh's licence check: a GPL SPDX line must carry the syscall note. */
function licenceProblem(text: string): boolean {
  return text
    .split('\n')
    .some((l) => /SPDX-License-Identifier:.*GPL-/.test(l) && !l.includes('WITH Linux-syscall-note'));
}

/**
 * Installs the uapi headers as make headers_install does, into dest/include; undefined when this
 * kernel's scripts are not ones kpkg reproduces (the caller then runs make).
 */
export async function installUapiHeadersNatively(
  ctx: KernelMakeContext,
  dest: string,
  options: { scratchObjtree: string; jobs: number },
): Promise<StagedItem[] | undefined> {
  let plan: Plan;
  try {
    plan = await readPlan(ctx.tree.srctree);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const { srctree, srcArch } = ctx.tree;
  const unifdef = join(options.scratchObjtree, 'kpkg-unifdef');
  await mkdir(options.scratchObjtree, { recursive: true });
  const hostcc = ctx.vars?.HOSTCC ?? 'gcc';
  await Promise.all([
    runKernelMake(ctx, plan.goals, { objtree: options.scratchObjtree, jobs: options.jobs }),
    execa(hostcc, ['-O2', '-o', unifdef, join(srctree, 'scripts/unifdef.c')], { stdin: 'ignore' }).catch(
      (e: unknown) => {
        throw new KpkgError(
          `cannot build the kernel's unifdef with ${hostcc}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          { hint: 'apt-get install gcc' },
        );
      },
    ),
  ]);
  let jobs: HeaderJob[];
  try {
    jobs = [
      ...(await listHeaders(ctx, options.scratchObjtree, 'include/uapi')),
      ...(await listHeaders(ctx, options.scratchObjtree, `arch/${srcArch}/include/uapi`)),
    ];
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const include = join(dest, 'include');
  // The arch directory's headers come second, as its make pass runs second.
  const headers = [...new Map(jobs.map((j) => [j.path, j])).values()];
  const rewrittenDir = join(options.scratchObjtree, 'kpkg-rewritten');
  // unifdef only rewrites conditionals on the symbols it is given: a header that never names them
  // comes out as it went in, so only the others go through it.
  const conditional: HeaderJob[] = [];
  await mapLimit(headers, 16, async (job) => {
    const text = (await readFile(job.source)).toString('latin1');
    if (licenceProblem(text))
      throw new KpkgError(
        `${job.source}: missing "WITH Linux-syscall-note" for SPDX-License-Identifier (scripts/headers_install.sh refuses it)`,
        { where: job.source },
      );
    const rewritten = Buffer.from(text.split('\n').map(rewriteLine).join('\n'), 'latin1');
    await mkdir(dirname(join(include, job.path)), { recursive: true });
    if (!text.includes('__KERNEL__') && !text.includes('__EXPORTED_HEADERS__')) {
      await writeFile(join(include, job.path), rewritten);
      return;
    }
    conditional.push(job);
    await mkdir(dirname(join(rewrittenDir, job.path)), { recursive: true });
    await writeFile(join(rewrittenDir, job.path), rewritten);
  });
  // unifdef once per header, started by a few shells rather than by node (much cheaper per process).
  const shells = Math.max(1, options.jobs);
  const chunks = Array.from({ length: shells }, (_, i) =>
    conditional.filter((_, j) => j % shells === i).map((h) => h.path),
  );
  await Promise.all(
    chunks.map(async (paths) => {
      if (paths.length === 0) return;
      // unifdef exits 0 (unchanged) or 1 (changed); 2 is trouble.
      const loop =
        'u=$1 in=$2 out=$3; shift 3; for f; do "$u" -U__KERNEL__ -D__EXPORTED_HEADERS__ "$in/$f" > "$out/$f"; [ $? -le 1 ] || { echo "unifdef failed on $f" >&2; exit 1; }; done';
      const r = await execa('sh', ['-c', loop, 'sh', unifdef, rewrittenDir, include, ...paths], {
        stdin: 'ignore',
        reject: false,
        all: true,
      });
      if (r.exitCode !== 0)
        throw new KpkgError(`the kernel's unifdef failed: ${r.all ?? ''}`.trim(), { where: rewrittenDir });
    }),
  );
  return listStagedTree(dest);
}
