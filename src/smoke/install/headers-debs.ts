import { execa } from 'execa';
import { kernelCompiler, releaseVersion, type KernelCompiler } from '../../kernel/compiler.js';
import { parseKconfig } from '../../kernel/kconfig.js';
import { KpkgError } from '../../util/errors.js';
import { showDebFields } from './deb-depends.js';
import type { HeadersFacts } from './installer.js';

/** Release from the linux-headers-<release> package name, arch from its Architecture field. */
export type HeadersDebsFacts = HeadersFacts;

/** The shipped include/config/auto.conf, if this package has one. */
async function shippedAutoConf(deb: string): Promise<string | undefined> {
  const list = await execa('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -t', 'sh', deb], { reject: false });
  const member = list.stdout.split('\n').find((p) => /^\.\/usr\/src\/[^/]+\/include\/config\/auto\.conf$/.test(p));
  if (member === undefined) return undefined;
  const r = await execa('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -xO "$2"', 'sh', deb, member], {
    reject: false,
  });
  return r.exitCode === 0 ? r.stdout : undefined;
}

/**
 * Reads release and architecture from the linux-headers-<release> package among `debs` (Debian's
 * split packages have one such package per flavour; -common and linux-kbuild come with it).
 */
export async function headersDebsFacts(debs: readonly string[]): Promise<HeadersDebsFacts> {
  const controls = await Promise.all(
    debs.map(async (deb) => ({ deb, fields: (await showDebFields(deb, '${Package}\\t${Architecture}')).split('\t') })),
  );
  const headers = controls.filter(
    (c) =>
      (c.fields[0] ?? '').startsWith('linux-headers-') &&
      c.fields[1] !== 'all' &&
      !(c.fields[0] ?? '').endsWith('-common'),
  );
  const main = headers[0];
  if (main === undefined || headers.length > 1) {
    throw new KpkgError(
      headers.length > 1
        ? `more than one linux-headers package given: ${headers.map((h) => h.fields[0]).join(', ')}`
        : 'no architecture-specific linux-headers-<release> package among the files given',
      {
        hint: 'pass the headers package of one kernel (plus its -common / linux-kbuild packages), or give --release and --arch',
        exitCode: 2,
      },
    );
  }
  const release = (main.fields[0] ?? '').slice('linux-headers-'.length);
  let compiler: KernelCompiler | undefined;
  for (const { deb } of controls) {
    const conf = await shippedAutoConf(deb);
    compiler ??= conf === undefined ? undefined : kernelCompiler(parseKconfig(conf), releaseVersion(release));
  }
  return { release, debianArch: main.fields[1] ?? '', compiler };
}
