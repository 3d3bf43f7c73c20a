import { basename, dirname, join } from 'node:path';
import { KpkgError } from '../util/errors.js';
import { readTextOrUndefined } from '../util/fs.js';
import { simpleCommandWords } from '../util/shell-words.js';

/**
 * Kbuild records the command that made every target in `<dir>/.<name>.cmd`, a makefile the next
 * build includes, as `cmd_<target> := <command>` (`savedcmd_` since 6.3; scripts/Kbuild.include:
 * make-cmd, cmd_and_savecmd, and scripts/basic/fixdep.c for the if_changed_dep records).
 */
export function cmdFileOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.cmd`);
}

/** The recorded command that built `target` (relative to the object tree), as words; undefined when none. */
export async function recordedCommand(objtree: string, target: string): Promise<string[] | undefined> {
  const path = join(objtree, cmdFileOf(target));
  const text = await readTextOrUndefined(path);
  return text === undefined ? undefined : commandFromCmdFile(text, path);
}

/**
 * The files a record says its target was made from: `source_<target>` and fixdep's
 * `deps_<target>` list (scripts/basic/fixdep.c writes it; `$(wildcard x)` entries are files
 * whose appearance would matter too), as written: relative to the object tree or absolute.
 */
export function dependenciesFromCmdFile(text: string): string[] {
  const found: string[] = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const value = /^(?:source|deps)_\S+ := (.*)$/.exec(line)?.[1];
    if (value === undefined) continue;
    for (const m of value.matchAll(/\$\(wildcard ([^)]+)\)|(\S+)/g)) found.push((m[1] ?? m[2] ?? '').trim());
  }
  return found.filter((f) => f !== '');
}

/**
 * The words of the command a `.cmd` file records; undefined when it records none. Throws only
 * KpkgError: for a record that is not one simple command, or that make would not read as Kbuild
 * writes it. `where` names the file in that message.
 */
export function commandFromCmdFile(text: string, where?: string): string[] | undefined {
  const value = recordedValue(text, where);
  if (value === undefined) return undefined;
  const split = simpleCommandWords(value);
  if (split.refusal !== undefined)
    throw refusal(where, `${split.refusal.what} at offset ${String(split.refusal.offset)} of the command`);
  return split.words.length > 0 ? split.words : undefined;
}

/**
 * The first command of a record, for reading which compiler the build used: since 6.1 (Makefile.lib,
 * cmd_objtool; Makefile.build, cmd_ld_single_m) an object's record may go on with `; objtool …` or
 * `; ld -r …` after the compiler's command. Everything else is refused as by commandFromCmdFile.
 */
export function firstCommandFromCmdFile(text: string, where?: string): string[] | undefined {
  const value = recordedValue(text, where);
  if (value === undefined) return undefined;
  const split = simpleCommandWords(value);
  if (split.refusal !== undefined && !(split.refusal.separator && split.words.length > 0)) {
    throw refusal(where, `${split.refusal.what} at offset ${String(split.refusal.offset)} of the command`);
  }
  return split.words.length > 0 ? split.words : undefined;
}

/** The compiler part of a command: every word before the first option (`ccache gcc`, `aarch64-linux-gnu-gcc`). */
export function programWords(words: readonly string[]): string[] {
  const firstOption = words.findIndex((w) => w.startsWith('-'));
  return firstOption < 0 ? [...words] : words.slice(0, firstOption);
}

function refusal(where: string | undefined, found: string): KpkgError {
  const file = where ?? 'a Kbuild .cmd file';
  return new KpkgError(
    oneLine(
      `cannot replay the command recorded in ${file}: it has ${found}, and kpkg replays only a single simple command`,
    ),
    {
      ...(where === undefined ? {} : { where }),
      hint: "rebuild the tree with the kernel's own make, which writes these records; if it did write this one, report it to kpkg with the file attached",
    },
  );
}

/** Control characters (a stray carriage return, a newline in a path) shown escaped, so the message stays one line. */
function oneLine(message: string): string {
  let out = '';
  for (let i = 0; i < message.length; i++) {
    const code = message.charCodeAt(i);
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : message.charAt(i);
  }
  return out;
}

/** The record line's value after `:=`, with make's escapes undone; undefined when the file has no record. */
function recordedValue(text: string, where: string | undefined): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cmd_') || l.startsWith('savedcmd_'));
  if (line === undefined) return undefined;
  const assign = line.indexOf(':=');
  if (assign < 0) throw refusal(where, "a record line without ':='");
  const expanded = expandMakeEscapes(line.slice(assign + 2));
  if (typeof expanded !== 'string')
    throw refusal(where, `${expanded.found} at offset ${String(expanded.offset)} of the record's value`);
  return expanded;
}

/**
 * A record's value as make expands it when it includes the file. Kbuild's make-cmd writes `$` as
 * `$$` and `#` as `$(pound)` (a bare `#` would start a make comment); nothing else is escaped. Any
 * other reference, a bare `#` or a line continuation was not written by make-cmd and is refused.
 */
export function expandMakeEscapes(value: string): string | { found: string; offset: number } {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === '#') return { found: "a bare '#' (make reads the rest as a comment; Kbuild writes $(pound))", offset: i };
    if (c === '\\' && i === value.length - 1) return { found: "a line continuation ('\\' at the end)", offset: i };
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = value.charAt(i + 1);
    if (next === '$') {
      out += '$';
      i++;
    } else if (value.startsWith('(pound)', i + 1) || value.startsWith('{pound}', i + 1)) {
      out += '#';
      i += '(pound)'.length;
    } else {
      return {
        found: `a make reference ('${makeReferenceAt(value, i)}') that Kbuild never leaves in a record`,
        offset: i,
      };
    }
  }
  return out;
}

/** The text of the make reference at `i` for a message: `$(CC)`, `${x}`, `$x`, or a lone `$`. */
function makeReferenceAt(value: string, i: number): string {
  const open = value.charAt(i + 1);
  if (open === '(' || open === '{') {
    const close = value.indexOf(open === '(' ? ')' : '}', i + 2);
    const end = close < 0 ? Math.min(value.length, i + 24) : Math.min(close + 1, i + 40);
    return value.slice(i, end);
  }
  return open === '' ? '$' : `$${open}`;
}
