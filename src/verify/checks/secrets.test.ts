import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileSet } from '../../reader/file-set.js';
import type { Member, ReadPackage } from '../../reader/model.js';
import { checkSecrets } from './secrets.js';

const H = '/usr/src/linux-headers-6.1';

function pkg(name: string, members: (Partial<Member> & Pick<Member, 'path'>)[]): ReadPackage {
  return {
    input: `${name}.deb`,
    format: 'deb',
    name,
    members: members.map((m) => ({ type: 'file', size: 0, mode: 0o644, ...m })),
  };
}

const messages = (outcome: { findings: readonly { path?: string; message: string }[] }): string[] =>
  outcome.findings.map((f) => `${f.path}: ${f.message}`);

test('private keys, key files and the randstruct seed are each named with their path', () => {
  const result = checkSecrets(
    new FileSet([
      pkg('headers', [
        { path: `${H}/certs/signing_key.pem`, privateKey: true },
        { path: `${H}/certs/x509.priv` },
        { path: `${H}/certs/signing_key.x509` },
        { path: `${H}/scripts/basic/randstruct.seed` },
        { path: `${H}/scripts/gcc-plugins/randomize_layout_seed.h` },
        { path: `${H}/priv.d.priv`, type: 'dir' },
      ]),
    ]),
  );
  assert.deepEqual(messages(result['secret-private-key']), [`${H}/certs/signing_key.pem: contains a PEM private key`]);
  assert.deepEqual(
    result['secret-key-file'].findings.map((f) => f.path),
    [`${H}/certs/signing_key.pem`, `${H}/certs/x509.priv`],
  );
  assert.equal(result['secret-key-file'].findings[0]?.package, 'headers');
  assert.deepEqual(
    result['randstruct-seed'].findings.map((f) => f.path),
    [`${H}/scripts/basic/randstruct.seed`, `${H}/scripts/gcc-plugins/randomize_layout_seed.h`],
  );
  assert.equal(result['build-host-path'].applicable, false, 'no text file was scanned');
});

test('host paths are leaks unless the set itself installs them, directly or below a symlink it ships', () => {
  const result = checkSecrets(
    new FileSet([
      pkg('headers', [
        {
          path: `${H}/Makefile`,
          isText: true,
          hostPaths: ['/home/builder/linux/include/x.h', '/build/linux/arch/arm64/Makefile'],
        },
        { path: `${H}/a.cmd`, isText: true, hostPaths: [`${H}/include/linux/kconfig.h`] },
        {
          path: `${H}/b.cmd`,
          isText: true,
          hostPaths: ['/srv/k/scripts/a', '/srv/k/scripts/b', '/srv/k/scripts/c', '/srv/k/scripts/d'],
        },
        { path: `${H}/include/linux/kconfig.h` },
      ]),
      pkg('kbuild', [{ path: '/build/linux', type: 'symlink', link: H }]),
    ]),
  );
  const hosts = result['build-host-path'];
  assert.equal(hosts.applicable, true);
  assert.equal(hosts.note, '3 text files scanned');
  assert.deepEqual(messages(hosts), [
    `${H}/Makefile: names a home directory: /home/builder/linux/include/x.h`,
    `${H}/b.cmd: names the build machine's kernel tree: /srv/k/scripts/a, /srv/k/scripts/b, /srv/k/scripts/c (+1 more)`,
  ]);
  assert.equal(hosts.findings[1]?.found, '/srv/k/scripts/a /srv/k/scripts/b /srv/k/scripts/c /srv/k/scripts/d');
});
