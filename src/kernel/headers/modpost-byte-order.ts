/**
 * modpost's idea of the machine it runs on, up to 6.11. scripts/mod/mk_elfconfig.c writes
 * scripts/mod/elfconfig.h from an object of the kernel (KERNEL_ELFCLASS, KERNEL_ELFDATA) and from
 * the machine mk_elfconfig itself runs on (HOST_ELFCLASS from its word size, HOST_ELFDATA from its
 * byte order); scripts/mod/modpost.h byte-swaps every ELF field modpost reads when KERNEL_ELFDATA
 * differs from HOST_ELFDATA. A modpost rebuilt for the target runs on the target, so its HOST_*
 * must be the target's: for a big-endian target (s390x) built on a little-endian machine the
 * recorded elfconfig.h says the opposite. 6.12 reads the byte order at run time (elfconfig.h has
 * no HOST_ELFDATA) and needs nothing.
 *
 * The compiles of scripts/mod read elfconfig.h through modpost.h's #include "elfconfig.h", which
 * looks first beside modpost.h (the source tree) — so kpkg compiles copies of scripts/mod's
 * sources beside an elfconfig.h written for the target, with an `include` link next to them for
 * their "../../include/linux/..." includes. The kernel tree is not touched.
 */
import { copyFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { ElfIdentity } from '../../elf/identity.js';
import { readTextOrUndefined } from '../../util/fs.js';
import type { KernelTree } from '../tree.js';

const ELFCONFIG = 'scripts/mod/elfconfig.h';

/**
 * elfconfig.h as mk_elfconfig would write it on the target: the HOST_ lines say the target's class
 * and byte order. undefined when the text has no HOST_ELFDATA (6.12 and later) or already agrees.
 */
export function elfconfigForTarget(text: string, target: ElfIdentity): string | undefined {
  if (!/^#define HOST_ELFDATA /m.test(text)) return undefined;
  const written = text
    .replace(/^#define HOST_ELFCLASS .*$/m, `#define HOST_ELFCLASS ELFCLASS${target.class}`)
    .replace(
      /^#define HOST_ELFDATA .*$/m,
      `#define HOST_ELFDATA ${target.endian === 'big' ? 'ELFDATA2MSB' : 'ELFDATA2LSB'}`,
    );
  return written === text ? undefined : written;
}

/** Maps a word of a recorded compile command to the source kpkg compiles instead (undefined: the word as it is). */
export type SourceFor = (word: string) => string | undefined;

/**
 * Copies of scripts/mod's sources beside an elfconfig.h for the target, under workDir, when the
 * recorded one describes another machine; undefined when the recorded one serves (or is absent).
 */
export async function modpostSourcesForTarget(
  tree: KernelTree,
  target: ElfIdentity,
  workDir: string,
): Promise<SourceFor | undefined> {
  const recorded = await readTextOrUndefined(join(tree.objtree, ELFCONFIG));
  const forTarget = recorded === undefined ? undefined : elfconfigForTarget(recorded, target);
  if (forTarget === undefined) return undefined;
  const sources = join(tree.srctree, 'scripts/mod');
  const copy = join(workDir, 'modpost-sources');
  await mkdir(join(copy, 'scripts/mod'), { recursive: true });
  for (const name of await readdir(sources)) {
    if (/\.[ch]$/.test(name)) await copyFile(join(sources, name), join(copy, 'scripts/mod', name));
  }
  await writeFile(join(copy, ELFCONFIG), forTarget);
  // modpost.c and file2alias.c include "../../include/linux/...": the same relative path from the copy.
  await symlink(join(tree.srctree, 'include'), join(copy, 'include'));
  return (word) => {
    if (!word.endsWith('.c') || word.startsWith('-')) return undefined;
    const path = isAbsolute(word) ? word : resolve(tree.objtree, word);
    const name = path.slice(sources.length + 1);
    return path.startsWith(`${sources}/`) && !name.includes('/') ? join(copy, 'scripts/mod', name) : undefined;
  };
}
