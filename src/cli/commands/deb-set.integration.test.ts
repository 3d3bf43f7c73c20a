/**
 * `kpkg deb` writing the whole package set (linux-image, linux-headers, linux-libc-dev,
 * linux-image-dbg) of real arm64 trees: 6.12 tiny and 6.1 tiny with every package, 6.12 full
 * (module signing, DWARF5 + BTF, GCC plugins) with image, libc-dev and dbg — its headers need the
 * GCC plugins and resolve_btfids rebuilt for the target, which deb.integration.test.ts covers once they are.
 *
 * Checked against the referees: dpkg-deb, lintian, upstream's own `make bindeb-pkg` output for the
 * same tree (tools/upstream-debs), diffoscope, and dpkg in an emulated arm64 Debian.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { execa } from 'execa';
import { writeDeb } from '../../formats/deb/write-deb.js';
import type { PackageEntry } from '../../package/model.js';
import { ensureBinfmt } from '../../smoke/binfmt.js';
import { resolveInRoot } from '../../smoke/path-in-root.js';
import { ensureRootfsTarball } from '../../smoke/rootfs.js';
import { putText, runOk, testTarget, unpackedTestRootfs } from '../../testing/sandbox-rootfs.js';
import { smoke } from '../../smoke/smoke.js';
import { smokeRootfsSpec } from '../../smoke/smoke-rootfs-spec.js';
import { rootfsCacheDir } from '../../testing/smoke-fixtures.js';
import { assertDependsMatchElves, debField } from '../../testing/deb-contents.js';
import {
  builtKernelTree,
  inTier,
  KERNEL_BUILD_TIMEOUT_MS,
  REPO_ROOT,
  type TreeSpec,
} from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';

type Kind = 'image' | 'headers' | 'libc-dev' | 'dbg';

interface DebJson {
  release: string;
  arch: string;
  packages: { kind: Kind; name: string; version: string; path: string; sha256: string; size: number }[];
}

/** Explicit: the default comes from DEBEMAIL or git and differs between machines; lintian rejects made-up hosts. */
const MAINTAINER = 'Kpkg Test <kpkg@example.org>';
/** Two time stamps in the same year, so that the copyright line (1991 - <year>) is the same for both. */
const EPOCH = 1700000000; // 2023-11-14
const LATER_EPOCH = 1701000000; // 2023-11-26

/** Output directories of this file's kpkg runs, removed when it is done. */
const outDirs: string[] = [];
after(async () => {
  for (const dir of outDirs) await rm(dir, { recursive: true, force: true });
});

async function kpkgDeb(objtree: string, only: string | undefined, extra: string[] = []): Promise<DebJson> {
  const out = await mkdtemp(join(tmpdir(), 'kpkg-debset-'));
  outDirs.push(out);
  const args = [
    'deb',
    '--build-dir',
    objtree,
    '--out',
    out,
    '--json',
    '--maintainer',
    MAINTAINER,
    ...(only === undefined ? [] : ['--only', only]),
    ...extra,
  ];
  const r = await runKpkg(args, { SOURCE_DATE_EPOCH: String(EPOCH) });
  assert.equal(r.exitCode, 0, `kpkg ${args.join(' ')}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as DebJson;
}

/** Path, type, size, mtime and mode of everything below the trees: any write by kpkg changes it. */
async function treeSnapshot(dirs: string[]): Promise<string> {
  const { stdout } = await execa('find', [...dirs, '-printf', '%p\t%y\t%s\t%T@\t%m\t%l\n'], { maxBuffer: 1 << 30 });
  return createHash('sha256').update(stdout.split('\n').sort().join('\n')).digest('hex');
}

async function upstreamDebs(spec: TreeSpec): Promise<Map<string, string>> {
  const r = await execa(
    `${REPO_ROOT}tools/upstream-debs`,
    ['--series', spec.series, '--config', spec.config ?? 'tiny'],
    { stderr: 'pipe' },
  );
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  const debs = new Map<string, string>();
  const { stdout } = await execa('sh', ['-c', 'ls -1 *.deb'], { cwd: dir });
  for (const file of stdout.split('\n').filter((f) => f !== ''))
    debs.set(await debField(join(dir, file), 'Package'), join(dir, file));
  return debs;
}

/** `dpkg-deb --contents` as path → "<mode string>[ -> target]", directories without their trailing '/'. */
async function contentsWithModes(deb: string): Promise<Map<string, string>> {
  const { stdout } = await execa('dpkg-deb', ['--contents', deb]);
  const listing = new Map<string, string>();
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    const mode = line.slice(0, 10);
    const rest = line.slice(line.indexOf(' ./') + 2);
    const arrow = rest.indexOf(' -> ');
    const path = (arrow === -1 ? rest : rest.slice(0, arrow)).replace(/(.)\/$/, '$1');
    listing.set(path, arrow === -1 ? mode : `${mode} -> ${rest.slice(arrow + 4)}`);
  }
  return listing;
}

interface PathDiff {
  onlyOurs: string[];
  onlyUpstream: string[];
  /** Same path, other mode or link target: "path: upstream → ours". */
  changed: string[];
}

async function pathDiff(upstream: string, ours: string): Promise<PathDiff> {
  const theirs = await contentsWithModes(upstream);
  const mine = await contentsWithModes(ours);
  return {
    onlyOurs: [...mine.keys()].filter((p) => !theirs.has(p)).sort(),
    onlyUpstream: [...theirs.keys()].filter((p) => !mine.has(p)).sort(),
    changed: [...mine.keys()]
      .filter((p) => theirs.has(p) && theirs.get(p) !== mine.get(p))
      .map((p) => `${p}: ${theirs.get(p) ?? ''} → ${mine.get(p) ?? ''}`)
      .sort(),
  };
}

interface LintianTag {
  severity: string;
  pkg: string;
  tag: string;
  line: string;
}

async function lintian(debs: string[]): Promise<LintianTag[]> {
  const r = await execa('lintian', ['--tag-display-limit', '0', '-I', '-E', '--pedantic', ...debs], {
    reject: false,
    all: true,
  });
  assert.ok(r.exitCode === 0 || r.exitCode === 1 || r.exitCode === 2, `lintian failed to run:\n${r.all ?? ''}`);
  const tags: LintianTag[] = [];
  for (const line of (r.all ?? '').split('\n')) {
    const m = /^([EWIPX]): ([a-z0-9][a-z0-9+.-]+)(?: [a-z0-9]+)?: ([\w.+-]+)/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined)
      tags.push({ severity: m[1], pkg: m[2], tag: m[3], line });
  }
  return tags;
}

/**
 * Lintian warnings kpkg's packages get, each also in docs/families.md with its reason:
 * initial-upload-closes-no-bugs — the changelog has one entry whose revision is 1 (the tree's build
 * number; upstream's packages have it too after `make bindeb-pkg` on a fresh tree), no bug to close;
 * package-contains-vcs-control-file — the headers package ships the kernel's .gitignore files, as
 * upstream's bindeb-pkg headers package does. No undeclared-elf-prerequisites: the headers package
 * depends on what its programs need (upstream's gets that warning).
 */
const ALLOWED_WARNINGS: Readonly<Record<Kind, readonly string[]>> = {
  image: ['initial-upload-closes-no-bugs'],
  headers: ['initial-upload-closes-no-bugs', 'package-contains-vcs-control-file'],
  'libc-dev': ['initial-upload-closes-no-bugs'],
  dbg: ['initial-upload-closes-no-bugs'],
};

interface DiffoscopeNode {
  source1?: string;
  unified_diff?: string | null;
  comments?: string[];
  details?: DiffoscopeNode[];
}

/** Every leaf difference of a diffoscope --json report, with the chain of member names leading to it. */
function diffoscopeLeaves(
  node: DiffoscopeNode,
  trail: string[] = [],
): { trail: string[]; diff: string; comments: string[] }[] {
  const here = [...trail, node.source1 ?? ''];
  const own =
    node.unified_diff != null || (node.comments ?? []).length > 0
      ? [{ trail: here, diff: node.unified_diff ?? '', comments: node.comments ?? [] }]
      : [];
  return [...own, ...(node.details ?? []).flatMap((child) => diffoscopeLeaves(child, here))];
}

/** A file-list line with its time stamp (and the size of a compressed member) taken out. */
function withoutTime(line: string): string {
  const timeless = line.slice(1).replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?/, '<time>');
  return /\.(xz|gz|zst)$/.test(timeless) ? timeless.replace(/ \d+ <time>/, ' <size> <time>') : timeless;
}

function changedLines(diff: string): { removed: string[]; added: string[] } {
  const lines = diff.split('\n').filter((l) => !l.startsWith('@@'));
  return { removed: lines.filter((l) => l.startsWith('-')), added: lines.filter((l) => l.startsWith('+')) };
}

/** Checks one diffoscope leaf between a package at EPOCH and at LATER_EPOCH; returns why it is not allowed. */
function unexpectedDifference(leaf: { trail: string[]; diff: string; comments: string[] }): string | undefined {
  const name = leaf.trail.at(-1) ?? '';
  const { removed, added } = changedLines(leaf.diff);
  if (name === 'file list') {
    const before = removed.map(withoutTime).sort();
    const after = added.map(withoutTime).sort();
    return JSON.stringify(before) === JSON.stringify(after)
      ? undefined
      : `file list differs beyond time stamps:\n${leaf.diff}`;
  }
  // The changelog's trailer date is the package's time stamp (dpkg-buildpackage derives
  // SOURCE_DATE_EPOCH from it); md5sums changes with the changelog's bytes.
  if (name === 'changelog.Debian') {
    return [...removed, ...added].every((l) =>
      /^[-+] -- .+ {2}\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/.test(l),
    )
      ? undefined
      : `changelog differs beyond its date:\n${leaf.diff}`;
  }
  if (name === './md5sums' && leaf.diff === '') return undefined; // its lines are compared by md5sumChanges
  return `unexpected difference in ${leaf.trail.join(' / ')}: ${leaf.comments.join('; ')}\n${leaf.diff}`;
}

/** The md5sums lines that differ between two packages: only the changelogs' may. */
async function md5sumChanges(a: string, b: string): Promise<string[]> {
  const md5sums = async (deb: string): Promise<Set<string>> =>
    new Set(
      (await execa('sh', ['-c', `dpkg-deb --ctrl-tarfile "$1" | tar -xOf - ./md5sums`, 'sh', deb])).stdout.split('\n'),
    );
  const x = await md5sums(a);
  const y = await md5sums(b);
  return [...x].filter((l) => !y.has(l)).map((l) => l.replace(/^\S+\s+/, ''));
}

/**
 * A package whose kernel hooks log how they were called, so a test sees the image's maintainer
 * scripts run them, and the headers' postinst its header_postinst.d.
 */
async function hookProbeDeb(dir: string): Promise<string> {
  const script = new TextEncoder().encode(
    '#!/bin/sh\necho "$(basename "$(dirname "$0")") args=$* params=$DEB_MAINT_PARAMS initrd=$INITRD" >> /var/log/kpkg-hook-probe.log\n',
  );
  const entries: PackageEntry[] = ['preinst', 'postinst', 'prerm', 'postrm', 'header_postinst'].map((kind) => ({
    kind: 'file',
    path: `/etc/kernel/${kind}.d/zz-kpkg-probe`,
    mode: 0o755,
    size: script.length,
    source: { from: 'bytes', data: script },
  }));
  const path = join(dir, 'kpkg-hook-probe_1.0_all.deb');
  await writeDeb(
    {
      name: 'kpkg-hook-probe',
      version: '1.0',
      arch: 'all',
      summary: 'logs kernel hook calls (kpkg tests)',
      description: '',
      maintainer: MAINTAINER,
      entries,
      mtime: EPOCH,
    },
    path,
    { compression: 'gzip' },
  );
  return path;
}

/**
 * The probe's log, blanks collapsed: for a first install dpkg passes postinst an empty "most recently
 * configured version", which leaves a trailing blank in DEB_MAINT_PARAMS.
 */
async function hookLog(root: string): Promise<string[]> {
  return (await readFile(join(root, 'var/log/kpkg-hook-probe.log'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' '));
}

/** LINUX_VERSION_CODE as include/generated/uapi/linux/version.h computes it (the sublevel saturates at 255). */
function versionCode(release: string): number {
  const [a = 0, b = 0, c = 0] = release.split(/[.-]/).map(Number);
  return (a << 16) + (b << 8) + Math.min(c, 255);
}

const UAPI_PROGRAM = `#include <stdio.h>
#include <linux/version.h>
#include <asm/unistd.h>
int main(void) { printf("LINUX_VERSION_CODE=%d __NR_openat=%d\\n", LINUX_VERSION_CODE, __NR_openat); return 0; }
`;

interface SetSpec {
  tree: TreeSpec;
  only: string | undefined;
  kinds: Kind[];
  /** diffoscope between two SOURCE_DATE_EPOCHs (costs a third run). */
  epochCheck: boolean;
}

const SPECS: SetSpec[] = [
  {
    tree: { series: '6.12', config: 'tiny' },
    only: undefined,
    kinds: ['image', 'headers', 'libc-dev'],
    epochCheck: true,
  },
  // The full tree's headers are packaged and proved by headers.integration.test.ts (plugins, resolve_btfids, sign-file on the target).
  {
    tree: { series: '6.12', config: 'full' },
    only: 'image,libc-dev,dbg',
    kinds: ['image', 'libc-dev', 'dbg'],
    epochCheck: true,
  },
  {
    tree: { series: '6.1', config: 'tiny' },
    only: undefined,
    kinds: ['image', 'headers', 'libc-dev'],
    epochCheck: false,
  },
];

describe('kpkg deb when a step of modules_install fails', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
  test('the error names the step, the module and the command, with the line that says why; no .deb and no partial file is left', async () => {
    const objtree = await builtKernelTree({ series: '6.1', config: 'tiny' });
    const out = await mkdtemp(join(tmpdir(), 'kpkg-debset-fail-'));
    outDirs.push(out);
    // strip refuses the option, so modules_install fails; libc-dev, which alone would be fine, is not written either.
    const r = await runKpkg(
      ['deb', '--build-dir', objtree, '--out', out, '--only', 'libc-dev,image', '--maintainer', MAINTAINER],
      { INSTALL_MOD_STRIP: '--no-such-option' },
    );
    assert.equal(r.exitCode, 1, r.stderr);
    // kpkg strips each module itself, as the kernel's make would (module-finish.ts).
    assert.match(
      r.stderr,
      /kpkg: error: stripping lib\/crc-[a-z-]+\.ko failed \(exit 1\): aarch64-linux-gnu-strip --no-such-option lib\/crc-[a-z-]+\.ko\n/,
    );
    assert.match(r.stderr, /strip: unrecognized option '--no-such-option'/);
    assert.match(r.stderr, /fix: INSTALL_MOD_STRIP's words \(--no-such-option\) are passed to strip as options/);
    assert.deepEqual((await execa('ls', ['-A', out])).stdout, '');
  });
});

for (const spec of SPECS.filter((s) => inTier(s.tree))) {
  const label = `${spec.tree.series} ${spec.tree.config ?? 'tiny'}`;
  describe(
    `kpkg deb${spec.only === undefined ? '' : ` --only ${spec.only}`} on the real ${label} arm64 tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      let state: Promise<{ objtree: string; json: DebJson; before: string; after: string }> | undefined;
      const built = async (): Promise<{ objtree: string; json: DebJson; before: string; after: string }> => {
        state ??= (async () => {
          const objtree = await builtKernelTree(spec.tree);
          const source = (await execa('readlink', ['-f', join(objtree, 'source')])).stdout.trim();
          const before = await treeSnapshot([objtree, source]);
          const json = await kpkgDeb(objtree, spec.only);
          return { objtree, json, before, after: await treeSnapshot([objtree, source]) };
        })();
        return state;
      };
      const deb = (json: DebJson, kind: Kind): string => {
        const p = json.packages.find((x) => x.kind === kind);
        assert.ok(p !== undefined, `no ${kind} package in ${json.packages.map((x) => x.name).join(', ')}`);
        return p.path;
      };

      test("dpkg-deb accepts every package; names, versions and control fields are upstream's", async () => {
        const { json } = await built();
        const { release } = json;
        assert.deepEqual(
          json.packages.map((p) => p.kind),
          spec.kinds,
        );
        const upstream = await upstreamDebs(spec.tree);
        for (const p of json.packages) {
          await execa('dpkg-deb', ['--info', p.path]);
          await execa('dpkg-deb', ['--contents', p.path]);
          assert.equal(basename(p.path), `${p.name}_${p.version}_arm64.deb`);
          assert.match(p.version, new RegExp(`^${release.replaceAll('.', '\\.')}-\\d+$`));
          assert.equal(await debField(p.path, 'Version'), p.version);
          assert.equal(await debField(p.path, 'Architecture'), 'arm64');
          assert.equal(await debField(p.path, 'Source'), 'linux-upstream');
          assert.equal(await debField(p.path, 'Maintainer'), MAINTAINER);
          const theirs = upstream.get(p.name);
          assert.ok(
            theirs !== undefined,
            `upstream's bindeb-pkg wrote no ${p.name}: ${[...upstream.keys()].join(', ')}`,
          );
          // The same fields with the same values, but for the version and the maintainer (upstream-debs sets its own).
          // Beyond upstream, the headers package depends on what its programs need (checked below).
          const fields = async (file: string): Promise<string> =>
            (await execa('dpkg-deb', ['--field', file])).stdout
              .split('\n')
              .filter((l) => !/^(Version|Maintainer|Installed-Size|Depends):/.test(l))
              .join('\n');
          assert.equal(await fields(p.path), await fields(theirs), p.name);
          if (p.kind === 'headers') await assertDependsMatchElves(p.path);
          else assert.equal(await debField(p.path, 'Depends'), await debField(theirs, 'Depends'), p.name);
        }
        const names = new Set(json.packages.map((p) => p.name));
        for (const kind of spec.kinds) {
          const name = {
            image: `linux-image-${release}`,
            headers: `linux-headers-${release}`,
            'libc-dev': 'linux-libc-dev',
            dbg: `linux-image-${release}-dbg`,
          }[kind];
          assert.ok(names.has(name), name);
        }
        const { stdout: info } = await execa('dpkg-deb', ['--info', deb(json, 'image')]);
        for (const script of ['preinst', 'postinst', 'prerm', 'postrm'])
          assert.match(info, new RegExp(`\\*\\s+${script}\\s+#!/bin/sh`));
      });

      test('the kernel tree and its source tree are left exactly as they were', async () => {
        const { before, after } = await built();
        assert.equal(after, before, 'a kernel make target wrote into the object or source tree');
      });

      test("paths, modes and link targets of image, libc-dev and dbg equal upstream make bindeb-pkg's, but for the justified differences", async () => {
        const { json } = await built();
        const upstream = await upstreamDebs(spec.tree);
        for (const p of json.packages.filter((x) => x.kind !== 'headers')) {
          const diff = await pathDiff(upstream.get(p.name) ?? '', p.path);
          if (p.kind === 'dbg') {
            // vmlinux is 0644 where upstream keeps the build's 0755: lintian flags executables there.
            assert.deepEqual(
              diff,
              {
                onlyOurs: [],
                onlyUpstream: [],
                changed: [`/usr/lib/debug/lib/modules/${json.release}/vmlinux: -rwxr-xr-x → -rw-r--r--`],
              },
              p.name,
            );
          } else {
            assert.deepEqual(diff, { onlyOurs: [], onlyUpstream: [], changed: [] }, p.name);
          }
        }
      });

      if (spec.kinds.includes('headers')) {
        test("paths, modes and link targets of linux-headers equal upstream's, but for the justified differences", async () => {
          const { json } = await built();
          const upstream = await upstreamDebs(spec.tree);
          const ours = deb(json, 'headers');
          const name = `linux-headers-${json.release}`;
          const diff = await pathDiff(upstream.get(name) ?? '', ours);
          const root = `/usr/src/${name}`;
          if (spec.tree.series === '6.12') {
            // As in deb.integration.test.ts: kpkg keeps .config, which ≤ 6.11 shipped and 6.12 dropped (DKMS reads it).
            // modpost's generated assembly is left out: nothing on the target reads it, and it names build-machine paths.
            assert.deepEqual(diff, {
              onlyOurs: [`${root}/.config`],
              onlyUpstream: [`${root}/scripts/mod/devicetable-offsets.s`],
              changed: [],
            });
          } else {
            // 6.1's builddeb copies whole directories; kpkg ships 6.12's selection (install-extmod-build),
            // which leaves out what only configuring or building the kernel itself needs: Kconfig's
            // per-symbol stamps, objects and command records, and the kconfig, dtc, atomic, package tools
            // (and modpost's generated assembly, as on 6.12).
            assert.deepEqual(diff.onlyOurs, []);
            assert.deepEqual(diff.changed, []);
            const notForModules = new RegExp(
              `^${root.replaceAll('.', '\\.')}/(include/config/[^/]+$|scripts/(kconfig|dtc|atomic|package)(/|$)|scripts/mod/(mk_elfconfig|devicetable-offsets\\.s)$|.*\\.o$|(.*/)?\\.[^/]+\\.cmd$)`,
            );
            assert.deepEqual(
              diff.onlyUpstream.filter((path) => !notForModules.test(path)),
              [],
            );
            assert.ok(diff.onlyUpstream.length > 0);
          }
        });
      }

      const lintianClean = async (kinds: readonly Kind[]): Promise<void> => {
        const { json } = await built();
        const packages = json.packages.filter((p) => kinds.includes(p.kind));
        const tags = await lintian(packages.map((p) => p.path));
        const kindOf = new Map(packages.map((p) => [p.name, p.kind]));
        assert.deepEqual(
          tags.filter((t) => t.severity === 'E').map((t) => t.line),
          [],
        );
        assert.deepEqual(
          tags
            .filter((t) => t.severity === 'W' && !ALLOWED_WARNINGS[kindOf.get(t.pkg) ?? 'image'].includes(t.tag))
            .map((t) => t.line),
          [],
        );
      };

      test(`lintian on ${spec.kinds.filter((k) => k !== 'headers').join(', ')}: no errors, and only the warnings docs/families.md lists`, async () => {
        await lintianClean(spec.kinds.filter((k) => k !== 'headers'));
      });

      if (spec.kinds.includes('headers')) {
        test('lintian on linux-headers: no errors, and only the warnings docs/families.md lists', async () => {
          await lintianClean(['headers']);
        });
      }

      test('reproducible: a second run writes the same bytes for every package', async () => {
        const { objtree, json } = await built();
        const again = await kpkgDeb(objtree, spec.only);
        assert.deepEqual(
          again.packages.map((p) => [p.name, p.sha256]),
          json.packages.map((p) => [p.name, p.sha256]),
        );
        for (const p of again.packages) {
          assert.equal(
            createHash('sha256')
              .update(await readFile(p.path))
              .digest('hex'),
            p.sha256,
            p.path,
          );
        }
      });

      if (spec.epochCheck) {
        test('another SOURCE_DATE_EPOCH changes only time stamps (diffoscope)', async () => {
          const { objtree, json } = await built();
          const later = await kpkgDeb(objtree, spec.only, ['--source-date-epoch', String(LATER_EPOCH)]);
          for (const p of json.packages) {
            const other = later.packages.find((x) => x.name === p.name)?.path ?? '';
            const r = await execa('diffoscope', ['--json', '-', p.path, other], { reject: false, maxBuffer: 1 << 28 });
            assert.equal(r.exitCode, 1, `diffoscope should see the new time stamps in ${p.name}:\n${r.stderr}`);
            const leaves = diffoscopeLeaves(JSON.parse(r.stdout) as DiffoscopeNode);
            const problems = leaves.map(unexpectedDifference).filter((why): why is string => why !== undefined);
            assert.deepEqual(problems, [], p.name);
            assert.ok(
              leaves.some((l) => l.trail.at(-1) === 'file list'),
              'the member mtimes differ',
            );
            assert.deepEqual(
              await md5sumChanges(p.path, other),
              [`usr/share/doc/${p.name}/changelog.Debian.gz`],
              p.name,
            );
          }
        });
      }

      if (spec.kinds.includes('headers')) {
        test("arm64 Debian: dpkg -i of image + headers + libc-dev runs the kernel hooks, depmod's files are there, a module builds against build/", async () => {
          const { json } = await built();
          const { release } = json;
          const work = await mkdtemp(join(tmpdir(), 'kpkg-debset-smoke-'));
          const probe = await hookProbeDeb(work);
          const imagePath = `/boot/vmlinuz-${release}`;
          // The probe first: dpkg unpacks in order, so its hooks are in place for the image's preinst.
          const result = await smoke({
            debianArch: 'arm64',
            packages: [probe, deb(json, 'image'), deb(json, 'headers'), deb(json, 'libc-dev')],
            release,
            cacheDir: rootfsCacheDir(),
            keepRootfs: true,
            onLine: () => undefined,
          });
          const root = result.rootfsDir;
          assert.ok(root !== undefined);
          try {
            assert.equal(result.ok, true, `${result.failedStep ?? ''}: ${result.logTail ?? ''}`);
            assert.ok(result.vermagic?.startsWith(`${release} `), result.vermagic);
            const initrd =
              (
                await execa('grep', ['-c', '^CONFIG_BLK_DEV_INITRD=y', join((await built()).objtree, '.config')], {
                  reject: false,
                })
              ).stdout.trim() === '1'
                ? 'Yes'
                : 'No';
            // The headers' hook runs when dpkg configures the headers, before or after the image's: apart.
            const isHeaders = (l: string): boolean => l.startsWith('header_postinst.d ');
            const hooks = await hookLog(root);
            assert.deepEqual(
              hooks.filter((l) => !isHeaders(l)),
              [
                `preinst.d args=${release} ${imagePath} params=install initrd=${initrd}`,
                `postinst.d args=${release} ${imagePath} params=configure initrd=${initrd}`,
              ],
            );
            // Without INITRD: dpkg runs each maintainer script apart, and Debian's headers set none.
            assert.deepEqual(hooks.filter(isHeaders), [
              `header_postinst.d args=${release} ${imagePath} params=configure initrd=`,
            ]);
            await readFile(await resolveInRoot(root, `/lib/modules/${release}/modules.dep`));
            assert.match(
              await readFile(await resolveInRoot(root, `/lib/modules/${release}/build/Makefile`), 'utf8'),
              /Makefile/,
            );
            const target = await testTarget(root);
            const inRoot = (argv: string[]): Promise<string> => runOk(target, argv);
            // The target's kmod finds the packaged modules through the packaged depmod indexes.
            assert.match(
              await inRoot(['modinfo', '-k', release, '-F', 'filename', 'crc-ccitt']),
              new RegExp(`^/lib/modules/${release.replaceAll('.', '\\.')}/kernel/lib/crc-ccitt\\.ko\\n?$`),
            );
            // linux-libc-dev: the userspace API of this kernel, asm from the multiarch directory.
            await putText(target, '/tmp/uapi.c', UAPI_PROGRAM);
            await inRoot(['gcc', '-o', '/tmp/uapi', '/tmp/uapi.c']);
            assert.equal(
              (await inRoot(['/tmp/uapi'])).trim(),
              `LINUX_VERSION_CODE=${versionCode(release)} __NR_openat=56`,
            );
            assert.match(
              await inRoot(['dpkg', '-S', '/usr/include/aarch64-linux-gnu/asm/unistd.h']),
              /^linux-libc-dev:arm64: /,
            );
            // Removal runs the prerm and postrm hooks (remove, then purge).
            await inRoot(['dpkg', '--purge', `linux-image-${release}`]);
            const after = (await hookLog(root)).filter((l) => !isHeaders(l)).slice(2);
            assert.deepEqual(after, [
              `prerm.d args=${release} ${imagePath} params=remove initrd=${initrd}`,
              `postrm.d args=${release} ${imagePath} params=remove initrd=${initrd}`,
              `postrm.d args=${release} ${imagePath} params=purge initrd=${initrd}`,
            ]);
          } finally {
            await execa('rm', ['-rf', '--one-file-system', root]);
            await rm(work, { recursive: true, force: true });
          }
        });
      } else {
        test("arm64 Debian: dpkg -i of image + libc-dev + dbg runs the hooks; the target's kmod reads the signed modules", async () => {
          const { json } = await built();
          const { release } = json;
          const work = await mkdtemp(join(tmpdir(), 'kpkg-debset-install-'));
          const debs = [await hookProbeDeb(work), deb(json, 'image'), deb(json, 'libc-dev'), deb(json, 'dbg')];
          await ensureBinfmt('arm64');
          const tarball = await ensureRootfsTarball(
            await smokeRootfsSpec({ debianArch: 'arm64', packages: debs, cacheDir: rootfsCacheDir() }),
          );
          const { rootfs, target } = await unpackedTestRootfs(tarball.path);
          const root = rootfs.dir;
          try {
            assert.equal((await target.put({ files: debs }, '/tmp/debs')).exitCode, 0);
            const inRoot = (argv: string[]): Promise<string> => runOk(target, argv);
            await inRoot(['dpkg', '--install', ...debs.map((d) => `/tmp/debs/${basename(d)}`)]);
            const hooks = await hookLog(root);
            assert.deepEqual(
              hooks.map((l) => l.replace(/ initrd=\w+$/, '')),
              [
                `preinst.d args=${release} /boot/vmlinuz-${release} params=install`,
                `postinst.d args=${release} /boot/vmlinuz-${release} params=configure`,
              ],
            );
            const modinfo = await inRoot(['modinfo', '-k', release, 'crc-itu-t']);
            assert.match(modinfo, /^sig_id:\s+PKCS#7$/m, 'modules_install signed the staged module');
            assert.match(modinfo, /^sig_hashalgo:\s+sha256$/m);
            // The debug info is found by build ID, the way gdb and debuginfod look it up.
            const link = (
              await inRoot(['sh', '-c', 'for l in /usr/lib/debug/.build-id/*/*.debug; do readlink -e "$l"; done'])
            )
              .trim()
              .split('\n');
            assert.deepEqual(link.sort(), [
              `/usr/lib/debug/lib/modules/${release}/kernel/lib/crc-ccitt.ko`,
              `/usr/lib/debug/lib/modules/${release}/kernel/lib/crc-itu-t.ko`,
            ]);
            await inRoot(['test', '-s', `/usr/lib/debug/boot/vmlinux-${release}`]);
          } finally {
            await rootfs.remove();
            await rm(work, { recursive: true, force: true });
          }
        });
      }
    },
  );
}
