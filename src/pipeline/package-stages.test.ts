import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findArch, type ArchInfo } from '../arch/arch-table.js';
import type { Packager } from '../formats/packager.js';
import type { KernelParts } from '../kernel/parts.js';
import type { DistributionLayout, LayoutContext } from '../layouts/layout.js';
import type { PackageSet } from '../layouts/package-set.js';
import type { Dependency, PackageDescription } from '../package/model.js';
import { testStagedHeaders } from '../testing/kernel-parts.js';
import { Slots } from '../util/pool.js';
import { makePackage, type PackageStages } from './package-stages.js';

type Kind = 'image' | 'headers';

const arm64: ArchInfo = findArch('arm64') ?? assert.fail('arm64 is a row of the arch table');
const treeFile = { source: '/tree/file', size: 1 };
const base: KernelParts = { systemMap: treeFile, config: treeFile, vmlinux: treeFile };
const headers = testStagedHeaders('6.1.0', []);
const SET: PackageSet = {
  release: '6.1.0',
  series: [6, 1, 0],
  kernelVersion: '6.1.0',
  revision: '1',
  maintainer: 'kpkg <kpkg@example.org>',
  mtime: 0,
};
const LIBC: Dependency = { name: 'libc6', version: { op: '>=', version: '2.36' } };

/** What the fake layout and packager were asked, in order. */
type Event = `describe ${string}` | `prepare ${string}` | `write ${string}`;

/** A description that says its name and how many relations it was given. */
function describe(kind: Kind, context: LayoutContext): PackageDescription {
  return {
    name: `linux-${kind}`,
    version: '6.1.0-1',
    arch: 'arm64',
    summary: kind,
    description: '',
    maintainer: 'kpkg',
    mtime: 0,
    entries: [],
    depends: context.runtime,
  };
}

function said(pkg: PackageDescription): string {
  return `${pkg.name} with ${pkg.depends?.length ?? 0} relations`;
}

function fakeLayout(events: Event[]): DistributionLayout<Kind> {
  return {
    family: 'deb',
    kinds: ['image', 'headers'],
    partsOf: (kind) => [kind],
    notApplicable: () => undefined,
    runtimeRelations: () => Promise.resolve({ depends: [], warnings: [] }),
    describe: (kind, _parts, context) => {
      const pkg = describe(kind, context);
      events.push(`describe ${said(pkg)}`);
      return pkg;
    },
  };
}

function fakePackager(events: Event[], early: boolean): Packager {
  const packager: Packager = {
    format: 'tar',
    compressions: ['none'],
    fileName: (pkg) => `${pkg.name}.pkg`,
    write: (pkg, path) => {
      events.push(`write ${said(pkg)}`);
      return Promise.resolve({ path, sha256: 'digest', size: 1 });
    },
  };
  if (early) {
    packager.prepare = (pkg) => {
      events.push(`prepare ${said(pkg)}`);
      return Promise.resolve();
    };
  }
  return packager;
}

function stages(
  events: Event[],
  options: { early: boolean; relations: () => Promise<readonly Dependency[]> },
): PackageStages<Kind> {
  return {
    layout: fakeLayout(events),
    packager: fakePackager(events, options.early),
    context: { arch: arm64, set: SET },
    writeOptions: { compression: 'none' },
    slots: new Slots(2),
    relations: options.relations,
    stagingPath: (name) => `/staging/${name}`,
  };
}

test('a package without the headers part is described once: that description is compressed and written', async () => {
  const events: Event[] = [];
  const relations = (): Promise<readonly Dependency[]> =>
    assert.fail('only a package holding the headers asks for relations');
  const made = await makePackage(stages(events, { early: true, relations }), 'image', base);
  assert.deepEqual(events, [
    'describe linux-image with 0 relations',
    'prepare linux-image with 0 relations',
    'write linux-image with 0 relations',
  ]);
  assert.equal(made.fileName, 'linux-image.pkg');
  assert.equal(made.path, '/staging/linux-image.pkg');
});

test("the headers package's compression starts before its relations are known; it is written with them", async () => {
  const events: Event[] = [];
  let giveRelations: (deps: readonly Dependency[]) => void = () => undefined;
  const relations = new Promise<readonly Dependency[]>((resolve) => (giveRelations = resolve));
  const made = makePackage(stages(events, { early: true, relations: () => relations }), 'headers', {
    ...base,
    headers,
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(events, ['describe linux-headers with 0 relations', 'prepare linux-headers with 0 relations']);
  giveRelations([LIBC]);
  assert.deepEqual((await made).description.depends, [LIBC]);
  assert.deepEqual(events.slice(2), [
    'describe linux-headers with 1 relations',
    'write linux-headers with 1 relations',
  ]);
});

test('a format that compresses nothing early describes the headers package once, whole', async () => {
  const events: Event[] = [];
  await makePackage(stages(events, { early: false, relations: () => Promise.resolve([LIBC]) }), 'headers', {
    ...base,
    headers,
  });
  assert.deepEqual(events, ['describe linux-headers with 1 relations', 'write linux-headers with 1 relations']);
});

test('when the relations fail, the package fails with their error and nothing is written', async () => {
  const events: Event[] = [];
  const failing = makePackage(
    stages(events, { early: true, relations: () => Promise.reject(new Error('no target package data')) }),
    'headers',
    { ...base, headers },
  );
  await assert.rejects(failing, { message: 'no target package data' });
  assert.ok(!events.some((e) => e.startsWith('write')));
});
