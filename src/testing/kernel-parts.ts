/**
 * Test helper (not used by kpkg itself): the staged parts of an arm64 kernel, described but never
 * written to disk — for unit tests of layouts, which only read their paths, modes and sizes.
 */
import type { StagedHeaders } from '../kernel/headers/stage.js';
import type { StagedItem } from '../kernel/install/staged-tree.js';
import type { ImageContents, KernelParts } from '../kernel/parts.js';

/** A staged item at `path` (relative), from /stage/<path>: a 0755 directory or a 0644 file of 10 bytes. */
export function stagedItem(path: string, kind: StagedItem['kind'] = 'file'): StagedItem {
  return { path, kind, source: `/stage/${path}`, mode: kind === 'dir' ? 0o755 : 0o644, size: 10 };
}

/**
 * The image of `release` as modules_install and dtbs_install stage it: lib/modules/<release> with
 * its parents and `moduleFiles` (relative to it), and arm/juno.dtb.
 */
export function testImageContents(release: string, moduleFiles: readonly string[]): ImageContents {
  const modulesDir = `lib/modules/${release}`;
  return {
    release,
    bootImage: { source: '/b/arch/arm64/boot/Image.gz', size: 1000, bootName: `vmlinuz-${release}` },
    systemMap: { source: '/b/System.map', size: 100 },
    config: { source: '/b/.config', size: 50 },
    modules: [
      stagedItem('lib', 'dir'),
      stagedItem('lib/modules', 'dir'),
      stagedItem(modulesDir, 'dir'),
      ...moduleFiles.map((file) => stagedItem(`${modulesDir}/${file}`)),
    ],
    dtbs: [stagedItem('arm', 'dir'), stagedItem('arm/juno.dtb')],
    initrd: true,
  };
}

/** A headers tree of `release` holding `entries`, with nothing rebuilt and no runtime needs. */
export function testStagedHeaders(
  release: string,
  entries: StagedHeaders['entries'],
  fields: Partial<StagedHeaders> = {},
): StagedHeaders {
  return {
    release,
    entries,
    rebuilt: [],
    elfCount: 0,
    libraries: undefined,
    needs: { libraries: [], files: [] },
    dispose: () => Promise.resolve(),
    ...fields,
  };
}

/** The parts of a run with `image`, its System.map and .config beside it, /b/vmlinux, and `fields`. */
export function testKernelParts(image: ImageContents, fields: Partial<KernelParts> = {}): KernelParts {
  return {
    image,
    systemMap: image.systemMap,
    config: image.config,
    vmlinux: { source: '/b/vmlinux', size: 5000 },
    ...fields,
  };
}
