import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import { arm64GccToolchain, fakeKernelTree } from '../../testing/fake-tree.js';
import { rebuildToolProgram, toolProgramAt } from './tool-programs.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-tool-programs-'));
after(() => rm(root, { recursive: true, force: true }));

/**
 * A tools/objtool "build" whose compilers only say who they are: it compiles the tools build's
 * fixdep and the program and links the program, as tools/objtool/Makefile does (the native ld is
 * the real one, so the fixdep link is left out).
 */
const MAKEFILE = [
  'all:',
  '\t$(HOSTCC) -c $(srctree)/tools/build/fixdep.c -o $(O)/fixdep.o >> $(O)/log',
  '\t$(HOSTCC) -c check.c -o $(O)/check.o >> $(O)/log',
  '\t$(HOSTLD) -r $(O)/objtool-in.o >> $(O)/log',
  '\techo "ARCH=$(ARCH) HOSTARCH=$(HOSTARCH) HOSTAR=$(HOSTAR) PKG_CONFIG_LIBDIR=$$PKG_CONFIG_LIBDIR" >> $(O)/log',
  '',
].join('\n');

async function setUp(name: string, makefile: string): Promise<{ srctree: string; workDir: string }> {
  const srctree = join(root, name, 'src');
  await mkdir(join(srctree, 'tools/objtool'), { recursive: true });
  await writeFile(join(srctree, 'tools/objtool/Makefile'), makefile);
  return { srctree, workDir: join(root, name, 'work') };
}

const arm64 = archByDebian('arm64');
const toolchain = {
  ...arm64GccToolchain(),
  hostcc: ['echo', 'native cc'],
  tools: { ...arm64GccToolchain().tools, cc: ['echo', 'target cc'], ld: 'echo' },
};

test("the tools build's fixdep is built for this machine, everything else for the target", async () => {
  assert.ok(arm64 !== undefined);
  const tool = toolProgramAt('tools/objtool/objtool');
  assert.ok(tool !== undefined);
  const { srctree, workDir } = await setUp('good', MAKEFILE);
  const commands: string[] = [];
  const program = await rebuildToolProgram({
    tree: fakeKernelTree(join(root, 'good/obj'), { srctree }),
    toolchain,
    arch: arm64,
    tool,
    workDir,
    sysroot: '/srv/arm64',
    jobs: 1,
    onCommand: (c) => commands.push(c),
  });
  assert.equal(program, join(workDir, 'tools/objtool/objtool'));
  const log = (await readFile(join(workDir, 'tools/objtool/log'), 'utf8')).split('\n');
  assert.match(log[0] ?? '', /^native cc -c \S+\/tools\/build\/fixdep\.c -o \S+\/fixdep\.o$/);
  assert.match(
    log[1] ?? '',
    new RegExp(
      `^target cc --sysroot=/srv/arm64 -ffile-prefix-map=${workDir}=/kpkg-tools -c check\\.c -o \\S+/check\\.o -g0$`,
    ),
  );
  assert.match(log[2] ?? '', /^-r \S+\/objtool-in\.o$/, 'the target ld links the program');
  assert.equal(
    log[3],
    'ARCH=arm64 HOSTARCH=arm64 HOSTAR=aarch64-linux-gnu-ar PKG_CONFIG_LIBDIR=/srv/arm64/usr/lib/aarch64-linux-gnu/pkgconfig:/srv/arm64/usr/share/pkgconfig',
  );
  assert.match(commands[0] ?? '', /^make -s -C \S+\/tools\/objtool O=/);
});

test('a failed build names the program, the target and the make command, with its last lines', async () => {
  assert.ok(arm64 !== undefined);
  const { srctree, workDir } = await setUp(
    'bad',
    'all:\n\t@echo "fatal error: gelf.h: No such file or directory"; exit 1\n',
  );
  await assert.rejects(
    rebuildToolProgram({
      tree: fakeKernelTree(join(root, 'bad/obj'), { srctree }),
      toolchain,
      arch: arm64,
      tool: { path: 'tools/objtool/objtool', dir: 'tools/objtool' },
      workDir,
      jobs: 1,
    }),
    (e: Error & { where?: string }) => {
      assert.match(e.message, /^building tools\/objtool\/objtool for arm64 failed: make -s -C /);
      assert.match(e.message, /gelf\.h: No such file or directory/);
      assert.equal(e.where, join(srctree, 'tools/objtool'));
      return true;
    },
  );
});
