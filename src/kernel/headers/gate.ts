import type { ArchInfo } from '../../arch/arch-table.js';
import { auditElfFiles, type ElfFinding } from '../../elf/audit.js';
import { KpkgError } from '../../util/errors.js';
import type { HeadersEntry } from './manifest.js';
import type { HeadersScan } from './scan.js';

/**
 * The gate step: every ELF file the headers tree would ship runs on the target (machine, class,
 * byte order, float ABI, dynamic loader: elf/audit.ts). Files the scan read are not read again;
 * the rebuilt programs (origin 'kpkg') are. Returns how many files are ELF; throws elfGateError
 * naming every file that is not the target's.
 */
export async function gateElfFiles(
  entries: readonly HeadersEntry[],
  scan: Pick<HeadersScan, 'readOf'>,
  arch: ArchInfo,
  release: string,
): Promise<number> {
  const audit = await auditElfFiles(
    entries
      .filter((e) => e.kind === 'file')
      .map((e) => ({ ...e, read: e.origin === 'kpkg' ? undefined : scan.readOf(e.path) })),
    { identity: arch.elf, interpreter: arch.dynamicLoader },
  );
  if (audit.findings.length > 0) throw elfGateError(audit.findings, release);
  return audit.elfCount;
}

export function elfGateError(findings: readonly ElfFinding[], release: string): KpkgError {
  const lines = findings.map((f) => `  ${f.path}: ${f.problem} — ${f.found}, expected ${f.expected}`);
  return new KpkgError(
    `the headers of ${release} would ship ${findings.length} file(s) that cannot run on the target:\n${lines.join('\n')}`,
    {
      hint: 'nothing was written. These files are not build products kpkg knows how to rebuild for the target (no Kbuild record, or not from the kernel build at all): rebuild the kernel from a clean tree, or report the file',
    },
  );
}
