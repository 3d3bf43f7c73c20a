/**
 * Debian architecture names → rpm's, with the two numbers rpm derives from them:
 * the lead's archnum (rpmrc.in, arch_canon) and the ISA suffix of the implicit
 * "name(isa) = evr" provide (installplatform's ISANAME-ISABITS, e.g. "x86-64").
 */
import { KpkgError } from '../../util/errors.js';

export interface RpmArch {
  /** The header's ARCH and the file name's arch: 'x86_64', 'aarch64', 'noarch'… */
  name: string;
  /** arch_canon number; 0 for noarch, which has none (rpmbuild writes the build host's there). */
  archnum: number;
  /** "(aarch-64)"-style provide suffix; undefined for noarch (rpmbuild adds none). */
  isa?: string;
}

const ARCHES: Readonly<Record<string, RpmArch>> = {
  amd64: { name: 'x86_64', archnum: 1, isa: 'x86-64' },
  i386: { name: 'i686', archnum: 1, isa: 'x86-32' },
  arm64: { name: 'aarch64', archnum: 19, isa: 'aarch-64' },
  armhf: { name: 'armv7hl', archnum: 12, isa: 'armv7hl-32' },
  ppc64el: { name: 'ppc64le', archnum: 16, isa: 'ppc-64' },
  riscv64: { name: 'riscv64', archnum: 22, isa: 'riscv-64' },
  s390x: { name: 's390x', archnum: 15, isa: 's390-64' },
  loong64: { name: 'loongarch64', archnum: 23, isa: 'loongarch-64' },
  all: { name: 'noarch', archnum: 0 },
};

export function rpmArch(debianArch: string): RpmArch {
  const arch = ARCHES[debianArch];
  if (arch === undefined) {
    throw new KpkgError(`kpkg cannot write an rpm package for the Debian architecture '${debianArch}': it knows ${Object.keys(ARCHES).join(', ')}`);
  }
  return arch;
}
