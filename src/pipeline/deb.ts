import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CompressionKind } from '../archive/compress.js';
import { writeDeb, type WrittenArtifact } from '../formats/deb/write-deb.js';
import { readTreeFacts } from '../kernel/inspect.js';
import { stageHeaders, type HeadersStep } from '../kernel/headers/stage.js';
import type { MakeVars } from '../kernel/make-vars.js';
import { packageSet, type PackageSetOptions } from '../kernel/packages/common.js';
import { headersPackage } from '../kernel/packages/headers.js';
import { KpkgError } from '../util/errors.js';

export const DEB_PACKAGE_KINDS = ['headers'] as const;
export type DebPackageKind = (typeof DEB_PACKAGE_KINDS)[number];

export interface DebBuildOptions extends PackageSetOptions {
  buildDir: string;
  sourceDir?: string | undefined;
  vars: MakeVars;
  out: string;
  only: readonly DebPackageKind[];
  compression: CompressionKind;
  level?: number | undefined;
  onStep?: (step: HeadersStep | 'write', detail: string) => void;
  onCommand?: (command: string) => void;
}

export interface DebBuildResult {
  release: string;
  arch: string;
  packages: (WrittenArtifact & { name: string; version: string })[];
  rebuilt: { path: string; was: string }[];
  elfCount: number;
}

/** The Debian file name dpkg-name would give: <name>_<version without epoch>_<arch>.deb. */
export function debFileName(name: string, version: string, arch: string): string {
  return `${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`;
}

export function parseOnly(list: string): DebPackageKind[] {
  const kinds = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const k of kinds) {
    if (!(DEB_PACKAGE_KINDS as readonly string[]).includes(k)) {
      throw new KpkgError(`unknown or not yet supported package "${k}" in --only`, { hint: `this version of kpkg writes: ${DEB_PACKAGE_KINDS.join(', ')}`, exitCode: 2 });
    }
  }
  return kinds as DebPackageKind[];
}

/** tree → staged headers → package description → .deb, for each requested package. */
export async function buildDebs(options: DebBuildOptions): Promise<DebBuildResult> {
  const facts = await readTreeFacts({ buildDir: options.buildDir, sourceDir: options.sourceDir, vars: options.vars });
  const set = await packageSet(facts.tree, options);
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const staged = await stageHeaders(facts, {
    ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
    ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }),
  });
  try {
    const pkg = headersPackage(staged, facts.arch, set);
    const path = join(out, debFileName(pkg.name, pkg.version, pkg.arch));
    options.onStep?.('write', `${path} (${options.compression})`);
    const written = await writeDeb(pkg, path, { compression: options.compression, ...(options.level === undefined ? {} : { level: options.level }) });
    return {
      release: facts.tree.release,
      arch: facts.arch.debian,
      packages: [{ ...written, name: pkg.name, version: pkg.version }],
      rebuilt: staged.rebuilt.map((r) => ({ path: r.path, was: r.was })),
      elfCount: staged.elfCount,
    };
  } finally {
    await staged.dispose();
  }
}
