/**
 * Where the result goes when it cannot go there: the built CLI run by bash with stdout piped into
 * a reader that is gone, sent to /dev/full, closed, or discarded. The exit code, and stderr: empty,
 * or one line — never a stack trace.
 */
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bareElf, X86_64_ELF } from '../testing/bare-elf.js';
import { runKpkgWithStdout } from '../testing/run-kpkg.js';

function assertNoStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /\n\s+at |internal error|node:internal|Error: write/, stderr);
}

/** stderr is exactly one line, matching `message`. */
function assertOneLine(stderr: string, message: RegExp): void {
  assertNoStackTrace(stderr);
  assert.equal(stderr.split('\n').length, 1, stderr);
  assert.match(stderr, message);
}

describe('stdout that cannot take the output', () => {
  let work = '';
  let passing = '';
  let failing = '';
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kpkg-output-'));
    passing = join(work, 'text-only');
    failing = join(work, 'x86-program');
    await execa('mkdir', [passing, failing]);
    await writeFile(join(passing, 'README'), 'a text file\n');
    await writeFile(join(failing, 'program'), bareElf({ ...X86_64_ELF, type: 'EXEC' }));
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('a reader that is gone (EPIPE) ends quietly with the exit code the command has: --help, a pass', async () => {
    for (const args of [['deb', '--help'], ['--version'], ['verify', '--json', passing], ['verify', passing]]) {
      const r = await runKpkgWithStdout('| true', args);
      assertNoStackTrace(r.stderr);
      assert.equal(r.stderr, '', args.join(' '));
      assert.equal(r.exitCode, 0, args.join(' '));
    }
  });

  it('… and with the verdict of a failed verification: exit 1, its one line', async () => {
    const r = await runKpkgWithStdout('| true', ['verify', '--arch', 'arm64', failing]);
    assertOneLine(r.stderr, /^kpkg: error: verification failed: 1 error-level finding$/);
    assert.equal(r.exitCode, 1);
  });

  it('any other write error (ENOSPC on /dev/full) is one line naming it, and exit 1 for a pass', async () => {
    for (const args of [
      ['verify', passing],
      ['verify', '--format', 'markdown', passing],
      ['deb', '--help'],
    ]) {
      const r = await runKpkgWithStdout('>/dev/full', args);
      assertOneLine(
        r.stderr,
        /^kpkg: error: cannot write the output to standard output \(\/dev\/full\): no space left on the device \(ENOSPC\)$/,
      );
      assert.equal(r.exitCode, 1, args.join(' '));
    }
  });

  it('>/dev/null discards as asked', async () => {
    const discarded = await runKpkgWithStdout('>/dev/null', ['verify', passing]);
    assert.equal(discarded.stderr, '');
    assert.equal(discarded.exitCode, 0);
  });
});
