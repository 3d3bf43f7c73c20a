import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { decodeName } from '../util/name-bytes.js';
import { MemberCollector } from './collect.js';
import { assertSize, READ_LIMITS, ReadBudget, withinRelations } from './limits.js';

/** The error a budget throws: exit status 2, one line naming the limit and the file. */
function overThe(limit: keyof typeof READ_LIMITS, where = 'x.deb'): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof KpkgError, String(e));
    assert.equal(e.exitCode, 2);
    assert.ok(e.message.startsWith(where), e.message);
    assert.match(e.message, new RegExp(`over the limit of ${READ_LIMITS[limit]} .*\\(READ_LIMITS\\.${limit}\\)`));
    assert.equal(e.message.includes('\n'), false);
    return true;
  };
}

describe('READ_LIMITS: far above real kernel packages', () => {
  it('a headers package (~20,000 files, ~6 MiB kept) and its metadata fit many times over', () => {
    assert.ok(READ_LIMITS.members >= 10 * 20_000);
    assert.ok(READ_LIMITS.keptBytes >= 10 * 6 * 1024 * 1024);
    assert.ok(READ_LIMITS.relations >= 10 * 500);
    assert.ok(READ_LIMITS.controlFileBytes >= 100 * 8 * 1024);
    assert.equal(READ_LIMITS.nameBytes, 4096);
  });
});

describe('ReadBudget', () => {
  it('takes a realistic headers package', () => {
    const budget = new ReadBudget('x.deb');
    for (let i = 0; i < 20_000; i++) budget.member(`/usr/src/linux-headers-6.1.0-18-arm64/include/linux/h${i}.h`);
    budget.keep(6 * 1024 * 1024, 'texts');
  });

  it('refuses the member after the last one allowed', () => {
    const budget = new ReadBudget('x.deb');
    for (let i = 0; i < READ_LIMITS.members; i++) budget.member('/a');
    assert.throws(() => budget.member('/a'), overThe('members'));
  });

  it('refuses a name longer than PATH_MAX, takes one of exactly PATH_MAX bytes', () => {
    const budget = new ReadBudget('x.deb');
    budget.member(`/${'a'.repeat(READ_LIMITS.nameBytes - 1)}`);
    assert.throws(() => budget.member(`/${'a'.repeat(READ_LIMITS.nameBytes)}`), overThe('nameBytes'));
    // Bytes, not characters: 2,048 two-byte characters are 4,096 bytes.
    assert.throws(() => budget.name(`/${'é'.repeat(2048)}`), overThe('nameBytes'));
  });

  it('counts a byte that is not UTF-8 as the one byte it is', () => {
    const budget = new ReadBudget('x.deb');
    budget.member(decodeName(Buffer.concat([Buffer.from('/'), Buffer.alloc(READ_LIMITS.nameBytes - 1, 0xff)])));
    assert.throws(() => budget.member(decodeName(Buffer.alloc(READ_LIMITS.nameBytes + 1, 0xff))), overThe('nameBytes'));
  });

  it('refuses deep names past the path components all names may have', () => {
    const budget = new ReadBudget('x.deb');
    const deep = '/a'.repeat(2000);
    for (let i = 0; i < READ_LIMITS.pathComponents / 2000; i++) budget.member(deep);
    assert.throws(() => budget.member(deep), overThe('pathComponents'));
  });

  it('refuses keeping more than keptBytes', () => {
    const budget = new ReadBudget('x.deb');
    budget.keep(READ_LIMITS.keptBytes - 10, 'kernel configurations');
    budget.keep(10, 'kernel configurations');
    assert.throws(() => budget.keep(1, 'kernel configurations'), overThe('keptBytes'));
  });
});

describe('MemberCollector counts every member against the budget', () => {
  it('the 200,001st member is refused', async () => {
    const collector = new MemberCollector('x.tar', { md5: false });
    for (let i = 0; i < READ_LIMITS.members; i++)
      await collector.add({ name: `./d${i}`, type: 'dir', size: 0, mode: 0o755 });
    await assert.rejects(
      collector.add({ name: './one-more', type: 'dir', size: 0, mode: 0o755 }),
      overThe('members', 'x.tar'),
    );
  });

  it('a symlink target longer than PATH_MAX is refused', async () => {
    const collector = new MemberCollector('x.tar', { md5: false });
    const link = { name: './l', type: 'symlink', size: 0, mode: 0o777 } as const;
    await collector.add({ ...link, link: 'a'.repeat(READ_LIMITS.nameBytes) });
    await assert.rejects(
      collector.add({ ...link, link: 'a'.repeat(READ_LIMITS.nameBytes + 1) }),
      overThe('nameBytes', 'x.tar'),
    );
  });
});

describe('metadata sizes and relations', () => {
  it('assertSize takes the limit and refuses one byte more, naming the file', () => {
    assertSize('x.deb control.tar.gz', 'controlFileBytes', 'the control file', READ_LIMITS.controlFileBytes);
    assert.throws(
      () =>
        assertSize('x.deb control.tar.gz', 'controlFileBytes', 'the control file', READ_LIMITS.controlFileBytes + 1),
      (e) =>
        overThe('controlFileBytes', 'x.deb control.tar.gz')(e) && /the control file \(1048577 bytes\)/.test(String(e)),
    );
  });

  it('withinRelations takes the limit and refuses one more', () => {
    const relations = Array.from({ length: READ_LIMITS.relations }, (_, i) => [`lib${i}`]);
    assert.equal(withinRelations('x.deb control', relations, 'Depends relations'), relations);
    assert.throws(
      () => withinRelations('x.deb control', [...relations, ['one-more']], 'Depends relations'),
      overThe('relations', 'x.deb control'),
    );
  });
});
