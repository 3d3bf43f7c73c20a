import { basename, dirname, join } from 'node:path';
import { readTextOrUndefined } from '../util/fs.js';
import { shellWords } from '../util/shell-words.js';

/**
 * Kbuild records the command that made every target in `<dir>/.<name>.cmd` as
 * `cmd_<target> := <command>` (`savedcmd_` since 6.3; scripts/Kbuild.include, if_changed).
 */
export function cmdFileOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.cmd`);
}

/** The recorded command that built `target` (relative to the object tree), as words; undefined when none. */
export async function recordedCommand(objtree: string, target: string): Promise<string[] | undefined> {
  const text = await readTextOrUndefined(join(objtree, cmdFileOf(target)));
  return text === undefined ? undefined : commandFromCmdFile(text);
}

export function commandFromCmdFile(text: string): string[] | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cmd_') || l.startsWith('savedcmd_'));
  if (line === undefined) return undefined;
  const words = shellWords(line.slice(line.indexOf(':=') + 2));
  return words.length > 0 ? words : undefined;
}

/** The compiler part of a command: every word before the first option (`ccache gcc`, `aarch64-linux-gnu-gcc`). */
export function programWords(words: readonly string[]): string[] {
  const firstOption = words.findIndex((w) => w.startsWith('-'));
  return firstOption < 0 ? [...words] : words.slice(0, firstOption);
}
