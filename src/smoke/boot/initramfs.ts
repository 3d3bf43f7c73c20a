/**
 * The initramfs `kpkg smoke --boot` boots with, written with kpkg's own newc cpio writer
 * (uncompressed, so the kernel needs no RD_* decompressor): the target's static busybox (Debian's
 * busybox-static, installed in the rootfs), the init (init-script.ts), the image package's
 * /lib/modules/<release> indexes with the modules the init loads and what they need, and the
 * modules built against the headers under /kpkg.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { cpioStream, type CpioWriteEntry } from '../../archive/cpio.js';
import { resolveInRoot } from '../path-in-root.js';
import { type InitModule } from './init-script.js';
import { moduleName, parseModulesDep, withDependencies, type ModulesDep } from './modules-dep.js';

/** How many of the image's own modules the init modprobes (a distribution kernel has thousands). */
export const IMAGE_MODULES_LIMIT = 8;

/**
 * Image modules worth loading on any machine come first: libraries, crypto and filesystems load
 * without hardware, where a driver may refuse a machine that lacks its device.
 */
const HARDWARE_FREE = /^kernel\/(lib|crypto|fs)\//;

/** The image modules the init modprobes: up to IMAGE_MODULES_LIMIT, hardware-free ones first, each by path. */
export function imageModulesToLoad(deps: ModulesDep): string[] {
  const paths = [...deps.keys()].sort();
  const preferred = [...paths.filter((p) => HARDWARE_FREE.test(p)), ...paths.filter((p) => !HARDWARE_FREE.test(p))];
  return preferred.slice(0, IMAGE_MODULES_LIMIT);
}

export interface InitramfsPlan {
  /** The rootfs: every file is read as a path in it (its symlinks followed inside it, never on this machine). */
  root: string;
  /** Host path of the rootfs's static busybox. */
  busybox: string;
  /** Host path of /lib/modules/<release> in the rootfs. */
  modulesDir: string;
  release: string;
  /** Paths (relative to modulesDir) of the image modules to put in: those loaded and what they need. */
  imageModulePaths: string[];
  /** Index files of the modules directory (modules.dep, modules.alias …), relative to it. */
  indexFiles: string[];
  /** The built modules: host path and name. */
  builtModules: { host: string; name: string }[];
  /** What the init loads, in order. */
  loads: InitModule[];
}

/** Where the init finds the built modules in the initramfs. */
export const BUILT_MODULES_DIR = 'kpkg';

/** A modules.dep file (a host path), parsed; empty when there is none. */
export async function readModulesDep(modulesDepFile: string): Promise<ModulesDep> {
  try {
    return parseModulesDep(await readFile(modulesDepFile, 'utf8'));
  } catch {
    return new Map();
  }
}

/** The paths of modules.dep whose module names are `names` (a built module's `depends`). */
export function pathsOfNames(deps: ModulesDep, names: readonly string[]): string[] {
  const wanted = new Set(names.map((n) => n.replaceAll('-', '_')));
  return [...deps.keys()].filter((path) => wanted.has(moduleName(path)));
}

export async function planInitramfs(input: {
  root: string;
  release: string;
  /** Built modules as paths in the rootfs, each with the names its modinfo `depends` lists. */
  built: readonly { path: string; depends: readonly string[] }[];
}): Promise<InitramfsPlan> {
  const busybox = await resolveInRoot(input.root, '/bin/busybox');
  const modulesDir = await resolveInRoot(input.root, `/lib/modules/${input.release}`);
  const deps = await readModulesDep(await resolveInRoot(input.root, `/lib/modules/${input.release}/modules.dep`));
  const toLoad = imageModulesToLoad(deps);
  const needed = withDependencies(deps, [
    ...toLoad,
    ...pathsOfNames(
      deps,
      input.built.flatMap((b) => b.depends),
    ),
  ]);
  const top = await readdir(modulesDir, { withFileTypes: true }).catch(() => []);
  const indexFiles = top
    .filter((e) => e.isFile() && e.name.startsWith('modules.'))
    .map((e) => e.name)
    .sort();
  const builtModules = await Promise.all(
    input.built.map(async (b) => ({ host: await resolveInRoot(input.root, b.path), name: moduleName(b.path) })),
  );
  const loads: InitModule[] = [
    ...toLoad.map((path): InitModule => ({ name: moduleName(path), load: { with: 'modprobe' } })),
    ...builtModules.map((b, i): InitModule => ({
      name: b.name,
      load: { with: 'insmod', path: `/${BUILT_MODULES_DIR}/${i}-${b.name}.ko` },
    })),
  ];
  return {
    root: input.root,
    busybox,
    modulesDir,
    release: input.release,
    imageModulePaths: needed,
    indexFiles,
    builtModules,
    loads,
  };
}

/** Every directory that `paths` (relative, '/'-separated) need, parents first. */
function directoriesOf(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); dir !== '.' && dir !== '/'; dir = dirname(dir)) dirs.add(dir);
  }
  return [...dirs].sort();
}

async function diskFile(name: string, host: string, mode: number, ino: number): Promise<CpioWriteEntry> {
  const { size } = await stat(host);
  return { type: 'file', name, mode, ino, mtime: 0, size, content: { from: 'disk', path: host } };
}

/** Writes the initramfs of `plan` with `init` as /init to `out`; its size in bytes. */
export async function writeInitramfs(plan: InitramfsPlan, init: string, out: string): Promise<number> {
  const moduleRoot = `lib/modules/${plan.release}`;
  const inRoot = async (name: string): Promise<{ name: string; host: string }> => ({
    name,
    host: await resolveInRoot(plan.root, `/${name}`),
  });
  const files: { name: string; host: string }[] = [
    { name: 'bin/busybox', host: plan.busybox },
    ...(await Promise.all(plan.indexFiles.map((f) => inRoot(`${moduleRoot}/${f}`)))),
    ...(await Promise.all(plan.imageModulePaths.map((p) => inRoot(`${moduleRoot}/${p}`)))),
    ...plan.builtModules.map((b, i) => ({ name: `${BUILT_MODULES_DIR}/${i}-${b.name}.ko`, host: b.host })),
  ];
  const dirs = directoriesOf([
    ...files.map((f) => f.name),
    'dev/x',
    'proc/x',
    'sys/x',
    'tmp/x',
    'sbin/x',
    'usr/bin/x',
    'usr/sbin/x',
  ]);
  let ino = 1;
  const entries: CpioWriteEntry[] = dirs.map((name) => ({ type: 'dir', name, mode: 0o755, ino: ino++, mtime: 0 }));
  const initBytes = Buffer.from(init, 'utf8');
  entries.push({
    type: 'file',
    name: 'init',
    mode: 0o755,
    ino: ino++,
    mtime: 0,
    size: initBytes.length,
    content: { from: 'bytes', data: initBytes },
  });
  for (const file of files)
    entries.push(await diskFile(file.name, file.host, file.name === 'bin/busybox' ? 0o755 : 0o644, ino++));
  await pipeline(cpioStream(entries), createWriteStream(out));
  return (await stat(out)).size;
}
