import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readTreeFacts } from '../../kernel/inspect.js';
import { describeCompiler } from '../../kernel/headers/gcc-plugins.js';
import { stageHeaders } from '../../kernel/headers/stage.js';
import { writeTree } from '../../kernel/headers/write-tree.js';
import { kpkgCacheDir } from '../../util/cache.js';
import type { TargetLibraryChoice } from '../../sysroot/target-libraries.js';
import { addOutOption, addTargetLibraryOptions, addTreeOptions, makeVarsFrom, targetLibraryChoice, type TreeOptions } from '../options.js';
import { createProgress } from '../progress.js';

export function registerHeaders(program: Command): void {
  addTargetLibraryOptions(addOutOption(addTreeOptions(program.command('headers'))))
    .description('stage the external-module build tree (host programs rebuilt for the target, every ELF checked) into <out>/linux-headers-<release>')
    .action(async (args: string[], options: TreeOptions & TargetLibraryChoice & { out: string }) => {
      const progress = createProgress({ verbose: options.verbose });
      try {
        const facts = await readTreeFacts({ buildDir: options.buildDir, sourceDir: options.sourceDir, vars: makeVarsFrom(args) });
        const staged = await stageHeaders(facts, { cacheDir: kpkgCacheDir(), ...targetLibraryChoice(options), onStep: (s, d) => progress.step(s, d), onCommand: (c) => progress.command(c) });
        try {
          await mkdir(resolve(options.out), { recursive: true });
          const dest = join(resolve(options.out), `linux-headers-${staged.release}`);
          progress.step('write', dest);
          await writeTree(staged.entries, dest);
          progress.finish(true);
          const result = {
            path: dest,
            release: staged.release,
            files: staged.entries.length,
            elfCount: staged.elfCount,
            rebuilt: staged.rebuilt.map((r) => ({ path: r.path, was: r.was })),
            libraries: staged.libraries?.description,
            // What a package of this tree must depend on: each family names it (kpkg deb/rpm/pacman).
            needs: staged.needs.libraries.map((l) => l.soname),
            pluginCompiler: staged.pluginCompiler === undefined ? undefined : describeCompiler(staged.pluginCompiler),
          };
          process.stdout.write(options.json === true ? `${JSON.stringify(result, null, 2)}\n` : `${dest}\n  ${result.files} files, ${result.rebuilt.length} host programs rebuilt for ${facts.arch.debian}, ${result.elfCount} ELF files checked\n`);
        } finally {
          await staged.dispose();
        }
      } catch (e) {
        progress.finish(false);
        throw e;
      }
    });
}
