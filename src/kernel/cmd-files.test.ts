import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import {
  cmdFileOf,
  commandFromCmdFile,
  dependenciesFromCmdFile,
  expandMakeEscapes,
  firstCommandFromCmdFile,
  programWords,
  recordedCommand,
} from './cmd-files.js';

/** What scripts/basic/fixdep prints after the record: the sources and the dependencies. */
const DEPS = (target: string, source: string): string =>
  `\nsource_${target} := ${source}\n\ndeps_${target} := \\\n  /usr/include/stdc-predef.h \\\n  $(wildcard include/config/FOO) \\\n\n${target}: $(deps_${target})\n\n$(deps_${target}):\n`;

test('5.10 and 6.1 write cmd_<target>, fixdep records carry the dependencies after it', () => {
  const v510 = `cmd_scripts/basic/fixdep := gcc -Wp,-MMD,scripts/basic/.fixdep.d -Wall -Wmissing-prototypes -Wstrict-prototypes -O2 -fomit-frame-pointer -std=gnu89      -I ./scripts/basic   -o scripts/basic/fixdep scripts/basic/fixdep.c   \n${DEPS('scripts/basic/fixdep', 'scripts/basic/fixdep.c')}`;
  assert.deepEqual(commandFromCmdFile(v510), [
    'gcc',
    '-Wp,-MMD,scripts/basic/.fixdep.d',
    '-Wall',
    '-Wmissing-prototypes',
    '-Wstrict-prototypes',
    '-O2',
    '-fomit-frame-pointer',
    '-std=gnu89',
    '-I',
    './scripts/basic',
    '-o',
    'scripts/basic/fixdep',
    'scripts/basic/fixdep.c',
  ]);
  const v61 =
    'cmd_scripts/mod/modpost := gcc   -o scripts/mod/modpost scripts/mod/modpost.o scripts/mod/file2alias.o scripts/mod/sumversion.o   \n';
  assert.deepEqual(commandFromCmdFile(v61), [
    'gcc',
    '-o',
    'scripts/mod/modpost',
    'scripts/mod/modpost.o',
    'scripts/mod/file2alias.o',
    'scripts/mod/sumversion.o',
  ]);
});

test("6.12 writes savedcmd_<target>; single quotes around a define are the shell's", () => {
  const plugin = `savedcmd_scripts/gcc-plugins/latent_entropy_plugin.so := g++ -Wp,-MMD,scripts/gcc-plugins/.latent_entropy_plugin.so.d -Wall -O2   -I /src/scripts/include -fPIC -include /src/include/linux/compiler-version.h -DPLUGIN_VERSION='"6.12.95"' -I /usr/lib/gcc-cross/aarch64-linux-gnu/12/plugin/include -I scripts/gcc-plugins -fno-rtti -shared -o scripts/gcc-plugins/latent_entropy_plugin.so /src/scripts/gcc-plugins/latent_entropy_plugin.c \n${DEPS('scripts/gcc-plugins/latent_entropy_plugin.so', '/src/scripts/gcc-plugins/latent_entropy_plugin.c')}`;
  const words = commandFromCmdFile(plugin);
  assert.ok(words?.includes('-DPLUGIN_VERSION="6.12.95"'));
  assert.deepEqual(programWords(words ?? []), ['g++']);
  const signFile =
    'savedcmd_scripts/sign-file := gcc -Wp,-MMD,scripts/.sign-file.d -O2 -std=gnu11   -I ./scripts   -o scripts/sign-file /src/scripts/sign-file.c   -lcrypto \n\nsource_scripts/sign-file := /src/scripts/sign-file.c\n';
  assert.deepEqual(commandFromCmdFile(signFile)?.slice(-3), [
    'scripts/sign-file',
    '/src/scripts/sign-file.c',
    '-lcrypto',
  ]);
});

test("make's escapes are undone first: $$ is $, $(pound) is #, then the shell's quotes", () => {
  // make-cmd (scripts/Kbuild.include) doubles $ and writes # as $(pound); tools/build/Build.include does the same.
  assert.deepEqual(commandFromCmdFile(`cmd_x.o := gcc -D"BUILD_STR(s)=$(pound)s" '-DDOLLAR=$$x' -c -o x.o x.c\n`), [
    'gcc',
    '-DBUILD_STR(s)=#s',
    '-DDOLLAR=$x',
    '-c',
    '-o',
    'x.o',
    'x.c',
  ]);
  assert.equal(expandMakeEscapes("a$$b $(pound)c ${pound} 'q'"), "a$b #c # 'q'");
  // After make, an unquoted $x is the shell's to expand: refused, not passed on as text.
  assert.throws(
    () => commandFromCmdFile('cmd_x := gcc -I$$HOME/inc x.c\n', 'x/.x.cmd'),
    /x\/\.x\.cmd: it has parameter expansion \('\$HOME'\)/,
  );
  // After make, $(pound) at the start of a word is a shell comment.
  assert.throws(() => commandFromCmdFile('cmd_x := gcc x.c $(pound) note\n', 'x/.x.cmd'), /a shell comment \('#'\)/);
});

test('what make would expand differently, or read as a comment, is refused', () => {
  const refused = (value: string): string => {
    const r = expandMakeEscapes(value);
    assert.equal(typeof r, 'object', value);
    return typeof r === 'object' ? r.found : '';
  };
  assert.match(refused('gcc $(CC) x.c'), /a make reference \('\$\(CC\)'\)/);
  assert.match(refused('gcc ${CFLAGS} x.c'), /a make reference \('\$\{CFLAGS\}'\)/);
  assert.match(refused('gcc $x'), /a make reference \('\$x'\)/);
  assert.match(refused('gcc $'), /a make reference \('\$'\)/);
  assert.match(refused('gcc $(unclosed'), /a make reference \('\$\(unclosed'\)/);
  assert.match(refused('gcc -DX=# x.c'), /a bare '#'/);
  assert.match(refused('gcc x.c \\'), /a line continuation/);
});

test('each refusal is a one-line KpkgError naming the .cmd file and what was found', () => {
  const where = '/b/arch/arm64/boot/.Image.gz.cmd';
  const cases: [string, RegExp][] = [
    [
      'savedcmd_arch/arm64/boot/Image.gz := cat arch/arm64/boot/Image | gzip -n -f -9 > arch/arm64/boot/Image.gz',
      /a pipeline \('\|'\)/,
    ],
    [
      'cmd_built-in.a := rm -f built-in.a; aarch64-linux-gnu-ar cDPrST built-in.a init/built-in.a',
      /a command list \(';'\)/,
    ],
    [
      'savedcmd_arch/arm64/kernel/pi/map_kernel.pi.o := aarch64-linux-gnu-objcopy x.o y.o && true',
      /an and-list \('&&'\)/,
    ],
    ['cmd_a := a || b', /an or-list/],
    ['cmd_a := a &', /a background command/],
    [
      'cmd_scripts/mod/elfconfig.h := scripts/mod/mk_elfconfig < scripts/mod/empty.o > scripts/mod/elfconfig.h',
      /a redirection \('<'\)/,
    ],
    ['cmd_a := gcc x.c >> log', /a redirection \('>>'\)/],
    ['savedcmd_certs/signing_key.pem := openssl req -new 2>&1', /a redirection \('2>&'\)/],
    ['cmd_a := gcc `cat flags` x.c', /command substitution \('`'\)/],
    ['cmd_a := gcc $$(cat flags) x.c', /command substitution \('\$\('\)/],
    ["cmd_a := gcc '-DX=1 x.c", /an unterminated ' quote/],
    ['cmd_a := gcc "-DX=1 x.c', /an unterminated " quote/],
    [
      'savedcmd_drivers/of/empty_root.dtb.S := { symbase=__dtb_empty_root; echo x; } > drivers/of/empty_root.dtb.S',
      /a compound command \('\{'\)/,
    ],
    ['cmd_a', /a record line without ':='/],
    ['cmd_a := gcc $(CC) x.c', /a make reference/],
  ];
  for (const [line, found] of cases) {
    assert.throws(
      () => commandFromCmdFile(`${line}\n`, where),
      (e: unknown) => {
        assert.ok(e instanceof KpkgError, line);
        assert.equal(e.where, where);
        assert.ok(e.message.startsWith(`cannot replay the command recorded in ${where}: it has `), e.message);
        assert.match(e.message, found);
        assert.doesNotMatch(e.message, /\n/);
        assert.match(e.hint ?? '', /kernel's own make/);
        return true;
      },
    );
  }
  assert.throws(() => commandFromCmdFile('cmd_a := a; b\n'), /recorded in a Kbuild \.cmd file: it has a command list/);
  assert.throws(
    () => commandFromCmdFile('cmd_a := a\r; b\n', 'x\ny'),
    (e: unknown) => e instanceof KpkgError && !e.message.includes('\n') && e.message.includes('x\\x0ay'),
  );
});

test('no record, or an empty one, is undefined', () => {
  assert.equal(commandFromCmdFile(''), undefined);
  assert.equal(commandFromCmdFile('deps_x := \\\n  y.h\n'), undefined);
  assert.equal(commandFromCmdFile('savedcmd_x :=   \n'), undefined);
});

test('the compiler of an object whose record goes on with objtool (6.1+ cmd_objtool) is its first command', () => {
  const text =
    'savedcmd_init/main.o := powerpc64le-linux-gnu-gcc -Wp,-MMD,init/.main.o.d -c -o init/main.o init/main.c  ; ./tools/objtool/objtool --hacks=jump_label --mcount --link init/main.o\n';
  assert.deepEqual(firstCommandFromCmdFile(text), [
    'powerpc64le-linux-gnu-gcc',
    '-Wp,-MMD,init/.main.o.d',
    '-c',
    '-o',
    'init/main.o',
    'init/main.c',
  ]);
  assert.throws(() => commandFromCmdFile(text, 'init/.main.o.cmd'), /init\/\.main\.o\.cmd: it has a command list/);
  assert.throws(() => firstCommandFromCmdFile('cmd_a := gcc 2>/dev/null x.c; b\n'), /a redirection/);
  assert.throws(() => firstCommandFromCmdFile('cmd_a := if true; then gcc x.c; fi\n'), /a compound command \('if'\)/);
  assert.throws(() => firstCommandFromCmdFile('cmd_a := ; gcc x.c\n'), /a command list/);
});

test('recordedCommand names the .cmd file it read in a refusal', async () => {
  const objtree = await mkdtemp(join(tmpdir(), 'kpkg-cmd-files-'));
  await mkdir(join(objtree, 'scripts/mod'), { recursive: true });
  await writeFile(
    join(objtree, cmdFileOf('scripts/mod/modpost')),
    'cmd_scripts/mod/modpost := gcc -o scripts/mod/modpost scripts/mod/modpost.o; true\n',
  );
  await assert.rejects(
    recordedCommand(objtree, 'scripts/mod/modpost'),
    (e: unknown) => e instanceof KpkgError && e.where === join(objtree, 'scripts/mod/.modpost.cmd'),
  );
  assert.equal(await recordedCommand(objtree, 'scripts/mod/file2alias.o'), undefined);
});

test("dependenciesFromCmdFile: the source and fixdep's deps_ list, $(wildcard …) entries included", () => {
  const text = [
    'savedcmd_scripts/mod/modpost.o := gcc -c -o scripts/mod/modpost.o /src/scripts/mod/modpost.c',
    '',
    'source_scripts/mod/modpost.o := /src/scripts/mod/modpost.c',
    '',
    'deps_scripts/mod/modpost.o := \\',
    '    $(wildcard include/config/MODVERSIONS) \\',
    '  /usr/include/stdio.h \\',
    '  scripts/mod/elfconfig.h \\',
    '',
    'scripts/mod/modpost.o: $(deps_scripts/mod/modpost.o)',
    '',
    '$(deps_scripts/mod/modpost.o):',
    '',
  ].join('\n');
  assert.deepEqual(dependenciesFromCmdFile(text), [
    '/src/scripts/mod/modpost.c',
    'include/config/MODVERSIONS',
    '/usr/include/stdio.h',
    'scripts/mod/elfconfig.h',
  ]);
  assert.deepEqual(dependenciesFromCmdFile('savedcmd_x := gcc -o x x.o\n'), []);
});
