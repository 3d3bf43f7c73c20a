import assert from 'node:assert/strict';
import { Command } from 'commander';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { FAMILY_IDS, type FamilyId } from '../package/family.js';
import { writeTinyPackage } from '../testing/family-packages.js';
import { tempDir } from '../testing/verify-packages.js';
import { CONTAINER_READERS, inputKindOf, readHead } from '../reader/open.js';
import { allFamilies, FAMILIES } from './families.js';
import type { Family } from './family.js';

/** The options `kpkg <family>` parses when none is given: what the family's own options default to. */
function defaultOptions(family: Family): object {
  const command = new Command(family.id);
  const options: object = (family.command.extraOptions?.(command) ?? command).opts();
  return options;
}

function nonEmpty(text: string | undefined): boolean {
  return typeof text === 'string' && text !== '';
}

/** What the row lacks or gets wrong; empty when it is complete. */
function problemsOf(id: FamilyId, family: Family): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  expect(family.id === id, `the row under ${id} says it is ${family.id}`);
  expect(nonEmpty(family.distribution), 'no distribution');
  expect(Array.isArray(family.kinds) && family.kinds.length > 0, 'no package kinds');
  expect(family.packager?.format === id, `no container writer for ${id}`);
  expect(family.smokeInstaller?.format === id, `no smoke installer for ${id}`);
  expect(
    Object.values(CONTAINER_READERS).some((reader) => reader === family.verifyReader),
    'no verify reader',
  );
  expect(
    nonEmpty(family.command?.description) && nonEmpty(family.command?.versionHelp),
    'no command description or version help',
  );
  if (typeof family.layout !== 'function' || family.command === undefined) {
    problems.push('no layout');
  } else {
    const layout = family.layout(defaultOptions(family));
    expect(layout.family === id, `its layout is the ${layout.family} family's`);
    expect(
      isDeepStrictEqual(layout.kinds, family.kinds),
      `its kinds (${String(family.kinds)}) are not its layout's (${layout.kinds.join(', ')})`,
    );
  }
  return problems;
}

describe('the families table', () => {
  it('has one row per family, under its own id, in the order of FAMILY_IDS', () => {
    assert.deepEqual(Object.keys(FAMILIES).sort(), [...FAMILY_IDS].sort());
    assert.deepEqual(
      allFamilies().map((family) => family.id),
      [...FAMILY_IDS],
    );
  });

  for (const id of FAMILY_IDS) {
    it(`${id}: every part is there and is the ${id} family's`, () => {
      assert.deepEqual(problemsOf(id, FAMILIES[id]), []);
    });
  }

  it("a row that lacks a part, or has another family's, is incomplete", () => {
    const deb = FAMILIES.deb;
    const without = (part: keyof Family): Family => ({ ...deb, [part]: undefined });
    assert.deepEqual(problemsOf('deb', without('packager')), ['no container writer for deb']);
    assert.deepEqual(problemsOf('deb', without('smokeInstaller')), ['no smoke installer for deb']);
    assert.deepEqual(problemsOf('deb', without('verifyReader')), ['no verify reader']);
    assert.deepEqual(problemsOf('deb', without('distribution')), ['no distribution']);
    assert.deepEqual(problemsOf('deb', without('layout')), ['no layout']);
    assert.deepEqual(problemsOf('deb', { ...deb, packager: FAMILIES.rpm.packager }), ['no container writer for deb']);
    assert.deepEqual(problemsOf('deb', { ...deb, layout: (options) => FAMILIES.rpm.layout(options) }), [
      "its layout is the rpm family's",
      "its kinds (image,headers,libc-dev,dbg) are not its layout's (kernel, devel, headers, debuginfo)",
    ]);
  });

  for (const family of allFamilies()) {
    it(`${family.id}: the reader its row names reads what its writer writes, as a ${family.id} package`, async () => {
      const file = await writeTinyPackage(family.packager, await tempDir('kpkg-families-'));
      const kind = inputKindOf(await readHead(file));
      assert.equal(kind?.reader, family.verifyReader.container);
      const pkg = await family.verifyReader.read(file, kind.reader === 'tar' ? kind.compression : 'none');
      assert.equal(pkg.format, family.id);
      assert.ok(pkg.members.some((member) => member.path === '/usr/src/kpkg-family-test/a.h'));
    });
  }
});
