import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeScriptNote,
  MAX_DENIED_NOTES,
  MAX_FAILED_NOTES,
  MAX_LINE_CHARS,
  outputLines,
  saysDenied,
  ScriptNoteCollector,
} from './script-notes.js';

const POSTINST = { package: 'linux-headers-6.12.95', script: 'postinst' };

test('the words of a denial: what the sandbox makes programs print, not what a working script says', () => {
  for (const line of [
    "touch: cannot touch '/usr/share/x': Read-only file system",
    '/var/lib/dpkg/info/x.postinst: 5: cannot create /proc/sys/kernel/hostname: Permission denied',
    'mknod: /tmp/sda: Operation not permitted',
    'bash: connect: Network is unreachable',
    'bash: line 1: /dev/tcp/127.0.0.1/80: Connection refused',
    'bash: line 1: deb.debian.org: Temporary failure in name resolution',
    'W: Temporary failure resolving deb.debian.org',
    'bash: fork: retry: Resource temporarily unavailable',
    'File size limit exceeded',
    'cp: error writing /x: No space left on device',
    'cc1: out of memory: Cannot allocate memory',
  ])
    assert.ok(saysDenied(line), line);
  for (const line of ['Setting up linux-headers (1.0) ...', 'Configuring the headers', 'cannot find the compiler'])
    assert.ok(!saysDenied(line), line);
});

test('the lines of an output: CR LF as LF, the last line without a line break, each cut to its first characters', () => {
  assert.deepEqual([...outputLines('one\r\ntwo\n\nthree')], ['one', 'two', '', 'three']);
  assert.deepEqual([...outputLines('')], []);
  const [long] = [...outputLines(`${'x'.repeat(MAX_LINE_CHARS * 3)}\nnext`)];
  assert.equal(long?.length, MAX_LINE_CHARS);
});

test("a script's denied lines are noted once each, printable; what runs outside a script is not", () => {
  const notes = new ScriptNoteCollector();
  notes.line(undefined, 'dpkg: Permission denied');
  notes.line(POSTINST, 'Permission denied \x1b[2J\nresult: PASS');
  notes.line(POSTINST, 'Permission denied \x1b[2J\nresult: PASS');
  notes.line({ ...POSTINST, script: 'preinst' }, 'Permission denied \x1b[2J\nresult: PASS');
  assert.deepEqual(notes.notes(), [
    { ...POSTINST, kind: 'denied', words: 'Permission denied \\x1b[2J\\nresult: PASS' },
    { ...POSTINST, script: 'preinst', kind: 'denied', words: 'Permission denied \\x1b[2J\\nresult: PASS' },
  ]);
});

test("a failure quotes the script's last three lines since it started", () => {
  const notes = new ScriptNoteCollector();
  notes.line(POSTINST, 'before it');
  notes.startScript();
  for (const line of ['one', '', 'two', 'three', 'four']) notes.line(POSTINST, line);
  notes.failed(POSTINST, 'exit status 1');
  notes.failed({ package: undefined, script: 'hook' }, undefined);
  assert.deepEqual(notes.notes(), [
    { ...POSTINST, kind: 'failed', status: 'exit status 1', words: 'two / three / four' },
    { package: undefined, script: 'hook', kind: 'failed', words: '' },
  ]);
});

test('the notes are capped per kind, so a failure after a flood of denials is still there; words are cut', () => {
  const notes = new ScriptNoteCollector();
  for (let i = 0; i < 1000; i++) notes.line(POSTINST, `${i}: Read-only file system ${'x'.repeat(i)}`);
  for (let i = 0; i < 1000; i++) notes.failed(POSTINST, `exit status ${i}`);
  const all = notes.notes();
  assert.equal(all.filter((n) => n.kind === 'denied').length, MAX_DENIED_NOTES);
  assert.equal(all.filter((n) => n.kind === 'failed').length, MAX_FAILED_NOTES);
  assert.ok(
    all.every((n) => n.words.length <= 401),
    'words are cut',
  );
});

test('a note as a line of the report: whose script, what happened, its words; all printable', () => {
  assert.equal(
    describeScriptNote({ ...POSTINST, kind: 'denied', words: 'x: Read-only file system' }),
    "linux-headers-6.12.95's postinst was denied: x: Read-only file system",
  );
  assert.equal(
    describeScriptNote({ ...POSTINST, kind: 'failed', status: 'exit status 1', words: 'no compiler' }),
    "linux-headers-6.12.95's postinst failed (exit status 1): no compiler",
  );
  assert.equal(
    describeScriptNote({ package: undefined, script: 'hook "x\ny"', kind: 'failed', words: '' }),
    'hook "x\\ny" failed',
  );
});
