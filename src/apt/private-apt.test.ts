import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSimulatedInstall, privateAptOptions, sourcesLine } from './private-apt.js';

const SPEC = {
  mirror: 'http://deb.debian.org/debian',
  suite: 'bookworm',
  components: ['main'],
  keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
  architectures: ['arm64'],
};

test('the simulated install lists every package of the closure with its exact version and architecture', () => {
  const out = [
    'NOTE: This is only a simulation!',
    'Inst gcc-12-base (12.2.0-14+deb12u1 Debian:12.15/oldstable [arm64])',
    'Inst libgcc-s1 (12.2.0-14+deb12u1 Debian:12.15/oldstable [arm64]) []',
    'Inst libtirpc-common (1.3.3+ds-1 Debian:12.15/oldstable [all])',
    'Inst zlib1g (1:1.2.13.dfsg-1 Debian:12.15/oldstable [arm64])',
    'Inst libssl3:arm64 [3.0.19-1] (3.0.20-1~deb12u2 Debian:12.15/oldstable [arm64])',
    'Conf zlib1g (1:1.2.13.dfsg-1 Debian:12.15/oldstable [arm64])',
  ].join('\n');
  assert.deepEqual(parseSimulatedInstall(out), [
    { name: 'gcc-12-base', version: '12.2.0-14+deb12u1', arch: 'arm64' },
    { name: 'libgcc-s1', version: '12.2.0-14+deb12u1', arch: 'arm64' },
    { name: 'libtirpc-common', version: '1.3.3+ds-1', arch: 'all' },
    { name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'arm64' },
    { name: 'libssl3', version: '3.0.20-1~deb12u2', arch: 'arm64' },
  ]);
});

test("the sources list names one suite of one mirror, the target's architecture and the keyring", () => {
  assert.equal(
    sourcesLine(SPEC),
    'deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main\n',
  );
  assert.equal(
    sourcesLine({ ...SPEC, keyring: undefined, architectures: ['arm64', 'amd64'] }),
    'deb [arch=arm64,amd64] http://deb.debian.org/debian bookworm main\n',
  );
});

test("apt's state, lists, archives and dpkg status are kpkg's own; the sandbox user only changes for root", () => {
  const options = privateAptOptions('/c/apt/bookworm-arm64', SPEC, 1000);
  const value = (key: string): string | undefined =>
    options.find((o) => o.startsWith(`${key}=`))?.slice(key.length + 1);
  assert.equal(value('Dir::State::status'), '/c/apt/bookworm-arm64/status');
  assert.equal(value('Dir::State::Lists'), '/c/apt/bookworm-arm64/lists');
  assert.equal(value('Dir::Cache::Archives'), '/c/apt/bookworm-arm64/archives');
  assert.equal(value('Dir::Etc::SourceList'), '/c/apt/bookworm-arm64/sources.list');
  assert.equal(value('Dir::Etc::SourceParts'), '/c/apt/bookworm-arm64/sources.list.d');
  assert.equal(value('APT::Architecture'), 'arm64');
  assert.equal(value('APT::Architectures'), 'arm64');
  assert.equal(value('APT::Sandbox::User'), undefined);
  assert.equal(privateAptOptions('/c', SPEC, 0).includes('APT::Sandbox::User=root'), true);
  // every value is given with -o
  assert.equal(
    options.filter((o, i) => i % 2 === 0).every((o) => o === '-o'),
    true,
  );
});
