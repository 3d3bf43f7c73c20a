/**
 * Test helper (not used by kpkg itself): smoke steps run against a plain directory standing for the
 * entered rootfs, with the commands they run answered by the test.
 */
import assert from 'node:assert/strict';
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SmokeFacts, SmokeInput, StepContext } from '../smoke/steps/step.js';
import type { SmokeTarget, TargetRunResult } from '../smoke/target.js';
import { lastLines } from '../util/last-lines.js';
import { bareElf } from './bare-elf.js';

/** How a command run on the target ended: its output (the last 30 lines as the tail) and exit code. */
export function targetResult(output: string, exitCode = 0): TargetRunResult {
  return { exitCode, timedOut: false, output, tail: lastLines(output, 30) };
}

/** A bare 64-bit little-endian ELF program for `machine` (62 x86-64, 183 AArch64) at `pathInRoot`, mode 0755. */
export async function putElfProgram(root: string, pathInRoot: string, machine: number): Promise<void> {
  const path = join(root, pathInRoot);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bareElf({ class: 64, endian: 'little', type: 'EXEC', machine }));
  await chmod(path, 0o755);
}

/** A target's put for a plain directory standing for the rootfs: a host copy (the real one unpacks inside the sandbox). */
export function hostCopyInto(root: string): SmokeTarget['put'] {
  return async (what, dir) => {
    const into = join(root, dir);
    await mkdir(into, { recursive: true });
    if ('files' in what) for (const file of what.files) await cp(file, join(into, basename(file)));
    else await cp(what.contentsOf, into, { recursive: true });
    return targetResult('');
  };
}

export interface RecordedStepContext {
  context: StepContext;
  /** Each command the step ran on the target, in order. */
  commands: string[][];
  /** What the step noted for smoke.log. */
  log: string[];
}

/**
 * A step context for `input` whose target is `root`, each command answered by `answer`, and the
 * facts earlier steps handed on; entering a rootfs fails the test.
 */
export function stepContext(
  root: string,
  input: SmokeInput,
  answer: (argv: readonly string[]) => TargetRunResult | Promise<TargetRunResult>,
  facts: Omit<SmokeFacts, 'target'> = {},
): RecordedStepContext {
  const commands: string[][] = [];
  const log: string[] = [];
  const run = async (argv: readonly string[]): Promise<TargetRunResult> => {
    commands.push([...argv]);
    return answer(argv);
  };
  const context: StepContext = {
    input,
    facts: { target: { root, run, put: hostCopyInto(root) }, ...facts },
    note: (...lines) => log.push(...lines),
    onLine: undefined,
    unpackRootfs: () => assert.fail('the step under test unpacks no rootfs'),
    enterRootfs: () => assert.fail('the step under test enters no rootfs'),
  };
  return { context, commands, log };
}
