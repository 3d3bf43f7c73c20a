/**
 * lintian, a real referee, on the deb writer's sample package: no archive-structure problems.
 * An integration test (it runs lintian, seconds of Perl); the writer's own tests are write-deb.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { PackageDescription } from '../../package/model.js';
import { env, samplePackage } from '../../testing/sample-deb.js';
import { writeDeb } from './write-deb.js';

const run = promisify(execFile);

let work = '';
let pkg: PackageDescription;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-deb-lintian-'));
  pkg = await samplePackage(work);
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

void describe('writeDeb', () => {
  void it('passes lintian without archive-structure problems', async (t) => {
    const out = join(work, 'lintian.deb');
    await writeDeb(pkg, out, { compression: 'xz' });
    const result = await run('lintian', ['--tag-display-limit', '0', out], { env }).catch(
      (error: unknown) => error as { stdout: string; stderr: string; code: number },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    const tags = [...output.matchAll(/^[EWIPX]: kpkg-test: ([\w-]+)/gm)].map((match) => match[1] ?? '');
    t.diagnostic(`lintian tags: ${tags.join(', ') || '(none)'}`);
    const structural =
      /malformed|tar-|ar-|md5sum|control-file|control-member|data-member|bad-permissions|wrong-file-owner|ancient|unknown-control|deb-format|debian-binary|compression/;
    assert.deepEqual(
      tags.filter((tag) => structural.test(tag)),
      [],
      output,
    );
    assert.doesNotMatch(output, /malformed|cannot|unable|error:/i);
  });
});
