/**
 * For tests that run commands in a target rootfs themselves: the sandbox kpkg smoke uses
 * (src/smoke/sandbox/), around a rootfs they unpack or one a smoke run kept.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unpackRootfs, type UnpackedRootfs } from '../smoke/rootfs.js';
import { openSandbox } from '../smoke/sandbox/sandbox.js';
import { sandboxTarget, type SmokeTarget } from '../smoke/target.js';

/** The rootfs at `root` (unpacked by smoke, e.g. with keepRootfs) as a target. */
export async function testTarget(root: string): Promise<SmokeTarget> {
  return sandboxTarget(await openSandbox(), root, { tailLines: 30 });
}

/** The tarball unpacked as smoke unpacks it, and entered. */
export async function unpackedTestRootfs(tarball: string): Promise<{ rootfs: UnpackedRootfs; target: SmokeTarget }> {
  const sandbox = await openSandbox();
  const rootfs = await unpackRootfs(sandbox, tarball);
  return { rootfs, target: sandboxTarget(sandbox, rootfs.dir, { tailLines: 30 }) };
}

/** Writes `text` to `path` in the target (through put, as the target's root). */
export async function putText(target: SmokeTarget, path: string, text: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-put-'));
  try {
    const file = join(dir, basename(path));
    await writeFile(file, text);
    const r = await target.put({ files: [file] }, path.slice(0, path.lastIndexOf('/')) || '/');
    if (r.exitCode !== 0) throw new Error(`cannot write ${path} in the target:\n${r.tail}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `argv` in the target; its output, or an error with the tail when it fails. */
export async function runOk(target: SmokeTarget, argv: readonly string[]): Promise<string> {
  const r = await target.run(argv);
  if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} exited ${r.exitCode}:\n${r.tail}`);
  return r.output;
}
