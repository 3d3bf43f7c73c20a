/**
 * The kernel package's scriptlets, doing what kernel.spec's %post and %preun do (written anew):
 * hand the kernel to systemd's kernel-install when there is one; keep /boot copies of the image,
 * System.map, config and device trees in step with /lib/modules/<release>; run depmod when
 * modules.dep is missing (the package ships no depmod output).
 */
import type { MaintainerScript } from '../../package/model.js';

export function kernelScriptlets(release: string): Partial<Record<MaintainerScript, string>> {
  const dir = `/lib/modules/${release}`;
  const postinst = `#!/bin/sh
# %post of kernel ${release}, written by kpkg.
if [ -x /usr/bin/kernel-install ]; then
	/usr/bin/kernel-install add ${release} ${dir}/vmlinuz
fi
for name in vmlinuz System.map config; do
	cmp -s "${dir}/$name" "/boot/$name-${release}" || cp "${dir}/$name" "/boot/$name-${release}"
done
if [ -d ${dir}/dtb ] && ! diff -rq ${dir}/dtb /boot/dtb-${release} >/dev/null 2>&1; then
	rm -rf /boot/dtb-${release}
	cp -r ${dir}/dtb /boot/dtb-${release}
fi
if [ ! -e ${dir}/modules.dep ]; then
	/usr/sbin/depmod ${release}
fi
`;
  const prerm = `#!/bin/sh
# %preun of kernel ${release}, written by kpkg.
if [ -x /usr/bin/kernel-install ]; then
	kernel-install remove ${release}
fi
`;
  return { postinst, prerm };
}
