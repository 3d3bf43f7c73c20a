import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadPackage } from '../../reader/model.js';
import { decodeName } from '../../util/name-bytes.js';
import { verifyContext } from '../verify.js';
import { nameEncodingCheck } from './name-not-utf8.js';

function pkg(members: ReadPackage['members']): ReadPackage {
  return { input: 'x.tar', format: 'tar', name: 'x', members };
}

const NOT_UTF8 = decodeName(Buffer.from('/usr/share/x/caf\xe9', 'latin1'));

describe('name-not-utf8', () => {
  it('names a member, and a link target, that are not UTF-8', () => {
    const outcome = nameEncodingCheck.run(
      verifyContext([
        pkg([
          { path: NOT_UTF8, type: 'file', size: 0, mode: 0o644 },
          { path: '/usr/share/x/link', type: 'symlink', size: 0, mode: 0o777, link: NOT_UTF8 },
        ]),
      ]),
    )['name-not-utf8'];
    assert.deepEqual(
      outcome.findings.map((f) => [f.severity, f.path, f.message]),
      [
        ['warning', NOT_UTF8, 'the member name is not valid UTF-8'],
        ['warning', '/usr/share/x/link', `the link's target ${NOT_UTF8} is not valid UTF-8`],
      ],
    );
  });

  it('UTF-8 names, accents and emoji included, pass', () => {
    const outcome = nameEncodingCheck.run(
      verifyContext([pkg([{ path: '/usr/share/x/café 😀', type: 'file', size: 0, mode: 0o644 }])]),
    )['name-not-utf8'];
    assert.deepEqual(outcome, { applicable: true, findings: [], note: '1 member name' });
  });
});
