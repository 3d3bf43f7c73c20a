/**
 * Kbuild `.cmd` texts for the fuzz corpus: a few short ones in the shapes Kbuild writes (5.x/6.1
 * `cmd_`, 6.3+ `savedcmd_`, quoting, `\#`, continuation lines, deps_ lists), and real ones from
 * the kernel trees kpkg's tests built under ~/.cache/kpkg/kernels, when there are any.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const EMBEDDED_CMD_TEXTS: readonly string[] = [
  'cmd_scripts/basic/fixdep := gcc -Wp,-MMD,scripts/basic/.fixdep.d -Wall -Wmissing-prototypes -Wstrict-prototypes -O2 -fomit-frame-pointer -std=gnu11     -I ./scripts/basic   -o scripts/basic/fixdep /usr/src/linux-source-6.1/scripts/basic/fixdep.c   \n\nsource_scripts/basic/fixdep := /usr/src/linux-source-6.1/scripts/basic/fixdep.c\n\ndeps_scripts/basic/fixdep := \\\n    $(wildcard include/config/HIS_DRIVER) \\\n  /usr/include/stdc-predef.h \\\n\nscripts/basic/fixdep: $(deps_scripts/basic/fixdep)\n\n$(deps_scripts/basic/fixdep):\n',
  'savedcmd_scripts/mod/modpost := gcc   -o scripts/mod/modpost scripts/mod/modpost.o scripts/mod/file2alias.o scripts/mod/sumversion.o scripts/mod/symsearch.o   \n',
  'savedcmd_scripts/gcc-plugins/latent_entropy_plugin.so := g++ -Wp,-MMD,scripts/gcc-plugins/.latent_entropy_plugin.so.d -Wall -O2 -fPIC -DPLUGIN_VERSION=\'"6.12.95"\' -I /usr/lib/gcc-cross/aarch64-linux-gnu/12/plugin/include -shared -o scripts/gcc-plugins/latent_entropy_plugin.so scripts/gcc-plugins/latent_entropy_plugin.c\n',
  'cmd_scripts/sign-file := ccache aarch64-linux-gnu-gcc -Wp,-MMD,scripts/.sign-file.d -O2 -DKBUILD_MODNAME=\'"sign_file"\' -D"KBUILD_STR(s)=\\#s" -I ./scripts/include -o scripts/sign-file scripts/sign-file.c -lcrypto\n',
  'savedcmd_scripts/sorttable := clang --target=aarch64-linux-gnu -Wp,-MMD,scripts/.sorttable.d -I ./tools/include -I ./tools/arch/arm64/include -DUNWINDER_ORC_ENABLED -o scripts/sorttable scripts/sorttable.c   -lpthread\n',
  'cmd_arch/arm64/kernel/vdso/vdso.so.dbg := aarch64-linux-gnu-ld  -shared -nostdlib -soname=linux-vdso.so.1 --hash-style=sysv -Bsymbolic --build-id=sha1 -n -T arch/arm64/kernel/vdso/vdso.lds arch/arm64/kernel/vdso/vgettimeofday.o arch/arm64/kernel/vdso/note.o arch/arm64/kernel/vdso/sigreturn.o -o arch/arm64/kernel/vdso/vdso.so.dbg; if aarch64-linux-gnu-readelf -rW arch/arm64/kernel/vdso/vdso.so.dbg | grep -v R_AARCH64_JUMP_SLOT | grep -q R_AARCH64; then (echo >&2 "$@: dynamic relocations are not supported"; rm -f arch/arm64/kernel/vdso/vdso.so.dbg; /bin/false); fi\n',
  "cmd_scripts/kconfig/conf := gcc   -o scripts/kconfig/conf scripts/kconfig/conf.o scripts/kconfig/confdata.o -Wl,-rpath,'$$ORIGIN' $(shell echo x)\n",
  'savedcmd_x.o := gcc -c -o x.o x.c \\\n  -DMORE=1\n',
];

/** Real .cmd files (up to `count`, small ones) from built kernel trees in kpkg's cache. */
export async function cachedCmdTexts(count = 8, maxSize = 16 * 1024): Promise<string[]> {
  const kernels = join(homedir(), '.cache/kpkg/kernels');
  const trees = (await readdir(kernels).catch(() => [] as string[])).sort();
  const wanted = [
    'scripts/basic/.fixdep.cmd',
    'scripts/mod/.modpost.cmd',
    'scripts/mod/.modpost.o.cmd',
    'scripts/.sorttable.cmd',
    'scripts/.sign-file.cmd',
    'scripts/genksyms/.genksyms.cmd',
    'scripts/kconfig/.conf.cmd',
    'scripts/gcc-plugins/.latent_entropy_plugin.so.cmd',
  ];
  const texts: string[] = [];
  for (const tree of trees) {
    for (const path of wanted) {
      if (texts.length >= count) return texts;
      const full = join(kernels, tree, path);
      const info = await stat(full).catch(() => undefined);
      if (info === undefined || !info.isFile() || info.size > maxSize) continue;
      texts.push(await readFile(full, 'utf8'));
    }
  }
  return texts;
}
