import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebMetadata, Member, ReadPackage } from '../../reader/model.js';
import { checkDebs } from './deb.js';

const file = (path: string, md5: string): Member => ({ path, type: 'file', size: 1, mode: 0o644, md5 });

function deb(name: string, metadata: Partial<DebMetadata>, members: Member[]): ReadPackage {
  return {
    input: `${name}.deb`,
    format: 'deb',
    name,
    members,
    deb: {
      formatVersion: '2.0',
      control: new Map([
        ['Package', name],
        ['Version', '1'],
        ['Architecture', 'arm64'],
        ['Maintainer', 'A <a@example.org>'],
        ['Description', 'd'],
      ]),
      md5sums: new Map(members.flatMap((m) => (m.md5 === undefined ? [] : [[m.path, m.md5] as const]))),
      md5sumsMalformed: [],
      conffiles: new Set(),
      dataMember: 'data.tar.xz',
      controlMember: 'control.tar.xz',
      ...metadata,
    },
  };
}

test('a whole .deb passes every check', () => {
  const result = checkDebs([
    deb('good', {}, [file('/usr/a', 'aa'), { path: '/usr', type: 'dir', size: 0, mode: 0o755 }]),
  ]);
  for (const outcome of Object.values(result))
    assert.deepEqual(outcome, { applicable: true, findings: [], note: undefined });
});

test('control fields missing or empty, and a control.tar without control', () => {
  const control = new Map([
    ['Package', 'x'],
    ['Version', ' '],
    ['Architecture', 'all'],
    ['Maintainer', 'm'],
  ]);
  const messages = (pkg: ReadPackage): string[] => checkDebs([pkg])['deb-control'].findings.map((f) => f.message);
  assert.deepEqual(messages(deb('x', { control }, [])), [
    'control field Version is empty',
    'control field Description is missing',
  ]);
  assert.deepEqual(messages(deb('x', { control: undefined }, [])), ['control.tar.xz has no control file']);
});

test('md5sums: a wrong digest, a listed file not shipped, a malformed line, a file not listed unless a conffile', () => {
  const pkg = deb(
    'sums',
    {
      md5sums: new Map([
        ['/usr/a', 'aa'],
        ['/usr/b', 'bb'],
        ['/usr/gone', 'cc'],
      ]),
      md5sumsMalformed: ['zz  '],
      conffiles: new Set(['/etc/conf']),
    },
    [file('/usr/a', 'aa'), file('/usr/b', 'XX'), file('/usr/new', 'dd'), file('/etc/conf', 'ee')],
  );
  const result = checkDebs([pkg]);
  assert.deepEqual(
    result['deb-md5sums'].findings.map((f) => `${f.path}: ${f.message}`),
    [
      'DEBIAN/md5sums: malformed md5sums line: "zz  "',
      '/usr/b: contents do not match md5sums',
      '/usr/gone: listed in md5sums but not a regular file in data.tar.xz',
    ],
  );
  assert.equal(result['deb-md5sums'].findings[1]?.found, 'XX');
  assert.deepEqual(
    result['deb-md5sums-incomplete'].findings.map((f) => f.path),
    ['/usr/new'],
  );
  const none = checkDebs([deb('nosums', { md5sums: undefined }, [file('/usr/a', 'aa')])]);
  assert.equal(
    none['deb-md5sums-incomplete'].findings[0]?.message,
    'the package has no md5sums: dpkg --verify cannot check its files',
  );
});

test('without a .deb the checks do not apply', () => {
  const result = checkDebs([{ input: 'x.rpm', format: 'rpm', name: 'x', members: [] }]);
  assert.deepEqual(result['deb-control'], { applicable: false, findings: [], note: 'no .deb among the inputs' });
});
