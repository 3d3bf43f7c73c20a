/**
 * Writes a binary RPM v4 package from the format-neutral description, as rpm 4.14–4.19's
 * rpmbuild lays one out (build/pack.c, writeRPM):
 *
 *   lead (96 bytes) · signature header, padded to 8 · main header · compressed cpio payload.
 *
 * rpmbuild writes the file back to front with placeholders; kpkg streams instead:
 *   1. the payload (cpio, see src/archive/cpio.ts) is compressed into a temporary file while the
 *      uncompressed bytes are counted and hashed (PAYLOADDIGESTALT), the compressed ones hashed
 *      (PAYLOADDIGEST) and every file's SHA-256 taken (FILEDIGESTS) — or, with a member store,
 *      taken from it when a run before made a payload of the same bytes (it holds the files alone,
 *      so a new release finds it);
 *   2. the main header is built and encoded, then the temporary payload is read once more for
 *      the signature's MD5 over header + payload;
 *   3. lead, signature, header and payload are written under a temporary name in the target
 *      directory, hashed on the way, and renamed into place. A failure leaves nothing behind.
 *
 * Reproducible: no clock, host name or user enters the file; the same description, compressor
 * and compressor version give the same bytes.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CompressionKind } from '../../archive/compress.js';
import { compressor, compressorIdentity, DEFAULT_COMPRESSION_LEVEL } from '../../archive/compress.js';
import { entriesKey, type KeyedEntry, type MemberStore } from '../../archive/compressed-member.js';
import { cpioStream, type CpioWriteEntry } from '../../archive/cpio.js';
import { measuringStream } from '../../archive/measure.js';
import { RPMTAG } from '../../archive/rpm.js';
import { writePackageFile } from '../package-file.js';
import type { Packager, SetFields, WriteOptions, WrittenArtifact } from '../packager.js';
import type { PackageDescription } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { rpmArch } from '../../arch/families.js';
import type { RpmDep } from './deps.js';
import { rpmlibDep } from './deps.js';
import { addFileTags, hasLargeFiles, installedSize, payloadEntries, PGPHASHALGO_SHA256, rpmFiles } from './files.js';
import type { RpmFile } from './files.js';
import { HeaderBuilder } from './header.js';
import { encodeLead } from './lead.js';
import {
  addDependencyTags,
  addDescriptiveTags,
  addScriptTags,
  checkName,
  depSets,
  rpmVersion,
  rpmVersionOf,
  scripts,
} from './metadata.js';
import { encodeSignature } from './signature.js';

/** PAYLOADCOMPRESSOR values and the rpmlib() feature each needs (pack.c, getIOFlags). */
const COMPRESSORS: Readonly<Partial<Record<CompressionKind, { name: string; feature?: RpmDep }>>> = {
  xz: { name: 'xz', feature: rpmlibDep('PayloadIsXz', '5.2-1') },
  zstd: { name: 'zstd', feature: rpmlibDep('PayloadIsZstd', '5.4.18-1') },
  gzip: { name: 'gzip' },
};

const UINT32_MAX = 0xffffffff;

interface Payload {
  /** Uncompressed cpio size (the signature's PAYLOADSIZE). */
  archiveSize: number;
  compressedSize: number;
  /** Hex SHA-256 of the compressed and of the uncompressed payload. */
  digest: string;
  digestAlt: string;
  fileDigests: Map<string, string>;
}

async function writePayload(
  files: readonly RpmFile[],
  mtime: number,
  kind: CompressionKind,
  level: number,
  path: string,
): Promise<Payload> {
  const fileDigests = new Map<string, string>();
  const archive = cpioStream(payloadEntries(files, mtime), {
    format: hasLargeFiles(files) ? 'rpm-stripped' : 'newc',
    digest: { algorithm: 'sha256', onDigest: (entry, hex) => fileDigests.set(entry.name.slice(1), hex) },
  });
  const plain = measuringStream();
  const packed = measuringStream();
  await pipeline(archive, plain.stream, compressor(kind, level), packed.stream, createWriteStream(path));
  return {
    archiveSize: plain.size,
    compressedSize: packed.size,
    digest: packed.digest(),
    digestAlt: plain.digest(),
    fileDigests,
  };
}

/** A payload entry as entriesKey sees it: the fields of its cpio header, and a file's content. */
function keyedPayloadEntry(e: CpioWriteEntry): KeyedEntry {
  switch (e.type) {
    case 'file':
      return { fields: [e.type, e.name, e.mode, e.ino, e.mtime, e.size, e.fileIndex ?? ''], content: e.content };
    case 'symlink':
      return { fields: [e.type, e.name, e.target, e.ino, e.mtime, e.fileIndex ?? ''] };
    case 'dir':
      return { fields: [e.type, e.name, e.mode, e.ino, e.mtime, e.fileIndex ?? ''] };
  }
}

/** The payload's fields as a store keeps them (JSON). */
type StoredPayload = Omit<Payload, 'fileDigests'> & { fileDigests: [string, string][] };

/**
 * The compressed payload of `files`: from options.members when a run before made the same bytes
 * (the payload holds the files alone, so a new version or new relations find it too), else written
 * (into the store, or to `scratchPath`).
 */
async function payloadFile(
  files: readonly RpmFile[],
  mtime: number,
  kind: CompressionKind,
  level: number,
  scratchPath: string,
  store: MemberStore | undefined,
): Promise<Payload & { path: string }> {
  if (store === undefined)
    return { ...(await writePayload(files, mtime, kind, level, scratchPath)), path: scratchPath };
  const label = `rpm payload 1\0${hasLargeFiles(files) ? 'rpm-stripped' : 'newc'}\0${await compressorIdentity(kind)}\0${kind} ${level}`;
  const key = await entriesKey(label, payloadEntries(files, mtime).map(keyedPayloadEntry), store);
  const { dir, meta } = await store.member(key, async (d): Promise<StoredPayload> => {
    const payload = await writePayload(files, mtime, kind, level, join(d, 'payload'));
    return { ...payload, fileDigests: [...payload.fileDigests] };
  });
  return { ...meta, fileDigests: new Map(meta.fileDigests), path: join(dir, 'payload') };
}

/** rpm's times are 32-bit: BUILDTIME, FILEMTIMES, the cpio headers' mtime. */
function checkRpmTime(mtime: number, of = ''): void {
  if (!Number.isInteger(mtime) || mtime < 0 || mtime > UINT32_MAX)
    throw new KpkgError(`the time stamp ${mtime}${of} does not fit rpm's 32-bit times (0 to ${UINT32_MAX})`);
}

function checkPackage(pkg: PackageDescription): void {
  checkName(pkg.name);
  checkRpmTime(pkg.mtime, ` of ${pkg.name}`);
}

/** The version's syntax and a time rpm's 32-bit fields hold; the packager (PACKAGER) is any text. */
function checkRpmFields(fields: SetFields): void {
  if (fields.version !== undefined) rpmVersionOf(fields.version);
  if (fields.mtime !== undefined) checkRpmTime(fields.mtime);
}

/** The package's file name: <name>-<version>-<release>.<arch>.rpm (no epoch, as rpmbuild's %{_build_name_fmt}). */
export function rpmFileName(pkg: PackageDescription): string {
  const { version, release } = rpmVersion(pkg);
  return `${pkg.name}-${version}-${release}.${rpmArch(pkg.arch).name}.rpm`;
}

/** Compresses the payload of `pkg` into options.members, for a writeRpm that follows (packager.ts, prepare). */
export async function prepareRpm(pkg: PackageDescription, options: WriteOptions): Promise<void> {
  if (options.members === undefined || COMPRESSORS[options.compression] === undefined) return; // writeRpm refuses the compression
  checkPackage(pkg);
  await payloadFile(
    rpmFiles(pkg.entries),
    pkg.mtime,
    options.compression,
    options.level ?? DEFAULT_COMPRESSION_LEVEL[options.compression],
    '',
    options.members,
  );
}

/** Builds the .rpm at `outPath` (replacing a previous file there only on success). */
export async function writeRpm(
  pkg: PackageDescription,
  outPath: string,
  options: WriteOptions,
): Promise<WrittenArtifact> {
  // Everything that can be refused is refused before a byte is written.
  checkPackage(pkg);
  const version = rpmVersion(pkg);
  const arch = rpmArch(pkg.arch);
  const scriptList = scripts(pkg);
  const files = rpmFiles(pkg.entries);
  const compression = COMPRESSORS[options.compression];
  if (compression === undefined)
    throw new KpkgError(`rpm packages cannot use compression '${options.compression}': use xz, zstd or gzip`);
  const level = options.level ?? DEFAULT_COMPRESSION_LEVEL[options.compression];
  const large = hasLargeFiles(files);
  const features = [
    rpmlibDep('CompressedFileNames', '3.0.4-1'),
    rpmlibDep('FileDigests', '4.6.0-1'),
    rpmlibDep('PayloadFilesHavePrefix', '4.0-1'),
    ...(compression.feature === undefined ? [] : [compression.feature]),
    ...(large ? [rpmlibDep('LargeFiles', '4.12.0-1')] : []),
  ];
  const deps = depSets(pkg, arch, version.evr, scriptList, features);

  return writePackageFile(outPath, async ({ partial, scratch }) => {
    // 1. The payload.
    const payload = await payloadFile(
      files,
      pkg.mtime,
      options.compression,
      level,
      scratch('payload'),
      options.members,
    );

    // 2. The main header, then the signature over it.
    const header = new HeaderBuilder();
    addDescriptiveTags(header, pkg, version, arch);
    const size = installedSize(files);
    if (size < UINT32_MAX) header.int32(RPMTAG.SIZE, [size]);
    else header.int64(RPMTAG.LONGSIZE, [size]);
    addScriptTags(header, scriptList);
    addFileTags(header, files, pkg.mtime, payload.fileDigests);
    addDependencyTags(header, deps);
    header
      .string(RPMTAG.PAYLOADFORMAT, 'cpio')
      .string(RPMTAG.PAYLOADCOMPRESSOR, compression.name)
      .string(RPMTAG.PAYLOADFLAGS, String(level))
      .strings(RPMTAG.PAYLOADDIGEST, [payload.digest])
      .int32(RPMTAG.PAYLOADDIGESTALGO, [PGPHASHALGO_SHA256])
      .strings(RPMTAG.PAYLOADDIGESTALT, [payload.digestAlt]);
    const headerBytes = header.encode(RPMTAG.HEADERIMMUTABLE);
    const md5 = createHash('md5').update(headerBytes);
    for await (const chunk of createReadStream(payload.path)) md5.update(chunk as Buffer);
    const signature = encodeSignature({
      headerSha1: createHash('sha1').update(headerBytes).digest('hex'),
      headerSha256: createHash('sha256').update(headerBytes).digest('hex'),
      md5: md5.digest(),
      size: headerBytes.length + payload.compressedSize,
      payloadSize: payload.archiveSize,
    });
    const lead = encodeLead(`${pkg.name}-${version.evr}`, arch.archnum);

    // 3. The package file.
    const whole = measuringStream();
    await pipeline(
      async function* () {
        yield lead;
        yield signature;
        yield headerBytes;
        yield* createReadStream(payload.path);
      },
      whole.stream,
      createWriteStream(partial),
    );
    return { sha256: whole.digest(), size: whole.size };
  });
}

export const rpmPackager: Packager = {
  format: 'rpm',
  compressions: ['xz', 'zstd', 'gzip'],
  checkFields: checkRpmFields,
  fileName: (pkg) => rpmFileName(pkg),
  write: writeRpm,
  prepare: prepareRpm,
};
