import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostDebianMirror, parseDeb822Sources, parseOneLineSources, pickDebianMirror } from './sources.js';

const DEB822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
`;

test('deb822 sources: the release-suite mirror wins over security and deb-src', () => {
  const sources = parseDeb822Sources(DEB822);
  assert.deepEqual(
    sources.map((s) => s.uri),
    ['http://mirror.example/debian/', 'http://deb.debian.org/debian-security'],
  );
  assert.equal(pickDebianMirror(sources), 'http://mirror.example/debian');
});

test('a security or backports-only source is never picked', () => {
  assert.equal(
    pickDebianMirror(parseDeb822Sources('Types: deb\nURIs: http://a/debian\nSuites: bookworm-backports\n')),
    undefined,
  );
  assert.equal(
    pickDebianMirror(parseOneLineSources('deb http://security.debian.org/debian-security bookworm-security main')),
    undefined,
  );
});

test('one-line sources.list, with options and comments', () => {
  const text =
    '# deb http://old/debian buster main\ndeb [arch=amd64 signed-by=/k.gpg] http://ftp.example/debian bookworm main contrib\n';
  assert.equal(pickDebianMirror(parseOneLineSources(text)), 'http://ftp.example/debian');
});

test("this machine's mirror comes from its apt sources", async () => {
  assert.match(await hostDebianMirror(), /^https?:\/\/\S+[^/]$/);
});
