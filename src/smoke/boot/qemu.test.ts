import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KpkgError } from '../../util/errors.js';
import { MAX_LINE_CHARS, MAX_LINES, qemuPackage, runQemu } from './qemu.js';

test('a program that never ends is killed on the timeout, with the lines it printed and their times', async () => {
  const started = performance.now();
  const seen: string[] = [];
  const result = await runQemu(['sh', '-c', 'printf "a\\nb"; exec sleep 30'], {
    timeoutMs: 500,
    onLine: (line) => seen.push(line),
  });
  assert.ok(performance.now() - started < 10_000, 'ended on the timeout, not when sleep would');
  assert.deepEqual(
    result.lines.map((l) => l.text),
    ['a', 'b'],
  );
  assert.deepEqual(seen, ['a', 'b']);
  for (const line of result.lines) assert.ok(line.at >= 0 && line.at <= result.seconds, `${line.at}`);
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, 137);
  assert.equal(result.droppedLines, 0);
  assert.ok(result.seconds >= 0.5 && result.seconds < 10, `${result.seconds}`);
});

test('the timeout holds even when a child of the program keeps the console open', async () => {
  const started = performance.now();
  const result = await runQemu(['sh', '-c', 'echo started; sleep 30; echo never'], { timeoutMs: 500 });
  assert.ok(performance.now() - started < 10_000, `took ${Math.round(performance.now() - started)} ms`);
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, 137);
  assert.deepEqual(
    result.lines.map((l) => l.text),
    ['started'],
  );
});

test('a program that exits: its code, stdout and stderr lines, not timed out', async () => {
  const result = await runQemu(['sh', '-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 20_000 });
  assert.deepEqual(result.lines.map((l) => l.text).sort(), ['err', 'out']);
  assert.equal(result.exitCode, 3);
  assert.equal(result.timedOut, false);
});

test('lines past MAX_LINES are counted, not kept', async () => {
  const result = await runQemu(['seq', '1', String(MAX_LINES + 5)], { timeoutMs: 60_000 });
  assert.equal(result.lines.length, MAX_LINES);
  assert.equal(result.droppedLines, 5);
  assert.equal(result.lines.at(-1)?.text, String(MAX_LINES));
  assert.equal(result.exitCode, 0);
});

test('a line longer than MAX_LINE_CHARS is cut, ended or not', async () => {
  const long = MAX_LINE_CHARS + 500;
  const result = await runQemu(
    ['sh', '-c', `head -c ${long} /dev/zero | tr '\\0' x; echo; echo short; head -c ${long} /dev/zero | tr '\\0' y`],
    { timeoutMs: 20_000 },
  );
  const texts = result.lines.map((l) => l.text);
  assert.ok(texts.length >= 3, `${texts.length} lines`);
  assert.equal(texts[0], `${'x'.repeat(MAX_LINE_CHARS)}…`);
  assert.ok(texts.includes('short'));
  for (const text of texts) assert.ok(text.length <= MAX_LINE_CHARS + 1, `${text.length}`);
  // The last line, which never ends, is cut too.
  assert.ok(texts.includes(`${'y'.repeat(MAX_LINE_CHARS)}…`));
});

test('a line that never ends is cut as it comes, not held until the program ends', async () => {
  const result = await runQemu(['sh', '-c', `head -c ${MAX_LINE_CHARS + 500} /dev/zero | tr '\\0' z; exec sleep 30`], {
    timeoutMs: 2_000,
  });
  assert.equal(result.timedOut, true);
  const cut = result.lines.find((l) => l.text === `${'z'.repeat(MAX_LINE_CHARS)}…`);
  assert.ok(cut !== undefined, result.lines.map((l) => l.text.length).join(' '));
  assert.ok(cut.at < 1.5, `arrived at ${cut.at} s, killed at ${result.seconds} s`);
});

test('a qemu that is not installed is a KpkgError naming its Debian package', async () => {
  await assert.rejects(runQemu(['qemu-system-kpkg-nonexistent'], { timeoutMs: 5_000 }), (error: unknown) => {
    assert.ok(error instanceof KpkgError);
    assert.equal(error.message, 'qemu-system-kpkg-nonexistent is not installed');
    assert.equal(error.hint, 'apt-get install qemu-system-misc (or run tools/install-deps)');
    return true;
  });
});

test('qemuPackage: the Debian package of each qemu-system program', () => {
  assert.equal(qemuPackage('qemu-system-aarch64'), 'qemu-system-arm');
  assert.equal(qemuPackage('qemu-system-arm'), 'qemu-system-arm');
  assert.equal(qemuPackage('qemu-system-ppc64'), 'qemu-system-ppc');
  assert.equal(qemuPackage('qemu-system-ppc'), 'qemu-system-ppc');
  assert.equal(qemuPackage('qemu-system-i386'), 'qemu-system-x86');
  assert.equal(qemuPackage('qemu-system-x86_64'), 'qemu-system-x86');
  assert.equal(qemuPackage('qemu-system-riscv64'), 'qemu-system-misc');
  assert.equal(qemuPackage('qemu-system-s390x'), 'qemu-system-misc');
});
