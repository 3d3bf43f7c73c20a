/**
 * The real samples every fuzz target's corpus is drawn from, made once per run (memoized):
 * compiling, writing packages and running the system tools take a few seconds in all.
 */
import { compiledElfSamples, systemElfSamples } from './seed-elf.js';
import { cachedCmdTexts, EMBEDDED_CMD_TEXTS } from './seed-cmd.js';
import {
  arMembers,
  cachedDebs,
  hostilePackages,
  kpkgCpio,
  systemArchives,
  writtenPackages,
  type SystemArchives,
  type WrittenPackages,
} from './seed-packages.js';

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export class Samples {
  /** ELF files of several machines, classes and byte orders. */
  readonly elf = once(async (): Promise<Buffer[]> => [...(await systemElfSamples()), ...(await compiledElfSamples())]);

  /** The small aarch64 program the sample packages ship. */
  readonly program = once(async (): Promise<Buffer> => {
    const arm64 = (await this.elf()).find(
      (bytes) => bytes[4] === 2 && bytes[5] === 1 && bytes.readUInt16LE(18) === 183,
    );
    if (arm64 === undefined)
      throw new Error('no aarch64 ELF sample: install libc6-dev-arm64-cross (or run tools/install-deps)');
    return arm64;
  });

  readonly packages = once(async (): Promise<WrittenPackages> => writtenPackages(await this.program()));
  readonly realDebs = once(() => cachedDebs());
  /** Huge counts, deep and wide trees (seed-packages.ts's hostilePackages). */
  readonly hostile = once(() => hostilePackages());
  readonly system = once((): Promise<SystemArchives> => systemArchives());

  /** Uncompressed tar archives: kpkg's data.tar and plain tarball, and the system tar's formats. */
  readonly tars = once(async (): Promise<Buffer[]> => {
    const packages = await this.packages();
    const fromDeb = [...(await arMembers(packages.deb[0] ?? Buffer.alloc(0)))]
      .filter(([name]) => name.startsWith('data.tar') || name.startsWith('control.tar'))
      .map(([, bytes]) => bytes);
    return [...fromDeb, packages.tarball[0] ?? Buffer.alloc(0), ...(await this.system()).tar];
  });

  readonly cpios = once(async (): Promise<Buffer[]> => [
    await kpkgCpio(await this.program()),
    ...(await this.system()).cpio,
  ]);

  readonly cmdTexts = once(async (): Promise<Buffer[]> =>
    [...EMBEDDED_CMD_TEXTS, ...(await cachedCmdTexts())].map((text) => Buffer.from(text, 'utf8')),
  );
}
