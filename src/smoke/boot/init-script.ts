/**
 * The /init of the initramfs `kpkg smoke --boot` writes: a busybox sh script that mounts what it
 * needs, says what `uname -r` is, modprobes the image's own modules (with the indexes the image
 * package shipped), insmods every module built against the headers (after modprobing what its
 * modinfo says it depends on), lists /proc/modules and the taint, unloads what it loaded and
 * reboots (with qemu's -no-reboot that ends qemu on every machine; busybox poweroff only halts an
 * i386 without ACPI).
 *
 * Every line it writes starts with a marker holding a nonce of the run, so that nothing a module or
 * the kernel prints can pass for a report line (console.ts reads them).
 */

/** A module the init loads. */
export interface InitModule {
  /** Its name as the kernel knows it (crc_ccitt, kpkg_hello). */
  name: string;
  /** modprobe <name> (the image's own modules), or insmod <path> (built against the headers). */
  load: { with: 'modprobe' } | { with: 'insmod'; path: string };
}

export interface InitScriptInput {
  /** The marker's nonce: letters and digits. */
  nonce: string;
  modules: readonly InitModule[];
  /** Unload what was loaded (the kernel has MODULE_UNLOAD). */
  unload: boolean;
}

/** The marker every report line starts with. */
export function marker(nonce: string): string {
  if (!/^[A-Za-z0-9]+$/.test(nonce)) throw new Error(`internal: boot marker nonce '${nonce}' is not alphanumeric`);
  return `kpkg-boot-${nonce}`;
}

/** A word for the script: module names and initramfs paths are kpkg's own, checked here all the same. */
function word(value: string): string {
  if (!/^[A-Za-z0-9_./+-]+$/.test(value)) throw new Error(`internal: '${value}' cannot go into the boot init`);
  return value;
}

function loadLines(module: InitModule): string {
  if (module.load.with === 'modprobe') return `run modprobe ${word(module.name)} modprobe ${word(module.name)}`;
  const path = word(module.load.path);
  // What the module needs from the image is loaded first, the way modprobe would.
  return [
    `for dep in $(modinfo -F depends ${path} | tr , ' '); do modprobe "$dep"; done`,
    `run insmod ${word(module.name)} insmod ${path}`,
  ].join('\n');
}

export function initScript(input: InitScriptInput): string {
  const m = marker(input.nonce);
  const unloads = input.unload
    ? [...input.modules].reverse().map((module) => `run rmmod ${word(module.name)} rmmod ${word(module.name)}`)
    : [];
  return `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
# busybox --install finds itself through /proc/self/exe.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
[ -c /dev/console ] && exec 0</dev/console 1>/dev/console 2>&1
M=${m}
say() { echo "$M $*"; }
# run KIND NAME COMMAND...: the command's output and what the kernel logged meanwhile, then its exit code.
run() {
  kind=$1 name=$2; shift 2
  say begin "$kind" "$name"
  "$@" >/tmp/out 2>&1; rc=$?
  sed "s/^/$M out /" /tmp/out
  dmesg -c | sed "s/^/$M kernel /"
  say end "$kind" "$name" "$rc"
}
say init
say uname "$(uname -r)"
dmesg -c >/dev/null
${input.modules.map(loadLines).join('\n')}
sed "s/^/$M proc /" /proc/modules
say taint "$(cat /proc/sys/kernel/tainted)"
${unloads.join('\n')}
say done
sync
reboot -f
`;
}
