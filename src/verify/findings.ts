/** The checks `kpkg verify` runs: stable ids (scripts match on them), one severity each, a title. */

export type Severity = 'error' | 'warning' | 'info';

export const CHECKS = {
  'package-arch': { severity: 'error', title: "package's declared architecture is the target's" },
  'kernel-config-arch': { severity: 'warning', title: 'shipped kernel configurations are for the target machine' },
  'elf-machine': {
    severity: 'error',
    title: 'ELF files are for the target machine (machine, class, byte order, ARM float ABI)',
  },
  'elf-interpreter': { severity: 'error', title: "programs ask for the target's dynamic loader" },
  'elf-damaged': { severity: 'error', title: 'ELF files are whole and well-formed' },
  'elf-relocatable': { severity: 'warning', title: 'no relocatable objects (.o) in a headers tree' },
  'headers-incomplete': { severity: 'error', title: 'headers tree has what external module builds need' },
  'headers-btf-skipped': { severity: 'info', title: 'BTF for external modules (needs vmlinux and resolve_btfids)' },
  'headers-compiler': {
    severity: 'warning',
    title: "a clang-built kernel's headers bring clang and make `make M=` use it",
  },
  'headers-compiler-undeclared': { severity: 'info', title: 'the headers depend on the gcc modules are built with' },
  'build-link': { severity: 'error', title: 'the /lib/modules/<release>/build link points at the headers' },
  'build-link-missing': {
    severity: 'warning',
    title: 'a /lib/modules/<release>/build link exists for the headers tree',
  },
  'secret-private-key': { severity: 'error', title: 'no PEM private keys' },
  'secret-key-file': { severity: 'error', title: 'no module signing key files (certs/signing_key.pem, *.priv)' },
  'randstruct-seed': { severity: 'info', title: 'randstruct seed exposure' },
  'build-host-path': { severity: 'warning', title: 'no build machine paths in text files' },
  'deb-control': {
    severity: 'error',
    title: 'control file has Package, Version, Architecture, Maintainer, Description',
  },
  'deb-md5sums': { severity: 'error', title: 'md5sums match the data member' },
  'deb-md5sums-incomplete': { severity: 'warning', title: 'md5sums lists every regular file' },
  'rpm-digests': { severity: 'error', title: "each .rpm's header and payload match its digests (rpm -K)" },
  'rpm-digests-missing': { severity: 'warning', title: 'each .rpm has digests of its header and its payload' },
  prerequisites: { severity: 'error', title: "kpkg's packages declare every shared library their programs need" },
  'prerequisites-other': {
    severity: 'warning',
    title: "other tools' packages declare every shared library their programs need",
  },
  'hardlink-dangling': { severity: 'error', title: 'hard links point to a file earlier in the same package' },
  'name-not-utf8': { severity: 'warning', title: 'member names and link targets are UTF-8' },
  'set-conflict': { severity: 'warning', title: 'no path is shipped by two packages' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type CheckId = keyof typeof CHECKS;

export const CHECK_IDS = Object.keys(CHECKS) as CheckId[];

export interface Finding {
  check: CheckId;
  severity: Severity;
  /** The offending path (install path), when there is one. */
  path?: string;
  /** The package it is in, or the package the finding is about. */
  package?: string;
  message: string;
  found?: string;
  expected?: string;
}

export function finding(
  check: CheckId,
  message: string,
  details: Omit<Finding, 'check' | 'severity' | 'message'> = {},
): Finding {
  return { check, severity: CHECKS[check].severity, message, ...details };
}

/** One id's outcome, a line of the report: findings, or not applicable to these packages (e.g. deb checks on an rpm). */
export interface CheckResult {
  id: CheckId;
  applicable: boolean;
  findings: Finding[];
  /** Why it does not apply, or what was checked, for the summary. */
  note?: string;
}
