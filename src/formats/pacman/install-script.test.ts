import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { PackageDescription } from '../../package/model.js';
import { tinyPackage } from '../../testing/family-packages.js';
import { installScriptText } from './install-script.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-install-script-'));
after(() => rm(dir, { recursive: true, force: true }));

function withScripts(scripts: PackageDescription['scripts']): PackageDescription {
  return { ...tinyPackage(), scripts };
}

/** Sources the .INSTALL in sh, as libalpm does, and calls one function; returns its output. */
async function call(text: string, fn: string, ...args: string[]): Promise<string> {
  const file = join(dir, `${fn}.INSTALL`);
  await writeFile(file, text);
  return execFileSync('sh', ['-c', `. "$1"; shift; "$@"`, 'sh', file, fn, ...args], { encoding: 'utf8' });
}

test('no scripts, no .INSTALL', () => {
  assert.equal(installScriptText(tinyPackage()), undefined);
  assert.equal(installScriptText(withScripts({})), undefined);
});

test("each pacman function runs the Debian script with dpkg's arguments, quotes and all", async () => {
  const text = installScriptText(
    withScripts({
      preinst: '#!/bin/sh\necho "$0 $*"\n',
      postinst: '#!/bin/sh -e\necho "it\'s $0 $*"\n',
    }),
  );
  assert.ok(text !== undefined);
  assert.equal(await call(text, 'pre_install', '2.0'), 'preinst install\n');
  assert.equal(await call(text, 'post_install', '2.0'), "it's postinst configure\n");
  assert.equal(await call(text, 'pre_upgrade', '2.0', '1.0'), 'preinst upgrade 1.0\n');
  assert.equal(await call(text, 'post_upgrade', '2.0', '1.0'), "it's postinst configure 1.0\n");
  // Functions without a script are defined and do nothing.
  assert.equal(await call(text, 'pre_remove', '1.0'), '');
  assert.equal(await call(text, 'post_remove', '1.0'), '');
});

test("a script's own exit status and set -e stay inside its function", async () => {
  const text = installScriptText(withScripts({ postrm: '#!/bin/sh -e\nfalse\necho not reached\n' }));
  assert.ok(text !== undefined);
  assert.equal(await call(`${text}\npost_remove || echo failed`, 'true'), 'failed\n');
});

test('a script without an interpreter line is refused, naming the script and the package', () => {
  assert.throws(() => installScriptText(withScripts({ prerm: 'echo hi\n' })), {
    name: 'KpkgError',
    message: "the prerm script of kpkg-family-test must start with an interpreter line such as '#!/bin/sh'",
  });
});
