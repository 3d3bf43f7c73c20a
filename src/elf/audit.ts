import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { readElfFile } from './elf.js';
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
}

export interface ElfAudit {
  /** How many of the files were ELF. */
  elfCount: number;
  findings: ElfFinding[];
}

/**
 * Checks every ELF file against the target: machine, class, byte order, ARM float ABI and, for
 * programs, the dynamic loader. Non-ELF files are ignored; truncated or invalid ELF is reported.
 */
export async function auditElfFiles(files: readonly AuditedFile[], expect: ElfExpectation): Promise<ElfAudit> {
  const expected = describeIdentity(expect.identity);
  const results = await mapLimit(files, IO_PARALLELISM, async (file): Promise<{ elf: boolean; finding?: ElfFinding }> => {
    const r = await readElfFile(file.source);
    if (r.kind === 'not-elf') return { elf: false };
    if (r.kind !== 'elf') return { elf: true, finding: { path: file.path, problem: 'damaged', found: `${r.kind}: ${r.reason}`, expected } };
    const id = identityOf(r.elf);
    if (!sameIdentity(id, expect.identity)) {
      return { elf: true, finding: { path: file.path, problem: 'wrong-machine', found: describeIdentity(id), expected } };
    }
    const interp = r.elf.interpreter;
    if (interp !== undefined && expect.interpreter !== undefined && interp !== expect.interpreter) {
      return { elf: true, finding: { path: file.path, problem: 'wrong-interpreter', found: interp, expected: expect.interpreter } };
    }
    return { elf: true };
  });
  return {
    elfCount: results.filter((r) => r.elf).length,
    findings: results.flatMap((r) => (r.finding === undefined ? [] : [r.finding])),
  };
}
