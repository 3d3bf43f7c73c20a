import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditElfFiles, type ElfFinding } from '../../elf/audit.js';
import { readElfFile } from '../../elf/elf.js';
import { describeIdentity, identityOf, sameIdentity } from '../../elf/identity.js';
import { KpkgError } from '../../util/errors.js';
import { IO_PARALLELISM, mapLimit } from '../../util/pool.js';
import type { TreeFacts } from '../inspect.js';
import { rebuildHostPrograms, whyNotReplayable, type HostProgramRebuild } from './host-programs.js';
import { headersManifest, type HeadersEntry } from './manifest.js';

export type HeadersStep = 'stage' | 'rebuild' | 'verify';

export interface StageOptions {
  onStep?: (step: HeadersStep, detail: string) => void;
  onCommand?: (command: string) => void;
}

/** The headers tree, ready to package: every file's final source on disk, ELF files all the target's. */
export interface StagedHeaders {
  release: string;
  entries: HeadersEntry[];
  rebuilt: HostProgramRebuild[];
  elfCount: number;
  /** Scratch directory holding the rebuilt programs; remove with dispose(). */
  dispose: () => Promise<void>;
}

/**
 * tree → headers manifest → host programs rebuilt for the target → ELF gate.
 * Whether anything must be rebuilt is decided from ELF identities, not from CC strings: a file is
 * rebuilt when its identity is not the target's (so a native build rebuilds nothing).
 */
export async function stageHeaders(facts: TreeFacts, options: StageOptions = {}): Promise<StagedHeaders> {
  const { tree, arch } = facts;
  options.onStep?.('stage', `listing the external-module tree of ${tree.release}`);
  const manifest = await headersManifest(tree, facts.features);

  const files = manifest.entries.filter((e) => e.kind === 'file');
  const foreign = (
    await mapLimit(files, IO_PARALLELISM, async (e) => {
      const r = await readElfFile(e.source);
      return r.kind === 'elf' && !sameIdentity(identityOf(r.elf), arch.elf) ? e : undefined;
    })
  ).filter((e): e is HeadersEntry => e !== undefined);
  const replayable = foreign.filter((e) => e.origin === 'objtree' && whyNotReplayable(e.path) === undefined);

  const workDir = await mkdtemp(join(tmpdir(), 'kpkg-headers-'));
  const dispose = (): Promise<void> => rm(workDir, { recursive: true, force: true });
  try {
    options.onStep?.('rebuild', replayable.length === 0 ? 'no host programs to rebuild (native build)' : `rebuilding ${replayable.length} host programs for ${arch.debian}: ${replayable.map((e) => e.path).join(', ')}`);
    const rebuilt = await rebuildHostPrograms(
      { tree, toolchain: facts.toolchain, arch, programs: replayable.map((e) => e.path), workDir, ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }) },
      facts.build,
    );
    const outputs = new Map(await Promise.all(rebuilt.map(async (r) => [r.path, { source: r.output, size: (await stat(r.output)).size }] as const)));
    const entries = manifest.entries.map((e): HeadersEntry => {
      const output = outputs.get(e.path);
      return output === undefined ? e : { ...e, ...output, origin: 'kpkg', mode: 0o755 };
    });

    options.onStep?.('verify', `checking every ELF file is ${describeIdentity(arch.elf)}`);
    const audit = await auditElfFiles(
      entries.filter((e) => e.kind === 'file'),
      { identity: arch.elf, interpreter: arch.dynamicLoader },
    );
    if (audit.findings.length > 0) throw elfGateError(audit.findings, tree.release);
    return { release: tree.release, entries, rebuilt, elfCount: audit.elfCount, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

export function elfGateError(findings: readonly ElfFinding[], release: string): KpkgError {
  const lines = findings.map((f) => {
    const why = whyNotReplayable(f.path);
    return `  ${f.path}: ${f.problem} — ${f.found}, expected ${f.expected}${why === undefined ? '' : `\n    (${why})`}`;
  });
  return new KpkgError(`the headers of ${release} would ship ${findings.length} file(s) that cannot run on the target:\n${lines.join('\n')}`, {
    hint: 'nothing was written. Files from tools/ (objtool, resolve_btfids) and GCC plugins are not rebuilt for the target yet: disable those options or wait for that support',
  });
}
