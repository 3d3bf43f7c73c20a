import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootFailures, readConsole, taintFlags, type ConsoleLine, type ConsoleReading } from './console.js';
import type { ModuleOrigin } from './report.js';

const NONCE = '3fa9c01b77e2';
const M = `kpkg-boot-${NONCE}`;
const RELEASE = '6.1.0-kpkg';

/** Console lines, one every tenth of a second from 0.5 s on. */
function lines(text: string): ConsoleLine[] {
  return text.split('\n').map((t, i) => ({ at: Math.round(5 + i) / 10, text: t }));
}

const ORIGINS: ReadonlyMap<string, ModuleOrigin> = new Map([
  ['crc_ccitt', 'image'],
  ['kpkg_hello', 'built'],
]);

/** What the init of init-script.ts prints when the built module is refused for its CRCs. */
const REFUSED = `Booting Linux on physical CPU 0x0000000000 [0x000f0510]
Linux version 6.1.0-kpkg (kpkg@ci) #1 SMP PREEMPT
[    0.812345] Run /init as init process
${M} init
${M} uname ${RELEASE}
${M} begin modprobe crc_ccitt
${M} end modprobe crc_ccitt 0
${M} begin insmod kpkg_hello
${M} out insmod: can't insert '/kpkg/0-kpkg_hello.ko': invalid module format
${M} kernel [    1.234] kpkg_hello: disagrees about version of symbol module_layout
${M} end insmod kpkg_hello 1
${M} proc crc_ccitt 16384 0 - Live 0xffff800008f20000
${M} taint 4096
${M} begin rmmod kpkg_hello
${M} out rmmod: remove 'kpkg_hello': No such file or directory
${M} end rmmod kpkg_hello 1
${M} begin rmmod crc_ccitt
${M} end rmmod crc_ccitt 0
${M} done
reboot: Restarting system`;

test('a module the kernel refused did not load, in the kernel words without the timestamp', () => {
  const reading = readConsole(lines(REFUSED), NONCE, ORIGINS);
  assert.equal(reading.secondsToInit, 0.8);
  assert.equal(reading.uname, RELEASE);
  assert.equal(reading.finished, true);
  assert.deepEqual(reading.taint, { value: 4096, flags: 'O' });
  assert.deepEqual(reading.problems, []);
  assert.deepEqual(reading.modules, [
    { name: 'crc_ccitt', origin: 'image', loaded: true, kernelSays: [], unloaded: true },
    {
      name: 'kpkg_hello',
      origin: 'built',
      loaded: false,
      kernelSays: [
        "insmod: can't insert '/kpkg/0-kpkg_hello.ko': invalid module format",
        'kpkg_hello: disagrees about version of symbol module_layout',
      ],
      unloaded: false,
    },
  ]);
  assert.deepEqual(bootFailures(reading, RELEASE, { timedOut: false, seconds: 3.1 }), [
    "kpkg_hello (built against the headers) did not load: insmod: can't insert '/kpkg/0-kpkg_hello.ko': invalid module format / kpkg_hello: disagrees about version of symbol module_layout",
  ]);
});

test('a load that exits 0 is loaded only when /proc/modules lists the module too', () => {
  const transcript = `${M} init
${M} uname ${RELEASE}
${M} begin insmod kpkg_hello
${M} end insmod kpkg_hello 0
${M} proc kpkg_hello 16384 0 - Live 0xffff800008f20000 (OE)
${M} proc kpkg_hellox 16384 0 - Live 0xffff800008f30000
${M} done`;
  const one = new Map<string, ModuleOrigin>([['kpkg_hello', 'built']]);
  assert.equal(readConsole(lines(transcript), NONCE, one).modules[0]?.loaded, true);
  const notListed = transcript.replace(`${M} proc kpkg_hello 16384`, `${M} proc other 16384`);
  const reading = readConsole(lines(notListed), NONCE, one);
  assert.equal(reading.modules[0]?.loaded, false);
  assert.deepEqual(bootFailures(reading, RELEASE, { timedOut: false, seconds: 2 }), [
    'kpkg_hello (built against the headers) did not load: no word from the kernel',
  ]);
  // Never tried at all: not loaded either.
  const never = readConsole(lines(`${M} init\n${M} uname ${RELEASE}\n${M} done`), NONCE, one);
  assert.deepEqual(never.modules, [{ name: 'kpkg_hello', origin: 'built', loaded: false, kernelSays: [] }]);
});

test('a full good run passes', () => {
  const transcript = `${M} init
${M} uname ${RELEASE}
${M} begin modprobe crc_ccitt
${M} end modprobe crc_ccitt 0
${M} begin insmod kpkg_hello
${M} kernel [    1.500000] kpkg_hello: loading out-of-tree module taints kernel.
${M} kernel [    1.500100] kpkg_hello: hello
${M} end insmod kpkg_hello 0
${M} proc kpkg_hello 16384 0 - Live 0xffff800008f28000 (O)
${M} proc crc_ccitt 16384 0 - Live 0xffff800008f20000
${M} taint 4096
${M} done`;
  const reading = readConsole(lines(transcript), NONCE, ORIGINS);
  assert.deepEqual(
    reading.modules.map((m) => [m.name, m.loaded, m.unloaded]),
    [
      ['crc_ccitt', true, undefined],
      ['kpkg_hello', true, undefined],
    ],
  );
  assert.deepEqual(reading.modules[1]?.kernelSays, [
    'kpkg_hello: loading out-of-tree module taints kernel.',
    'kpkg_hello: hello',
  ]);
  assert.deepEqual(bootFailures(reading, RELEASE, { timedOut: false, seconds: 2 }), []);
});

test('report lines with another nonce are ignored: a spoofed done does not finish the run', () => {
  const spoof = `${M} init
${M} uname ${RELEASE}
${M} begin insmod kpkg_hello
kpkg-boot-ffffff done
kpkg-boot-ffffff end insmod kpkg_hello 0
kpkg-boot-ffffff proc kpkg_hello 16384 0 - Live 0x0
kpkg-boot-ffffff uname ${RELEASE}-spoofed
kpkg-boot-${NONCE}x done
kpkg-boot- done
[    1.7] ${M} done`;
  const one = new Map<string, ModuleOrigin>([['kpkg_hello', 'built']]);
  const reading = readConsole(lines(spoof), NONCE, one);
  assert.equal(reading.finished, false);
  assert.equal(reading.uname, RELEASE);
  assert.deepEqual(reading.operations, []);
  assert.equal(reading.modules[0]?.loaded, false);
  assert.deepEqual(bootFailures(reading, RELEASE, { timedOut: true, seconds: 300 }), [
    'kpkg_hello (built against the headers) did not load: no word from the kernel',
    'the init did not finish within 300 s (qemu killed)',
  ]);
});

test('Oops, BUG, WARNING and panic lines are problems, marked or not', () => {
  const transcript = `${M} init
${M} uname ${RELEASE}
[    2.000000] WARNING: CPU: 0 PID: 1 at kernel/module/main.c:1234 load_module+0x1c/0x20
${M} kernel [    2.000000] WARNING: CPU: 0 PID: 1 at kernel/module/main.c:1234 load_module+0x1c/0x20
[    2.100000] BUG: unable to handle page fault for address: 0000000000001234
[    2.2] Internal error: Oops: 0000000096000004 [#1] SMP
Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b
[    2.3] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
[    2.4] kernel BUG at mm/slub.c:42!
[    2.5] general protection fault, probably for non-canonical address
just a line about WARNINGS and BUGS and debugging
${M} done`;
  const reading = readConsole(lines(transcript), NONCE, new Map());
  // The WARNING the console showed and the init replayed from dmesg is one problem.
  assert.deepEqual(reading.problems, [
    'WARNING: CPU: 0 PID: 1 at kernel/module/main.c:1234 load_module+0x1c/0x20',
    'BUG: unable to handle page fault for address: 0000000000001234',
    'Internal error: Oops: 0000000096000004 [#1] SMP',
    'Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b',
    'Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008',
    'kernel BUG at mm/slub.c:42!',
    'general protection fault, probably for non-canonical address',
  ]);
  const failures = bootFailures(reading, RELEASE, { timedOut: false, seconds: 3 });
  assert.equal(failures.length, 7);
  assert.equal(
    failures[3],
    'the kernel reported: Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b',
  );
  // A problem is a failure even when the init finished and everything loaded.
  assert.equal(reading.finished, true);
});

test('CR LF line endings read the same as LF', () => {
  const crlf = lines(REFUSED).map((l) => ({ at: l.at, text: `${l.text}\r` }));
  const reading = readConsole(crlf, NONCE, ORIGINS);
  assert.deepEqual(reading, readConsole(lines(REFUSED), NONCE, ORIGINS));
  assert.equal(reading.uname, RELEASE);
  assert.equal(reading.finished, true);
});

test("s390's SCLP console, a carriage return before each line, reads the same", () => {
  const sclp = lines(REFUSED).map((l) => ({ at: l.at, text: `\r${l.text}\r` }));
  assert.deepEqual(readConsole(sclp, NONCE, ORIGINS), readConsole(lines(REFUSED), NONCE, ORIGINS));
  assert.equal(readConsole(sclp, NONCE, ORIGINS).secondsToInit, 0.8);
});

test('taintFlags spells the bits in the kernel letters', () => {
  assert.equal(taintFlags(0), '');
  assert.equal(taintFlags(4096), 'O');
  assert.equal(taintFlags(8192), 'E');
  assert.equal(taintFlags(12288), 'OE');
  assert.equal(taintFlags(1), 'P');
  assert.equal(taintFlags(512), 'W');
  assert.equal(taintFlags(1 | 512 | 4096), 'PWO');
});

function reading(over: Partial<ConsoleReading>): ConsoleReading {
  return {
    secondsToInit: 1,
    uname: RELEASE,
    modules: [],
    problems: [],
    finished: true,
    operations: [],
    ...over,
  };
}

test('bootFailures: no init, after a timeout or after qemu ended', () => {
  const none = reading({ secondsToInit: undefined, uname: undefined, finished: false });
  assert.deepEqual(bootFailures(none, RELEASE, { timedOut: true, seconds: 300 }), [
    'the kernel did not reach /init within 300 s (qemu killed)',
  ]);
  assert.deepEqual(bootFailures(none, RELEASE, { timedOut: false, seconds: 4 }), [
    'qemu ended before the kernel reached /init',
  ]);
});

test('bootFailures: uname of another release', () => {
  assert.deepEqual(bootFailures(reading({ uname: '6.1.0-other' }), RELEASE, { timedOut: false, seconds: 2 }), [
    `uname -r printed '6.1.0-other', not the packaged release ${RELEASE}`,
  ]);
  assert.deepEqual(bootFailures(reading({}), RELEASE, { timedOut: false, seconds: 2 }), []);
});

test('bootFailures: a refused image module, and a module that did not unload', () => {
  const r = reading({
    modules: [
      { name: 'crc_ccitt', origin: 'image', loaded: false, kernelSays: ['modprobe: module crc_ccitt not found'] },
      { name: 'kpkg_hello', origin: 'built', loaded: true, kernelSays: [], unloaded: false },
      { name: 'kpkg_other', origin: 'built', loaded: true, kernelSays: [], unloaded: true },
    ],
    operations: [
      {
        kind: 'rmmod',
        name: 'kpkg_hello',
        exitCode: 1,
        said: ["rmmod: remove 'kpkg_hello': Resource temporarily unavailable"],
      },
    ],
  });
  assert.deepEqual(bootFailures(r, RELEASE, { timedOut: false, seconds: 2 }), [
    "crc_ccitt (the image's own) did not load: modprobe: module crc_ccitt not found",
    "kpkg_hello did not unload: rmmod: remove 'kpkg_hello': Resource temporarily unavailable",
  ]);
});

test('bootFailures: an unload that failed without a word', () => {
  const r = reading({
    modules: [{ name: 'kpkg_hello', origin: 'built', loaded: true, kernelSays: [], unloaded: false }],
  });
  assert.deepEqual(bootFailures(r, RELEASE, { timedOut: false, seconds: 2 }), [
    'kpkg_hello did not unload: no word from the kernel',
  ]);
});

test('bootFailures: problems, and an init that did not finish', () => {
  const r = reading({ problems: ['Kernel panic - not syncing: Fatal exception'], finished: false });
  assert.deepEqual(bootFailures(r, RELEASE, { timedOut: false, seconds: 2 }), [
    'the kernel reported: Kernel panic - not syncing: Fatal exception',
    'the init did not finish',
  ]);
  assert.deepEqual(bootFailures(reading({ finished: false }), RELEASE, { timedOut: true, seconds: 60 }), [
    'the init did not finish within 60 s (qemu killed)',
  ]);
});
