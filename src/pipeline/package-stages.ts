/**
 * One package from its staged parts to its file, in three named stages:
 *  - describe: the layout's description of the package (layouts/layout.ts);
 *  - compress: the format's work that depends only on the files (Packager.prepare: a separate data
 *    member or payload), started as soon as the files are known, in one of the run's slots;
 *  - write: the package file, into the output's staging directory.
 *
 * A package is described once, except one that holds the headers part in a format that compresses
 * early: its files are known long before the headers' run-time relations (they need the target's
 * package data, which may be fetched), so it is described in two phases — describeFiles, with no
 * relations, to start compressing; then describeWhole, with them, to write. The relations are not
 * in the compressed member, so the member made from the first description is the one the write
 * uses. Every package's bytes depend only on its whole description: the schedule never changes them.
 */
import type { Packager, WriteOptions, WrittenArtifact } from '../formats/packager.js';
import type { KernelParts } from '../kernel/parts.js';
import type { DistributionLayout, LayoutContext } from '../layouts/layout.js';
import type { Dependency, PackageDescription } from '../package/model.js';
import type { Slots } from '../util/pool.js';

export interface PackageStages<Kind extends string> {
  layout: DistributionLayout<Kind>;
  packager: Packager;
  context: Omit<LayoutContext, 'runtime'>;
  writeOptions: WriteOptions;
  /** At most this many packages are compressed or written at once. */
  slots: Slots;
  /** The headers' run-time relations in the layout's names; asked only by a package holding the headers part. */
  relations: () => Promise<readonly Dependency[]>;
  /** Where the file called `name` is written (the output set's staging directory). */
  stagingPath: (name: string) => string;
  onWrite?: ((name: string) => void) | undefined;
}

export interface MadePackage {
  description: PackageDescription;
  fileName: string;
  /** Where it was written (in the staging directory). */
  path: string;
  artifact: WrittenArtifact;
}

/** describe → compress → write, for one package whose parts are staged. */
export async function makePackage<Kind extends string>(
  stages: PackageStages<Kind>,
  kind: Kind,
  parts: KernelParts,
): Promise<MadePackage> {
  if (!waitsForRelations(parts)) {
    const pkg = describeFiles(stages, kind, parts);
    return writePackage(
      stages,
      pkg,
      startCompression(stages, () => pkg),
    );
  }
  const compressing = startCompression(stages, () => describeFiles(stages, kind, parts));
  const pkg = await describeWhole(stages, kind, parts);
  return writePackage(stages, pkg, compressing);
}

/** A package holding the headers part carries their run-time relations: its whole description waits for them. */
export function waitsForRelations(parts: KernelParts): boolean {
  return parts.headers !== undefined;
}

/** describe, first phase: the package with no run-time relations. Its files are final; without the headers part, all of it is. */
export function describeFiles<Kind extends string>(
  stages: Pick<PackageStages<Kind>, 'layout' | 'context'>,
  kind: Kind,
  parts: KernelParts,
): PackageDescription {
  return stages.layout.describe(kind, parts, { ...stages.context, runtime: [] });
}

/** describe, second phase: the package with the headers' run-time relations. */
export async function describeWhole<Kind extends string>(
  stages: Pick<PackageStages<Kind>, 'layout' | 'context' | 'relations'>,
  kind: Kind,
  parts: KernelParts,
): Promise<PackageDescription> {
  return stages.layout.describe(kind, parts, { ...stages.context, runtime: await stages.relations() });
}

/**
 * compress: starts the format's early work on the files (none for a format without Packager.prepare),
 * in a slot; `describe` runs when the slot is free. The result is awaited by writePackage.
 */
export function startCompression<Kind extends string>(
  stages: PackageStages<Kind>,
  describe: () => PackageDescription,
): Promise<void> | undefined {
  const { packager, writeOptions } = stages;
  if (packager.prepare === undefined) return undefined;
  const compressing = stages.slots.run(() => packager.prepare?.(describe(), writeOptions) ?? Promise.resolve());
  compressing.catch(() => undefined); // awaited in writePackage; a failure of the relations first must not leave it unhandled
  return compressing;
}

/**
 * write: the package file, once its early compression is done. Without one, the write takes a slot
 * itself; after one, it goes on at once (the slot was the compression's).
 */
export async function writePackage<Kind extends string>(
  stages: PackageStages<Kind>,
  pkg: PackageDescription,
  compressing: Promise<void> | undefined,
): Promise<MadePackage> {
  const { packager, writeOptions } = stages;
  const fileName = packager.fileName(pkg, writeOptions);
  const write = async (): Promise<MadePackage> => {
    stages.onWrite?.(fileName);
    const path = stages.stagingPath(fileName);
    return { description: pkg, fileName, path, artifact: await packager.write(pkg, path, writeOptions) };
  };
  if (compressing === undefined) return stages.slots.run(write);
  await compressing;
  return write();
}
