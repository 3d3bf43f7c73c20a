/**
 * The steps that make the target: qemu-user registered for its architecture (binfmt), then its
 * Debian rootfs, built once per package set with mmdebstrap, cached, and unpacked afresh for
 * each run as the sandbox's root (../rootfs.ts, ../sandbox/).
 */
import { ensureBinfmt } from '../binfmt.js';
import { aptSpec } from '../dkms.js';
import { ensureRootfsTarball, type EnsureRootfsOptions, type RootfsSpec, type RootfsTarball } from '../rootfs.js';
import { smokeRootfsSpec, type SmokeRootfsInput } from '../smoke-rootfs-spec.js';
import { done, type SmokeInput, type Step, type StepContext, type StepOutcome } from './step.js';

/** The binfmt step with qemu-user registered for an architecture by `register`; unit tests pass their own. */
export function binfmtStepWith(register: (debianArch: string) => Promise<unknown>): Step<'binfmt'> {
  return {
    name: 'binfmt',
    async run({ input }) {
      await register(input.debianArch);
      return done();
    },
  };
}

export const binfmtStep = binfmtStepWith((debianArch) => ensureBinfmt(debianArch));

/** How the rootfs step gets its rootfs tarball; unit tests pass their own. (The run unpacks it: StepContext.unpackRootfs.) */
export interface RootfsMaker {
  spec(input: SmokeRootfsInput): Promise<RootfsSpec>;
  ensureTarball(spec: RootfsSpec, options: EnsureRootfsOptions): Promise<RootfsTarball>;
}

/** mmdebstrap's tarball, cached in input.cacheDir. */
export const MMDEBSTRAP_ROOTFS: RootfsMaker = {
  spec: smokeRootfsSpec,
  ensureTarball: ensureRootfsTarball,
};

/**
 * The Debian packages the run asks for on top of the installer's: the extra ones, and dkms with the
 * DKMS packages. (The static busybox the boot's initramfs is made of is in every rootfs: BASE_PACKAGES.)
 */
export function requestedPackages(input: SmokeInput): string[] {
  const dkms = input.dkms ?? [];
  return [...(input.extraPackages ?? []), ...(dkms.length === 0 ? [] : ['dkms', ...dkms.map(aptSpec)])];
}

async function makeRootfs(context: StepContext, maker: RootfsMaker): Promise<StepOutcome> {
  const { input, onLine } = context;
  const spec = await maker.spec({ ...input, extraPackages: requestedPackages(input) });
  const tarball = await maker.ensureTarball(spec, {
    refresh: input.refreshRootfs ?? false,
    ...(onLine === undefined ? {} : { onLine }),
  });
  context.note(`${tarball.built ? 'built' : 'reused'} ${tarball.path}`);
  const rootfs = await context.unpackRootfs(tarball.path, input.workDir);
  return done({ rootfs, target: context.enterRootfs(rootfs.dir) });
}

/** The rootfs step with its rootfs made by `maker`. */
export function rootfsStepWith(maker: RootfsMaker): Step<'rootfs'> {
  return { name: 'rootfs', run: (context) => makeRootfs(context, maker) };
}

export const rootfsStep = rootfsStepWith(MMDEBSTRAP_ROOTFS);
