/**
 * Every row of docs/usage.md's "Bad input" table, on the real 6.1 arm64 tiny tree (broken in an
 * overlay, never in the cache): the message and the exit code, no stack trace, and nothing written
 * where the packages go. The table and this list are kept equal by the last test.
 */
import assert from 'node:assert/strict';
import { execa } from 'execa';
import {
  appendFile,
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freshHome, letUserReach, ordinaryUser, runKpkgAs } from '../../testing/fresh-home.js';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS } from '../../testing/kernel-trees.js';
import { overlayTree, type OverlayTree } from '../../testing/overlay-tree.js';
import { runKpkg, runKpkgWithStdout, type KpkgRun } from '../../testing/run-kpkg.js';
import { bareElf, X86_64_ELF } from '../../testing/bare-elf.js';

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));
const USAGE = fileURLToPath(new URL('../../../docs/usage.md', import.meta.url));

interface Context {
  /** The cached tree (read-only for the tests). */
  objtree: string;
  srctree: string;
  /** A fresh directory for this row. */
  dir: string;
  /** A writable view of the object tree / source tree, removed after the row. */
  overlay(which: 'objtree' | 'srctree'): Promise<string>;
}

interface BadInput {
  /** The row of docs/usage.md. */
  input: string;
  exit: number;
  /** What stderr says (stdout, for an input kpkg accepts). */
  message: RegExp;
  /** Runs kpkg on the bad input; `out` is where packages would have gone. */
  run(ctx: Context): Promise<{ r: KpkgRun; out?: string }>;
}

const deb = (objtree: string, out: string, ...more: string[]): string[] => [
  'deb',
  '--build-dir',
  objtree,
  '--out',
  out,
  ...more,
];

async function asOrdinaryUser(ctx: Context, args: string[], reach: string[]): Promise<KpkgRun> {
  const user = await ordinaryUser();
  for (const path of reach) await letUserReach(user, path);
  const { env } = await freshHome(user);
  return runKpkgAs(user, args, env);
}

/** Runs kpkg and, once a progress line matches `when`, does `meanwhile` (the run goes on). */
async function runWhile(args: string[], when: RegExp, meanwhile: () => Promise<void>): Promise<KpkgRun> {
  const child = execa(process.execPath, [BIN, ...args], { reject: false, stdin: 'ignore', env: { CI: 'true' } });
  let done = false;
  let acted: Promise<void> | undefined;
  child.stderr.on('data', (chunk: Buffer) => {
    if (!done && when.test(chunk.toString('utf8'))) {
      done = true;
      acted = meanwhile();
    }
  });
  const r = await child;
  await acted;
  assert.ok(done, `no progress line matched ${String(when)}:\n${r.stderr}`);
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const ROWS: BadInput[] = [
  {
    input: 'not a kernel tree',
    exit: 1,
    message: /\/etc is not a Linux kernel tree: no kernel Makefile/,
    run: async (ctx) => ({ r: await runKpkg(deb('/etc', join(ctx.dir, 'out'))), out: join(ctx.dir, 'out') }),
  },
  {
    input: 'the build directory does not exist',
    exit: 1,
    message: /build directory \/nonexistent\/tree does not exist/,
    run: async (ctx) => ({
      r: await runKpkg(deb('/nonexistent/tree', join(ctx.dir, 'out'))),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: 'not configured (no `.config`)',
    exit: 1,
    message: /\.config not found in .*: this tree is not configured/,
    run: async (ctx) => {
      const tree = await ctx.overlay('objtree');
      await unlink(join(tree, '.config'));
      return { r: await runKpkg(deb(tree, join(ctx.dir, 'out'))), out: join(ctx.dir, 'out') };
    },
  },
  {
    input: 'configured but not built',
    exit: 1,
    message: /include\/config\/kernel\.release not found in .*: the tree is configured but not built/,
    run: async (ctx) => {
      const tree = await ctx.overlay('objtree');
      await unlink(join(tree, 'include/config/kernel.release'));
      return { r: await runKpkg(deb(tree, join(ctx.dir, 'out'))), out: join(ctx.dir, 'out') };
    },
  },
  {
    input: '`Module.symvers` missing',
    exit: 1,
    message: /Module\.symvers not found in .*: the headers package needs it/,
    run: async (ctx) => {
      const tree = await ctx.overlay('objtree');
      await unlink(join(tree, 'Module.symvers'));
      return { r: await runKpkg(deb(tree, join(ctx.dir, 'out'))), out: join(ctx.dir, 'out') };
    },
  },
  {
    input: 'build and source directories of different versions',
    exit: 1,
    message: /was built as Linux 6\.1\.\d+, but the source tree .* is Linux 5\.10\.0/,
    run: async (ctx) => {
      const other = join(ctx.dir, 'linux-5.10');
      await mkdir(other);
      await writeFile(join(other, 'Makefile'), 'VERSION = 5\nPATCHLEVEL = 10\nSUBLEVEL = 0\nEXTRAVERSION =\n');
      await writeFile(join(other, 'Kconfig'), 'mainmenu "Linux"\n');
      return {
        r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--source-dir', other)),
        out: join(ctx.dir, 'out'),
      };
    },
  },
  {
    input: '`ARCH` that disagrees with the tree',
    exit: 1,
    message: /ARCH=riscv does not match the tree, which is configured for arm64/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), 'ARCH=riscv')),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: 'a cross compiler that is not installed',
    exit: 1,
    message:
      /the target's tools for CROSS_COMPILE=nonexistent-linux-gnu- are not installed: nonexistent-linux-gnu-gcc, /,
    run: async (ctx) => ({
      r: await runKpkg(
        deb(ctx.objtree, join(ctx.dir, 'out'), 'CROSS_COMPILE=nonexistent-linux-gnu-', 'CC=nonexistent-linux-gnu-gcc'),
      ),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: 'a cross compiler that cannot link a program',
    exit: 1,
    message:
      /command failed \(exit 1\): aarch64-linux-gnu-gcc -nostdlib .*fixdep[^]*undefined reference[^]*fix: .*kpkg doctor --arch arm64/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), 'CC=aarch64-linux-gnu-gcc -nostdlib')),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: '`--out` on a read-only file system',
    exit: 1,
    message: /cannot write packages into .*: the file system is read-only \(EROFS\)/,
    run: async (ctx) => {
      const out = join(ctx.dir, 'ro');
      await mkdir(out);
      await execa('mount', ['--bind', '-o', 'ro', out, out]);
      try {
        return { r: await runKpkg(deb(ctx.objtree, join(out, 'packages'))), out };
      } finally {
        await execa('umount', [out]);
      }
    },
  },
  {
    input: '`--out` below a regular file',
    exit: 1,
    message: /cannot write packages into .*: .*\/a-file is a regular file, not a directory \(ENOTDIR\)/,
    run: async (ctx) => {
      await writeFile(join(ctx.dir, 'a-file'), 'not a directory\n');
      return { r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'a-file/out'))) };
    },
  },
  {
    input: '`--out` the user may not write to',
    exit: 1,
    message: /cannot write packages into .*: permission denied \(EACCES\)/,
    run: async (ctx) => {
      const out = join(ctx.dir, 'root-only');
      await mkdir(out, { mode: 0o755 });
      return { r: await asOrdinaryUser(ctx, deb(ctx.objtree, out), [ctx.objtree, ctx.srctree, out]), out };
    },
  },
  {
    input: '`--out` on a full file system',
    exit: 1,
    message: /cannot write .*: no space left on the device \(ENOSPC\)/,
    run: async (ctx) => {
      const out = join(ctx.dir, 'small');
      await mkdir(out);
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'kpkg-full', out]);
      try {
        const r = await runKpkg(deb(ctx.objtree, out, '--only', 'headers'));
        assert.deepEqual(await readdir(out), [], 'the staging directory is removed');
        return { r, out };
      } finally {
        await execa('umount', [out]);
      }
    },
  },
  {
    input: 'a file of the tree the user cannot read',
    exit: 1,
    message: /cannot open .*\/\.config: permission denied \(EACCES\)/,
    run: async (ctx) => {
      const tree = await ctx.overlay('objtree');
      await chmod(join(tree, '.config'), 0o600);
      const out = join(ctx.dir, 'out');
      await mkdir(out, { mode: 0o777 });
      return { r: await asOrdinaryUser(ctx, deb(tree, out), [tree, ctx.srctree, out]), out };
    },
  },
  {
    input: 'file names with spaces or Unicode in the tree',
    exit: 0,
    message: /linux-headers-6\.1\.\d+_[^_]+_arm64\.deb/,
    run: async (ctx) => {
      const src = await ctx.overlay('srctree');
      await writeFile(join(src, 'include/linux/kpkg test ü€.h'), '/* a name with spaces and Unicode */\n');
      const out = join(ctx.dir, 'out');
      const r = await runKpkg(deb(ctx.objtree, out, '--source-dir', src, '--only', 'headers'));
      if (r.exitCode === 0) {
        const [debFile = ''] = (await readdir(out)).filter((n) => n.endsWith('.deb'));
        const listing = (await execa('dpkg-deb', ['--contents', join(out, debFile)])).stdout;
        assert.match(listing, /include\/linux\/kpkg test ü€\.h/);
        const md5sums = (
          await execa('sh', ['-c', 'dpkg-deb --ctrl-tarfile "$1" | tar -xO ./md5sums', 'sh', join(out, debFile)])
        ).stdout;
        assert.match(md5sums, /^[0-9a-f]{32} {2}usr\/src\/linux-headers-[^/]+\/include\/linux\/kpkg test ü€\.h$/m);
      }
      return { r };
    },
  },
  {
    input: 'a file name with a newline in the tree',
    exit: 1,
    message: /a file name with a control character \(newline, tab…\) cannot be packaged/,
    run: async (ctx) => {
      const src = await ctx.overlay('srctree');
      await writeFile(join(src, 'include/linux/kpkg\nnewline.h'), '/* a newline in the name */\n');
      return {
        r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--source-dir', src)),
        out: join(ctx.dir, 'out'),
      };
    },
  },
  {
    input: 'a symbolic link pointing outside the tree',
    exit: 1,
    message:
      /include\/linux\/kpkg-outside\.h is a symbolic link to \/etc\/shadow, outside the kernel tree: kpkg does not follow or ship it/,
    run: async (ctx) => {
      const src = await ctx.overlay('srctree');
      await symlink('/etc/shadow', join(src, 'include/linux/kpkg-outside.h'));
      return {
        r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--source-dir', src)),
        out: join(ctx.dir, 'out'),
      };
    },
  },
  {
    input: 'a Kbuild `.cmd` record that is not a single command',
    exit: 1,
    message: /scripts\/basic\/\.fixdep\.cmd.*(;|not a single)/,
    run: async (ctx) => {
      const tree = await ctx.overlay('objtree');
      const record = join(tree, 'scripts/basic/.fixdep.cmd');
      const text = await readFile(record, 'utf8');
      await writeFile(record, text.replace(/^((saved)?cmd_[^\n]*)$/m, '$1; touch /tmp/kpkg-pwned'));
      return { r: await runKpkg(deb(tree, join(ctx.dir, 'out'))), out: join(ctx.dir, 'out') };
    },
  },
  {
    input: 'the tree modified while kpkg packages it',
    exit: 1,
    message:
      /the tree changed while kpkg was packaging it: Module\.symvers; nothing was written to --out|Module\.symvers changed while being packaged/,
    run: async (ctx) => {
      const tree = await ctx.overlay('objtree');
      const out = join(ctx.dir, 'out');
      const r = await runWhile(deb(tree, out, '--only', 'headers'), /kpkg: rebuild:/, () =>
        appendFile(join(tree, 'Module.symvers'), '0x00000000\tkpkg_late\tvmlinux\tEXPORT_SYMBOL\t\n'),
      );
      return { r, out };
    },
  },
  {
    input: "`--level` out of the compressor's range",
    exit: 2,
    message: /compression level 99 is out of range for xz \(0-9\)/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--level', '99')),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: 'a `--pkg-version` the family cannot carry',
    exit: 2,
    message: /"bad version" is not a valid package version/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--pkg-version', 'bad version')),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: '`SOURCE_DATE_EPOCH` that is not a whole number',
    exit: 2,
    message: /SOURCE_DATE_EPOCH="abc" is not a whole number of seconds since 1970/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out')), { SOURCE_DATE_EPOCH: 'abc' }),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: 'a `--maintainer` that is not `Name <email>` (deb)',
    exit: 2,
    message: /invalid maintainer "nobody" for a \.deb: expected "Name <email>"/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--maintainer', 'nobody')),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: '`--json` with another `--format`',
    exit: 2,
    message: /--json and --format text ask for different outputs/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--format', 'text', '--json')),
      out: join(ctx.dir, 'out'),
    }),
  },
  {
    input: '`--out` inside the build or source tree',
    exit: 2,
    message: /--out .*\/debs is inside the build tree .*: kpkg only reads the tree/,
    run: async (ctx) => {
      const tree = await ctx.overlay('objtree');
      const out = join(tree, 'debs');
      const r = await runKpkg(deb(tree, out));
      assert.equal(await lstat(out).catch(() => undefined), undefined, 'nothing made in the tree');
      return { r };
    },
  },
  {
    input: '`TMPDIR` on a full file system',
    exit: 1,
    message: /cannot write in .*\/small\/kpkg-run-[^:]*: no space left on the device \(ENOSPC\)/,
    run: async (ctx) => {
      const small = join(ctx.dir, 'small');
      const out = join(ctx.dir, 'new-out');
      await mkdir(small);
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'kpkg-full-tmp', small]);
      try {
        const r = await runKpkg(deb(ctx.objtree, out, '--no-cache'), { TMPDIR: small });
        assert.equal(await lstat(out).catch(() => undefined), undefined, 'the --out it created is removed');
        return { r };
      } finally {
        await execa('umount', [small]);
      }
    },
  },
  {
    input: 'stdout piped into a reader that is gone (EPIPE)',
    exit: 1,
    message: /^kpkg: error: verification failed: 1 error-level finding$/,
    run: async (ctx) => {
      await writeFile(join(ctx.dir, 'program'), bareElf({ ...X86_64_ELF, type: 'EXEC' }));
      return { r: await runKpkgWithStdout('| true', ['verify', '--arch', 'arm64', ctx.dir]) };
    },
  },
  {
    input: 'stdout on a full device',
    exit: 1,
    message:
      /^kpkg: error: cannot write the output to standard output \(\/dev\/full\): no space left on the device \(ENOSPC\)$/,
    run: async (ctx) => {
      await writeFile(join(ctx.dir, 'README'), 'a text file\n');
      return { r: await runKpkgWithStdout('>/dev/full', ['verify', ctx.dir]) };
    },
  },
  {
    input: 'an unknown option',
    exit: 2,
    message: /error: unknown option '--no-such-option'/,
    run: async (ctx) => ({
      r: await runKpkg(deb(ctx.objtree, join(ctx.dir, 'out'), '--no-such-option')),
      out: join(ctx.dir, 'out'),
    }),
  },
];

/** The first column of docs/usage.md's bad-input table. */
async function readmeRows(): Promise<string[]> {
  const text = await readFile(USAGE, 'utf8');
  const section = text.slice(text.indexOf('## Bad input'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| input')));
  return table
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| input'))
    .map((l) => l.split(' | ')[0]?.slice(2).trim() ?? '');
}

describe(
  'bad input: one line saying what, where and what to do; the exit code; nothing written',
  { timeout: KERNEL_BUILD_TIMEOUT_MS },
  () => {
    let objtree = '';
    let srctree = '';
    let work = '';
    before(async () => {
      objtree = await builtKernelTree({ series: '6.1' });
      srctree = (await execa('readlink', ['-f', join(objtree, 'source')])).stdout;
      work = await mkdtemp(join(tmpdir(), 'kpkg-bad-input-'));
      await chmod(work, 0o755);
    });
    after(() => rm(work, { recursive: true, force: true }));

    for (const [i, row] of ROWS.entries()) {
      test(row.input, async () => {
        const dir = join(work, String(i));
        await mkdir(dir, { mode: 0o755 });
        const overlays: OverlayTree[] = [];
        const ctx: Context = {
          objtree,
          srctree,
          dir,
          overlay: async (which) => {
            const o = await overlayTree(which === 'objtree' ? objtree : srctree);
            overlays.push(o);
            return o.dir;
          },
        };
        try {
          const { r, out } = await row.run(ctx);
          assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);
          assert.equal(r.exitCode, row.exit, r.stderr);
          // A refusal says why on stderr; an accepted input names its package on stdout.
          assert.match(row.exit === 0 ? r.stdout : r.stderr, row.message);
          if (row.exit !== 0 && out !== undefined) {
            const left = await readdir(out).catch(() => [] as string[]);
            assert.deepEqual(
              left.filter((n) => /\.deb$|^\.kpkg-staging-/.test(n)),
              [],
              `nothing in ${out}`,
            );
          }
        } finally {
          for (const o of overlays.reverse()) await o.dispose();
        }
      });
    }

    test('the table in docs/usage.md lists exactly these rows', async () => {
      assert.deepEqual(
        await readmeRows(),
        ROWS.map((r) => r.input),
      );
    });
  },
);
