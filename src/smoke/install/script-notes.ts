/**
 * What a package's maintainer scripts did that a headers package should not need, read from its
 * installer's output: a script that failed, and a script that was denied something (a write, the
 * network, a fork, disk or memory) and went on. Each family knows its installer's words for which
 * script runs (Installer.scriptNotes in ./deb.ts, ./rpm.ts, ./pacman.ts); this module holds what
 * they share: the note, the sandbox's words, and a collector that stays bounded however long and
 * hostile the output is (the packages are strangers').
 */
import { printable } from '../../util/printable.js';

/** One thing a maintainer script did, for smoke's report. */
export interface ScriptNote {
  /** The package whose script it was, as the installer names it; undefined when the installer does not say. */
  readonly package: string | undefined;
  /** The script, in the family's terms: 'postinst', '%post', '.INSTALL', a pacman hook... */
  readonly script: string;
  /** 'failed': the script failed (the install fails); 'denied': it was denied something and went on (a warning). */
  readonly kind: 'failed' | 'denied';
  /** How it failed, as the installer says it: 'exit status 1', 'killed by signal (Killed)'; only for 'failed'. */
  readonly status?: string;
  /** The script's words: the denied line, or the last lines it printed before it failed; printable. */
  readonly words: string;
  /** A failure the user accepted (--accept-script-failures): a warning, and smoke went on. */
  readonly accepted?: boolean;
}

/** Whether a note fails the run: a script that failed, unless the user accepted it. */
export function failsTheRun(note: ScriptNote): boolean {
  return note.kind === 'failed' && note.accepted !== true;
}

/** Which script is running while a line is printed. */
export interface RunningScript {
  readonly package: string | undefined;
  readonly script: string;
}

/** How many notes of each kind one installer command yields at most. */
export const MAX_DENIED_NOTES = 20;
export const MAX_FAILED_NOTES = 10;
/** How many characters of a line are read, and of a note's words kept. */
export const MAX_LINE_CHARS = 1000;
const MAX_WORDS_CHARS = 400;
/** How many of a script's last lines a failure quotes. */
const LAST_WORDS_LINES = 3;

/**
 * The words programs print when the sandbox denies them something: a read-only or forbidden path,
 * no network, no name resolution, no more processes, file size, disk or memory limits — and the
 * line kpkg adds when a limit of the sandbox ended the command (sandbox/run.ts: "kpkg: killed: …").
 */
const DENIED_WORDS =
  /^kpkg: killed: |Permission denied|Operation not permitted|Read-only file system|Network is unreachable|Connection refused|Temporary failure in name resolution|Temporary failure resolving|Could not resolve host|Resource temporarily unavailable|Cannot fork|File too large|File size limit exceeded|No space left on device|Disk quota exceeded|Cannot allocate memory/;

/** Whether `line` says that something was denied. */
export function saysDenied(line: string): boolean {
  return DENIED_WORDS.test(line);
}

/** The lines of `output`, each cut at MAX_LINE_CHARS: one pass, however long the output or its lines. */
export function* outputLines(output: string): Generator<string> {
  let start = 0;
  while (start < output.length) {
    const end = output.indexOf('\n', start);
    const stop = end === -1 ? output.length : end;
    yield output.slice(start, Math.min(stop, start + MAX_LINE_CHARS)).replace(/\r$/, '');
    start = stop + 1;
  }
}

function cut(text: string): string {
  return text.length <= MAX_WORDS_CHARS ? text : `${text.slice(0, MAX_WORDS_CHARS)}…`;
}

/**
 * Gathers the notes of one installer command's output as a family's parser walks it: the running
 * script's last lines, its denied lines (each once per script) and its failures, within the caps.
 */
export class ScriptNoteCollector {
  private readonly noted: ScriptNote[] = [];
  private readonly seen = new Set<string>();
  private denials = 0;
  private failures = 0;
  private lastLines: string[] = [];

  /** A new script starts (or none runs): its last lines start empty. */
  startScript(): void {
    this.lastLines = [];
  }

  /** A line `running` printed: kept as its last words, and noted when it says it was denied. */
  line(running: RunningScript | undefined, line: string): void {
    if (running === undefined || line.trim() === '') return;
    this.lastLines.push(line);
    if (this.lastLines.length > LAST_WORDS_LINES) this.lastLines.shift();
    if (!saysDenied(line) || this.denials >= MAX_DENIED_NOTES) return;
    const words = cut(printable(line.trim()));
    const key = `${running.package ?? ''}\0${running.script}\0${words}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.denials++;
    this.noted.push({ package: running.package, script: running.script, kind: 'denied', words });
  }

  /** `script` failed with `status` (when the installer says it); its last lines are its words. */
  failed(script: RunningScript, status: string | undefined): void {
    if (this.failures >= MAX_FAILED_NOTES) return;
    this.failures++;
    const words = cut(this.lastLines.map((line) => printable(line.trim())).join(' / '));
    this.noted.push({
      package: script.package,
      script: script.script,
      kind: 'failed',
      ...(status === undefined ? {} : { status }),
      words,
    });
    this.lastLines = [];
  }

  notes(): ScriptNote[] {
    return [...this.noted];
  }
}

/** Whose script a note is about: "linux-headers-6.12.95's postinst", or the script alone. */
function scriptName(note: ScriptNote): string {
  return note.package === undefined ? note.script : `${note.package}'s ${note.script}`;
}

/**
 * A note as one line of smoke's report, e.g. "linux-headers-6.12.95's postinst was denied:
 * …: cannot create /proc/sys/kernel/hostname: Read-only file system", or "…'s postinst failed
 * (exit status 1): cannot find the compiler". Printable: package and script names are escaped too.
 */
export function describeScriptNote(note: ScriptNote): string {
  const who = printable(scriptName(note));
  if (note.kind === 'denied') return `${who} was denied: ${note.words}`;
  const status = note.status === undefined ? '' : ` (${printable(note.status)})`;
  const accepted = note.accepted === true ? ', accepted (--accept-script-failures)' : '';
  return `${who} failed${status}${accepted}${note.words === '' ? '' : `: ${note.words}`}`;
}
