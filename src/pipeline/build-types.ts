/** The options and result of a packaging run (build-packages.ts), and the steps it reports. */
import type { CompressionKind } from '../archive/compress.js';
import type { WrittenArtifact } from '../formats/packager.js';
import type { HeadersStep } from '../kernel/headers/stage.js';
import type { MakeVars } from '../kernel/make-vars.js';
import type { PackageSetOptions } from '../layouts/package-set.js';
import type { TargetLibraryChoice } from '../sysroot/target-libraries.js';

export type BuildStep = HeadersStep | 'plan' | 'lock' | 'modules' | 'dtbs' | 'uapi' | 'debug' | 'depends' | 'write';

export interface BuildOptions<Kind extends string> extends PackageSetOptions, TargetLibraryChoice {
  buildDir: string;
  sourceDir?: string | undefined;
  vars: MakeVars;
  out: string;
  /** The packages to write; undefined: every package that applies to the tree. */
  only?: readonly Kind[] | undefined;
  compression?: CompressionKind | undefined;
  level?: number | undefined;
  /** INSTALL_MOD_STRIP for modules_install: '' does not strip; default '1' (--strip-debug). */
  moduleStrip?: string | undefined;
  /** Use and fill kpkg's build cache (default: yes). */
  cache?: boolean | undefined;
  /** How many compilers, make jobs and package writers run at once (default: the cores). */
  jobs?: number | undefined;
  onStep?: (step: BuildStep, detail: string) => void;
  onCommand?: (command: string) => void;
}

export interface WrittenPackage<Kind extends string> extends WrittenArtifact {
  kind: Kind;
  name: string;
  version: string;
}

export interface BuildResult<Kind extends string> {
  release: string;
  arch: string;
  format: string;
  packages: WrittenPackage<Kind>[];
  /** Host programs of the headers package rebuilt for the target (empty without it). */
  rebuilt: { path: string; was: string }[];
  /** ELF files of the headers package checked (0 without it). */
  elfCount: number;
  /** Where the target libraries of the rebuilt host programs came from (with a headers package that rebuilt any). */
  targetLibraries?: string | undefined;
  /** The headers package's run-time relations, as its layout wrote them ("libc6 (>= 2.34)"). */
  depends: string[];
  /** The gcc build the GCC plugins load into (with plugins). */
  pluginCompiler?: string | undefined;
  /** What could not be resolved exactly, e.g. a soname no target package data declares. */
  warnings: string[];
  /** Files written beside the packages (deb: the upload's .buildinfo and .changes), final paths. */
  setFiles: string[];
}
