/**
 * The headers' run-time needs as RPM requires, the way rpm's own dependency generator (elfdeps)
 * writes them for an ELF file: one "soname()(64bit)" per DT_NEEDED and one
 * "soname(VERSION)(64bit)" per version node used from it; 32-bit files have no "(64bit)" mark.
 * The target's libraries provide exactly these names, whatever the package is called there.
 */
import type { RuntimeNeeds } from '../../elf/needs.js';
import type { PackageRelation } from '../../package/model.js';

export function rpmRequires(needs: RuntimeNeeds): PackageRelation[] {
  const mark = needs.elfClass === 64 ? '(64bit)' : '';
  return needs.libraries.flatMap((library) => {
    const versions = [...new Set(library.imports.flatMap((i) => (i.version === undefined ? [] : [i.version])))].sort();
    return [`${library.soname}()${mark}`, ...versions.map((v) => `${library.soname}(${v})${mark}`)].map((name) => ({
      name,
    }));
  });
}
