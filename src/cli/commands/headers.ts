import type { Command } from 'commander';
import { assertReadyToPackage, assertTargetToolsInstalled } from '../../doctor/preflight.js';
import { readTreeFacts } from '../../kernel/inspect.js';
import { describeCompiler } from '../../kernel/headers/gcc-plugins.js';
import { writeTree } from '../../kernel/headers/write-tree.js';
import { checkOutOutsideTree } from '../../pipeline/check-options.js';
import { OutputSet } from '../../pipeline/output-set.js';
import { stageHeadersPart } from '../../pipeline/stage-headers.js';
import { kpkgCacheDir } from '../../util/cache.js';
import { printableReport } from '../../util/printable.js';
import { KpkgError } from '../../util/errors.js';
import { lstatOrUndefined } from '../../util/fs.js';
import type { TargetLibraryChoice } from '../../sysroot/target-libraries.js';
import { withBuildCache } from '../../cache/build-cache.js';
import {
  addCacheOption,
  addOutOption,
  addTargetLibraryOptions,
  addTreeOptions,
  makeVarsFrom,
  targetLibraryChoice,
  type TreeOptions,
} from '../options.js';
import { createProgress } from '../progress.js';

export function registerHeaders(program: Command): void {
  addCacheOption(addTargetLibraryOptions(addOutOption(addTreeOptions(program.command('headers')))))
    .description(
      'stage the external-module build tree (host programs rebuilt for the target, every ELF checked) into <out>/linux-headers-<release>',
    )
    .action(async (args: string[], options: TreeOptions & TargetLibraryChoice & { out: string; cache: boolean }) => {
      const progress = createProgress({ verbose: options.verbose });
      try {
        const tree = { buildDir: options.buildDir, sourceDir: options.sourceDir, vars: makeVarsFrom(args) };
        const facts = await readTreeFacts(tree);
        await checkOutOutsideTree(options.out, facts.tree);
        await assertTargetToolsInstalled(facts);
        await assertReadyToPackage(facts, { ...tree, ...targetLibraryChoice(options) });
        const output = await OutputSet.open(options.out);
        // The cache is open while the tree is written: the rebuilt programs are read from it.
        const staged = await withBuildCache({ cacheDir: kpkgCacheDir(), enabled: options.cache }, async (cache) => {
          const headers = await stageHeadersPart(facts, {
            cache,
            tree,
            ...targetLibraryChoice(options),
            onStep: (s, d) => progress.step(s, d),
            onCommand: (c) => progress.command(c),
          });
          try {
            const name = `linux-headers-${headers.release}`;
            if ((await lstatOrUndefined(output.finalPath(name))) !== undefined)
              throw new KpkgError(`${output.finalPath(name)} already exists`, {
                where: output.finalPath(name),
                hint: 'remove it or choose another --out directory',
              });
            progress.step('write', output.finalPath(name));
            await writeTree(headers.entries, output.stagingPath(name));
            return headers;
          } finally {
            await headers.dispose();
          }
        }).catch(async (e: unknown) => {
          await output.discard();
          throw e;
        });
        const dest = output.finalPath(`linux-headers-${staged.release}`);
        try {
          await output.commit();
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
          process.stdout.write(
            options.json === true
              ? `${JSON.stringify(result, null, 2)}\n`
              : printableReport([
                  dest,
                  `  ${result.files} files, ${result.rebuilt.length} host programs rebuilt for ${facts.arch.debian}, ${result.elfCount} ELF files checked`,
                ]),
          );
        } finally {
          await output.discard();
        }
      } catch (e) {
        progress.finish(false);
        throw e;
      }
    });
}
