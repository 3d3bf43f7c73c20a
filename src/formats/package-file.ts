/**
 * The way every writer puts a package file in place (packager.ts, Packager.write): the file is
 * written under a temporary name beside `outPath` (the same directory, so the move is a rename) and
 * renamed only when complete, so `outPath` holds either what was there before or the whole package.
 * Scratch files the writer needs on the way (a compressed member, a payload) are named beside it too
 * and removed whether the write succeeded or not.
 */
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFailure, type WrittenArtifact } from './packager.js';

/** The names a writer writes into while the package is made. */
export interface PackageFilePaths {
  /** The package itself, renamed to outPath when complete. */
  partial: string;
  /** A scratch file named after `what` (e.g. 'payload'), removed at the end whatever happens. */
  scratch: (what: string) => string;
}

/** What the writer measured of the bytes it wrote at `partial`. */
export type WrittenBytes = Omit<WrittenArtifact, 'path'>;

/** A name beside `outPath` only this process uses: `.<name>.<what>-<pid>`. */
export function pathBeside(outPath: string, what: string): string {
  return join(dirname(outPath), `.${basename(outPath)}.${what}-${process.pid}`);
}

/**
 * Runs `write` and moves the file it wrote at `paths.partial` to `outPath`. A failure leaves
 * nothing new beside or at `outPath` (a file already there stays as it was) and is thrown as
 * writeFailure makes it: a failed system call names outPath.
 */
export async function writePackageFile(
  outPath: string,
  write: (paths: PackageFilePaths) => Promise<WrittenBytes>,
): Promise<WrittenArtifact> {
  const partial = pathBeside(outPath, 'partial');
  const scratch: string[] = [];
  const scratchPath = (what: string): string => {
    const path = pathBeside(outPath, what);
    scratch.push(path);
    return path;
  };
  try {
    const written = await write({ partial, scratch: scratchPath });
    await rename(partial, outPath);
    return { path: outPath, ...written };
  } catch (error) {
    await rm(partial, { force: true });
    throw writeFailure(outPath, error);
  } finally {
    for (const path of scratch) await rm(path, { force: true });
  }
}
