/**
 * kpkg smoke on hostile packages, made here: a headers .deb whose postinst attacks the build
 * machine. Each attack worked on the root chroot smoke used before the sandbox (issue #31); here
 * each leaves the machine untouched, ends within its limits, and the report names the script. And
 * smoke runs as an ordinary user.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import {
  freshHome,
  letUserReach,
  ordinaryUser,
  runKpkgAs,
  testUserCache,
  withSubordinateIds,
} from '../../testing/fresh-home.js';
import { countingListener, perlConnect } from '../../testing/loopback-listener.js';
import { runKpkg } from '../../testing/run-kpkg.js';

interface SmokeJson {
  ok: boolean;
  failedStep?: string;
  logTail?: string;
  scripts?: { package?: string; script: string; kind: 'failed' | 'denied'; words: string; accepted?: boolean }[];
}

const RELEASE = '0.0.1-hostile';
const PACKAGE = `linux-headers-${RELEASE}`;

let work = '';
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-hostile-'));
  await chmod(work, 0o755);
});
after(() => rm(work, { recursive: true, force: true }));

/**
 * A headers .deb for arm64 whose postinst is `script`: a build directory whose Makefile builds
 * nothing (smoke then stops at "build module"), and the attack.
 */
async function hostileDeb(name: string, script: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, 'DEBIAN'), { recursive: true });
  await mkdir(join(dir, `lib/modules/${RELEASE}/build`), { recursive: true });
  await writeFile(join(dir, `lib/modules/${RELEASE}/build/Makefile`), 'modules:\n\t@true\n');
  await writeFile(
    join(dir, 'DEBIAN/control'),
    `Package: ${PACKAGE}\nVersion: 1\nArchitecture: arm64\nMaintainer: Kpkg Test <kpkg@example.org>\nDescription: hostile headers\n`,
  );
  await writeFile(join(dir, 'DEBIAN/postinst'), `#!/bin/sh\n${script}\nexit 0\n`);
  await chmod(join(dir, 'DEBIAN/postinst'), 0o755);
  const deb = join(work, `${name}.deb`);
  await execa('dpkg-deb', ['--root-owner-group', '-b', dir, deb]);
  return deb;
}

async function smokeJson(deb: string, ...args: string[]): Promise<{ json: SmokeJson; seconds: number }> {
  const started = performance.now();
  const r = await runKpkg(['smoke', deb, '--json', ...args]);
  const seconds = (performance.now() - started) / 1000;
  assert.ok(r.stdout.trim() !== '', r.stderr);
  return { json: JSON.parse(r.stdout) as SmokeJson, seconds };
}

/** The notes about the postinst, as the report has them. */
function postinstNotes(json: SmokeJson): string {
  return (json.scripts ?? [])
    .filter((s) => s.package === PACKAGE && s.script === 'postinst')
    .map((s) => `${s.kind}: ${s.words}`)
    .join('\n');
}

describe('kpkg smoke on a package whose postinst attacks the build machine', { timeout: 20 * 60 * 1000 }, () => {
  test('the classic chroot escape writes into the rootfs, not the machine; the report names the script', async () => {
    const proof = `/tmp/kpkg-escape-proof-${process.pid}`;
    // After the escape the script looks for the machine's root: its kernel settings (the sandbox's are read-only).
    const deb = await hostileDeb(
      'escape',
      `perl -e 'mkdir "/x"; chroot "/x" or die "chroot: $!"; chdir ".." for 1..64; chroot "."; open F, ">${proof}" or die "open: $!"; print F "out\\n"; close F;'
echo kpkg > /proc/sys/kernel/domainname`,
    );
    const { json } = await smokeJson(deb);
    await assert.rejects(stat(proof), `${proof} must not exist on the build machine`);
    assert.equal(json.failedStep, 'build module', json.logTail);
    assert.match(postinstNotes(json), /denied: .*domainname: (Read-only file system|Permission denied)/);
  });

  test('a connection to a listener on the machine never arrives; the report names the script', async () => {
    const listener = await countingListener();
    try {
      const deb = await hostileDeb('connect', `perl -MIO::Socket::INET -e '${perlConnect(listener.port)}'`);
      const { json } = await smokeJson(deb);
      assert.equal(listener.connections(), 0);
      assert.match(postinstNotes(json), /denied: connect: Connection refused/);
    } finally {
      listener.close();
    }
  });

  test("writes to the machine's kernel settings are refused; the report names the script", async () => {
    const domain = await readFile('/proc/sys/kernel/domainname', 'utf8');
    const hostname = await readFile('/proc/sys/kernel/hostname', 'utf8');
    const deb = await hostileDeb(
      'procsys',
      'echo pwned > /proc/sys/kernel/domainname\necho pwned > /proc/sys/kernel/hostname\necho 1 > /proc/sys/vm/drop_caches',
    );
    const { json } = await smokeJson(deb);
    assert.equal(await readFile('/proc/sys/kernel/domainname', 'utf8'), domain);
    assert.equal(await readFile('/proc/sys/kernel/hostname', 'utf8'), hostname);
    assert.match(postinstNotes(json), /denied: .*domainname: (Read-only file system|Permission denied)/);
    assert.match(postinstNotes(json), /denied: .*drop_caches: (Read-only file system|Permission denied)/);
  });

  test('forking without end stops at the process limit, in seconds; the report names the script', async () => {
    const deb = await hostileDeb('forkbomb', 'while :; do sleep 600 & done');
    const { json, seconds } = await smokeJson(deb, '--limit', 'processes=64', '--limit', 'time=300');
    assert.equal(json.failedStep, 'install', json.logTail);
    // RLIMIT_NPROC refuses the 64th fork, or the watchdog ends the sandbox when it sees 64 processes first.
    assert.match(
      postinstNotes(json),
      /denied: .*(Cannot fork|Resource temporarily unavailable|kpkg: killed: the sandbox ran \d+ processes at once, reaching its limit of 64)/,
    );
    assert.ok(seconds < 240, `took ${seconds} s`);
  });

  test('a postinst that fails fails the install, in its words; --accept-script-failures makes it a warning and goes on', async () => {
    const deb = await hostileDeb('fails', 'echo "cannot configure: no frobnicator here" >&2\nexit 3');
    const refused = await smokeJson(deb);
    assert.equal(refused.json.failedStep, 'install', refused.json.logTail);
    assert.match(postinstNotes(refused.json), /^failed: cannot configure: no frobnicator here/);
    const accepted = await smokeJson(deb, '--accept-script-failures');
    // The packages stay unpacked, so smoke goes on to the module build (which this package's Makefile skips).
    assert.equal(accepted.json.failedStep, 'build module', accepted.json.logTail);
    assert.deepEqual(
      (accepted.json.scripts ?? []).map((s) => [s.kind, s.accepted]),
      [['failed', true]],
    );
  });

  test('filling the disk ends at the disk limit; the report names the script', async () => {
    const deb = await hostileDeb(
      'fill',
      'i=0; while :; do dd if=/dev/zero of=/var/fill$i bs=1M count=64 2>/dev/null; i=$((i+1)); done',
    );
    const { json, seconds } = await smokeJson(deb, '--limit', 'disk=256M', '--limit', 'time=300');
    assert.equal(json.failedStep, 'install', json.logTail);
    assert.match(postinstNotes(json), /kpkg: killed: the sandbox filled .* over its 256 MiB limit/);
    assert.ok(seconds < 240, `took ${seconds} s`);
  });
});

describe('kpkg smoke as an ordinary user', { timeout: 20 * 60 * 1000 }, () => {
  test('the package installed and its scripts sandboxed, without root (from an empty HOME: the fresh-machine test)', async () => {
    const user = await withSubordinateIds(await ordinaryUser());
    const { home, env } = await freshHome(user);
    const cache = await testUserCache(user);
    const deb = await hostileDeb('user', 'id -u > /tmp/kpkg-uid; echo pwned > /proc/sys/kernel/domainname');
    await letUserReach(user, deb);
    const r = await runKpkgAs(user, ['smoke', deb, '--json'], { ...env, KPKG_CACHE_DIR: cache });
    const json = JSON.parse(r.stdout) as SmokeJson;
    assert.equal(json.failedStep, 'build module', `${r.stderr}\n${json.logTail ?? ''}`);
    assert.match(postinstNotes(json), /denied: .*domainname: (Read-only file system|Permission denied)/);
    await rm(home, { recursive: true, force: true });
  });
});
