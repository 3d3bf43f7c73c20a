// Every way each check of `kpkg doctor` can fail, made to happen on this machine for real (slow: it
// compiles with the cross toolchains tools/install-deps installs, and clang): a program hidden from
// PATH, a header or a library missing from a throwaway sysroot, a rule file missing. Each cause must be
// reported by its own check only, naming what is missing and the remedy; where the remedy needs no
// network, applying it (PATH restored, the file put back) makes the check pass.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { archByDebian, type ArchInfo } from '../arch/arch-table.js';
import { packagingFeatures } from '../kernel/features.js';
import { pluginIncludeDir } from '../kernel/headers/gcc-plugins.js';
import type { TreeFacts } from '../kernel/inspect.js';
import { BINFMT_CONF_DIR } from '../smoke/binfmt.js';
import { LIBRARY_PROBES } from '../sysroot/library-probes.js';
import { arm64GccToolchain, fakeKernelTree } from '../testing/fake-tree.js';
import { pathWithout, withPath } from '../testing/hidden-programs.js';
import { ThrowawaySysroot } from '../testing/throwaway-sysroot.js';
import { missingChecks, runDoctor, type DoctorInput } from './checks.js';
import { assertTargetToolsInstalled } from './preflight.js';
import { formatCheck } from './report.js';

function row(debian: string): ArchInfo {
  const arch = archByDebian(debian);
  assert.ok(arch !== undefined, debian);
  return arch;
}
const arm64 = row('arm64');
/** A configuration whose host programs link no library and use no plugin: only the compilers are checked. */
const PLAIN = packagingFeatures(new Map([['CONFIG_MODULES', 'y']]));

/** The machine of one cause: what is hidden from PATH and the doctor's input. */
interface Machine {
  hide?: readonly string[];
  input: DoctorInput;
}

interface Cause {
  check: string;
  cause: string;
  /** Made once, before the cause's test (a throwaway sysroot, an empty directory). */
  machine: () => Promise<Machine>;
  /** The check's report names these: the missing thing and the remedy. */
  names: readonly (string | RegExp)[];
  /** Every check missing (default: this one alone). */
  missing?: readonly string[];
  /** The remedy applied, where that needs no network: the machine then passes the check. */
  remedy?: (machine: Machine) => Promise<Machine>;
}

const disposals: (() => Promise<void>)[] = [];
after(async () => {
  for (const dispose of disposals) await dispose();
});

async function sysroot(): Promise<ThrowawaySysroot> {
  const s = await ThrowawaySysroot.complete(arm64);
  disposals.push(() => s.dispose());
  return s;
}

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-doctor-causes-'));
  disposals.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const restorePath = (m: Machine): Promise<Machine> => Promise.resolve({ input: m.input });

/** A library probe with its header, or one of its libraries, missing from a --sysroot (every other library there). */
function libraryCauses(
  check: string,
  header: string,
  libraries: readonly { name: string; alsoMissing?: readonly string[] }[],
  pkg: string,
): Cause[] {
  const unpack = new RegExp(
    `apt-get download ${pkg}:arm64 && dpkg-deb -x ${pkg}_\\*_arm64\\.deb /\\S+ {3}\\(or leave out --sysroot`,
  );
  const causes: Cause[] = [];
  let root: ThrowawaySysroot | undefined;
  causes.push({
    check,
    cause: `${header} missing from --sysroot`,
    machine: async () => {
      root = await sysroot();
      await root.removeHeader(check);
      return { input: { arch: arm64, sysroot: root.root } };
    },
    names: [`${header}: No such file or directory`, unpack],
    remedy: async (m) => {
      await root?.addHeader(check);
      return m;
    },
  });
  for (const library of libraries) {
    let withoutLibrary: ThrowawaySysroot | undefined;
    causes.push({
      check,
      cause: `lib${library.name}.so missing from --sysroot`,
      machine: async () => {
        withoutLibrary = await sysroot();
        await withoutLibrary.removeLibrary(library.name);
        return { input: { arch: arm64, sysroot: withoutLibrary.root } };
      },
      names: [`cannot find -l${library.name}`, unpack],
      missing: [check, ...(library.alsoMissing ?? [])],
      remedy: async (m) => {
        await withoutLibrary?.addLibrary(check, library.name);
        return m;
      },
    });
  }
  return causes;
}

const CAUSES: readonly Cause[] = [
  {
    check: 'target-compiler',
    cause: 'the cross gcc is not installed',
    machine: () => Promise.resolve({ hide: ['aarch64-linux-gnu-gcc'], input: { arch: arm64, features: PLAIN } }),
    names: ['aarch64-linux-gnu-gcc is not on PATH', 'apt-get install gcc-aarch64-linux-gnu'],
    remedy: restorePath,
  },
  {
    check: 'target-libc',
    cause: "the target's C library and libgcc are not installed (clang for mips64el)",
    machine: () =>
      Promise.resolve({
        input: {
          arch: row('mips64el'),
          cc: ['clang', '--target=mips64el-linux-gnuabi64', '-fuse-ld=lld'],
          features: PLAIN,
        },
      }),
    names: [
      /unable to find library -lgcc|cannot open crt1\.o/,
      'apt-get install gcc-mips64el-linux-gnuabi64 libc6-dev-mips64el-cross',
    ],
  },
  {
    check: 'target-cxx-compiler',
    cause: 'the cross g++ is not installed',
    machine: () => Promise.resolve({ hide: ['aarch64-linux-gnu-g++'], input: { arch: arm64 } }),
    names: ['aarch64-linux-gnu-g++ is not on PATH', 'apt-get install g++-aarch64-linux-gnu'],
    remedy: restorePath,
  },
  {
    check: 'target-cxx-compiler',
    cause: "the kernel's gcc is a versioned one, and its g++ is not installed",
    machine: () =>
      Promise.resolve({
        hide: ['aarch64-linux-gnu-g++-12'],
        input: { arch: arm64, cc: ['aarch64-linux-gnu-gcc-12'], gccVersion: 120200 },
      }),
    names: ['aarch64-linux-gnu-g++-12 is not on PATH', 'apt-get install g++-12-aarch64-linux-gnu'],
    remedy: restorePath,
  },
  {
    check: 'target-cxx-compiler',
    cause: "the g++ is not of the kernel's gcc major (a kernel built with gcc 13)",
    machine: () => Promise.resolve({ input: { arch: arm64, gccVersion: 130200 } }),
    names: [
      'aarch64-linux-gnu-g++ is g++ 12, the C compiler is gcc 13',
      'apt-get install g++-13-aarch64-linux-gnu, and pass CC=aarch64-linux-gnu-gcc-13 (kpkg then uses aarch64-linux-gnu-g++-13)',
    ],
  },
  {
    check: 'target-cxx-compiler',
    cause: "the g++ finds no C++ library headers (the target's libstdc++-dev)",
    machine: () => Promise.resolve({ input: { arch: arm64, cxx: ['aarch64-linux-gnu-g++', '-nostdinc++'] } }),
    names: ['new: No such file or directory', 'apt-get install g++-aarch64-linux-gnu'],
    remedy: (m) => Promise.resolve({ input: { ...m.input, cxx: ['aarch64-linux-gnu-g++'] } }),
  },
  {
    check: 'target-libraries',
    cause: 'no multiarch libraries and no apt-get to fetch them',
    machine: () =>
      Promise.resolve({
        hide: ['apt-get'],
        input: { arch: arm64, features: packagingFeatures(new Map([['CONFIG_MODULE_SIG', 'y']])) },
      }),
    names: ['no apt-get to fetch them', "unpack the target's libssl-dev into a directory and pass --sysroot DIR"],
    remedy: restorePath,
  },
  ...libraryCauses('target-libelf', 'gelf.h', [{ name: 'elf', alsoMissing: ['target-libdw'] }], 'libelf-dev'),
  ...libraryCauses('target-libdw', 'elfutils/libdw.h', [{ name: 'dw' }], 'libdw-dev'),
  ...libraryCauses('target-zlib', 'zlib.h', [{ name: 'z' }], 'zlib1g-dev'),
  ...libraryCauses('target-libssl', 'openssl/evp.h', [{ name: 'crypto' }], 'libssl-dev'),
  ...libraryCauses('target-gmp', 'gmp.h', [], 'libgmp-dev'),
  (() => {
    let root: ThrowawaySysroot | undefined;
    return {
      check: 'target-libelf',
      cause: "libelf missing from the sysroot kpkg fetched (packaging's own choice)",
      machine: async (): Promise<Machine> => {
        root = await sysroot();
        await root.removeHeader('target-libelf');
        return { input: { arch: arm64, libraries: { root: root.root, source: 'fetched' } } };
      },
      names: ['gelf.h: No such file or directory', 'kpkg sysroot --arch arm64 --refresh'],
      remedy: async (m: Machine): Promise<Machine> => {
        await root?.addHeader('target-libelf');
        return m;
      },
    };
  })(),
  (() => {
    let root = '';
    return {
      check: 'target-plugin-headers',
      cause: 'the plugin headers are not in --plugin-sysroot',
      machine: async (): Promise<Machine> => {
        root = await emptyDir();
        return { input: { arch: arm64, gccVersion: 120200, pluginSysroot: root } };
      },
      names: [
        /\/usr\/lib\/gcc\/aarch64-linux-gnu\/12\/plugin\/include is missing/,
        /apt-get download gcc-12-plugin-dev:arm64 && dpkg-deb -x gcc-12-plugin-dev_\*_arm64\.deb \/\S+ {3}\(or leave out --plugin-sysroot/,
      ],
      remedy: async (m: Machine): Promise<Machine> => {
        await mkdir(pluginIncludeDir(root, arm64, 12), { recursive: true });
        return m;
      },
    };
  })(),
  {
    check: 'target-plugin-headers',
    cause: "none in kpkg's sysroot and no apt-get to fetch them",
    machine: async () => ({
      hide: ['apt-get'],
      input: { arch: arm64, gccVersion: 120200, cacheDir: await emptyDir() },
    }),
    names: [
      'no apt-get to fetch them with',
      'unpack gcc-12-plugin-dev for arm64 into a directory and pass --plugin-sysroot DIR',
    ],
    // gmp for the plugins is not there either: the source of the libraries is missing on its own account.
    missing: ['target-libraries', 'target-plugin-headers'],
    remedy: restorePath,
  },
  (() => {
    let dir = '';
    return {
      check: 'smoke-qemu',
      cause: 'no binfmt rule for qemu-aarch64',
      machine: async (): Promise<Machine> => {
        dir = await emptyDir();
        return { input: { arch: arm64, features: PLAIN, smoke: true, binfmtConfDir: dir } };
      },
      names: [
        /no binfmt rule: \/\S+\/qemu-aarch64\.conf is missing/,
        'apt-get install qemu-user-static binfmt-support',
      ],
      remedy: async (m: Machine): Promise<Machine> => {
        await copyFile(join(BINFMT_CONF_DIR, 'qemu-aarch64.conf'), join(dir, 'qemu-aarch64.conf'));
        return m;
      },
    };
  })(),
  {
    check: 'smoke-mmdebstrap',
    cause: 'mmdebstrap is not installed',
    machine: () => Promise.resolve({ hide: ['mmdebstrap'], input: { arch: arm64, features: PLAIN, smoke: true } }),
    names: ['mmdebstrap is not on PATH', 'apt-get install mmdebstrap'],
    remedy: restorePath,
  },
  {
    check: 'smoke-sandbox',
    cause: 'bubblewrap is not installed',
    machine: () => Promise.resolve({ hide: ['bwrap'], input: { arch: arm64, features: PLAIN, smoke: true } }),
    names: [
      /bwrap is not installed: kpkg smoke runs the packages' scripts in a sandbox made with it/,
      'apt-get install bubblewrap',
    ],
    remedy: restorePath,
  },
];

/** Runs doctor on a machine: with its programs hidden from PATH for the run. */
async function doctorOn(machine: Machine): ReturnType<typeof runDoctor> {
  if (machine.hide === undefined) return runDoctor(machine.input);
  const hidden = await pathWithout(machine.hide);
  try {
    return await withPath(hidden.path, () => runDoctor(machine.input));
  } finally {
    await hidden.dispose();
  }
}

describe('every way each doctor check fails names what is missing and its remedy', () => {
  test('every check doctor makes has a cause in the table', async () => {
    const every = await runDoctor({ arch: arm64, smoke: true, cacheDir: await emptyDir() });
    // Without a sysroot in the cache the libraries are fetched when packaging: their probes are listed apart.
    const ids = new Set([...every.map((r) => r.id), ...LIBRARY_PROBES.map((p) => p.id)]);
    assert.deepEqual(
      [...ids].filter((id) => !CAUSES.some((c) => c.check === id)),
      [],
    );
  });

  for (const cause of CAUSES) {
    test(`${cause.check}: ${cause.cause}`, async () => {
      const machine = await cause.machine();
      const results = await doctorOn(machine);
      assert.deepEqual(
        missingChecks(results)
          .map((r) => r.id)
          .sort(),
        [...(cause.missing ?? [cause.check])].sort(),
        results.map(formatCheck).join('\n'),
      );
      const check = results.find((r) => r.id === cause.check);
      assert.ok(check !== undefined);
      const text = formatCheck(check);
      for (const name of cause.names) {
        if (typeof name === 'string') assert.ok(text.includes(name), `${JSON.stringify(name)} not in:\n${text}`);
        else assert.match(text, name);
      }
      if (cause.remedy === undefined) return;
      const fixed = await doctorOn(await cause.remedy(machine));
      assert.equal(fixed.find((r) => r.id === cause.check)?.ok, true, fixed.map(formatCheck).join('\n'));
    });
  }
});

describe("the target's tools (checked before anything is read further)", () => {
  let facts: TreeFacts;
  before(() => {
    facts = {
      tree: fakeKernelTree('/k/obj'),
      arch: arm64,
      target: arm64.elf,
      vmlinux: 'absent',
      toolchain: arm64GccToolchain(),
      cross: true,
      build: arm64.elf,
      features: PLAIN,
      artifacts: {
        moduleSymvers: true,
        vmlinux: false,
        bootImage: { path: 'arch/arm64/boot/Image.gz', present: true },
      },
    };
  });

  test('the cross binutils are not installed: ld named, with binutils-aarch64-linux-gnu; back on PATH, it passes', async () => {
    const hidden = await pathWithout(['aarch64-linux-gnu-ld']);
    try {
      await withPath(hidden.path, () =>
        assert.rejects(assertTargetToolsInstalled(facts), {
          message: "the target's tools for CROSS_COMPILE=aarch64-linux-gnu- are not installed: aarch64-linux-gnu-ld",
          hint: 'install them (apt-get install binutils-aarch64-linux-gnu), or pass the CROSS_COMPILE= / LLVM= the tree was built with',
        }),
      );
    } finally {
      await hidden.dispose();
    }
    await assertTargetToolsInstalled(facts);
  });
});
