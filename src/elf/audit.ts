import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { parseElf, readElfFile, type ElfReadResult } from './elf.js';
import { describeIdentity, identityOf, sameIdentity, type ElfIdentity } from './identity.js';

/** The machine every ELF file of a package must run on. */
export interface ElfExpectation {
  identity: ElfIdentity;
  /** The target's dynamic loader (PT_INTERP) for dynamically linked programs. */
  interpreter?: string;
}

export interface ElfFinding {
  /** Path as the caller named it (e.g. inside the package). */
  path: string;
  problem: 'wrong-machine' | 'wrong-interpreter' | 'damaged';
  /** e.g. "x86-64 64-bit little-endian", or "/lib64/ld-linux-x86-64.so.2". */
  found: string;
  expected: string;
}

export interface AuditedFile {
  path: string;
  /** Where to read it. */
  source: string;
  /** A kernel-side file (module, vmlinux, vDSO): its ARM float ABI is not compared (see SameIdentityOptions). */
  kernelObject?: boolean;
  /** What reading it gave, when the caller read it already (in the same locked run): not read again. */
  read?: ElfReadResult | undefined;
}

/** A file already in memory: all of it, or a prefix holding its ELF header, program headers and PT_INTERP. */
export interface AuditedBuffer {
  path: string;
  bytes: Uint8Array;
  kernelObject?: boolean;
}

export interface ElfAudit {
  /** How many of the files were ELF. */
  elfCount: number;
  findings: ElfFinding[];
}

/** The verdict on one file. */
export interface ElfCheck {
  elf: boolean;
  finding?: ElfFinding;
}

/**
 * The one check behind every audit: machine, class, byte order, ARM float ABI (not for kernel
 * objects) and, for programs, the dynamic loader. Non-ELF is no finding; truncated or invalid ELF is.
 */
export function checkElf(
  path: string,
  read: ElfReadResult,
  expect: ElfExpectation,
  options: { kernelObject?: boolean } = {},
): ElfCheck {
  const expected = describeIdentity(expect.identity);
  if (read.kind === 'not-elf') return { elf: false };
  if (read.kind !== 'elf')
    return { elf: true, finding: { path, problem: 'damaged', found: `${read.kind}: ${read.reason}`, expected } };
  const id = identityOf(read.elf);
  if (!sameIdentity(id, expect.identity, { compareFloatAbi: options.kernelObject !== true })) {
    return { elf: true, finding: { path, problem: 'wrong-machine', found: describeIdentity(id), expected } };
  }
  const interp = read.elf.interpreter;
  if (interp !== undefined && expect.interpreter !== undefined && interp !== expect.interpreter) {
    return { elf: true, finding: { path, problem: 'wrong-interpreter', found: interp, expected: expect.interpreter } };
  }
  return { elf: true };
}

function summarize(checks: readonly ElfCheck[]): ElfAudit {
  return {
    elfCount: checks.filter((c) => c.elf).length,
    findings: checks.flatMap((c) => (c.finding === undefined ? [] : [c.finding])),
  };
}

/**
 * Checks every ELF file on disk against the target (see checkElf). Non-ELF files are ignored;
 * truncated or invalid ELF is reported.
 */
export async function auditElfFiles(files: readonly AuditedFile[], expect: ElfExpectation): Promise<ElfAudit> {
  const checks = await mapLimit(files, IO_PARALLELISM, async (file) =>
    checkElf(
      file.path,
      file.read ?? (await readElfFile(file.source)),
      expect,
      file.kernelObject === true ? { kernelObject: true } : {},
    ),
  );
  return summarize(checks);
}

/** The same audit over files already in memory (e.g. read from an archive stream). */
export function auditElfBuffers(files: readonly AuditedBuffer[], expect: ElfExpectation): ElfAudit {
  return summarize(
    files.map((file) =>
      checkElf(file.path, parseElf(file.bytes), expect, file.kernelObject === true ? { kernelObject: true } : {}),
    ),
  );
}
