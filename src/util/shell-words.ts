/**
 * Splitting a POSIX shell command line into the argv `sh` would run, for one simple command only:
 * single and double quotes and backslashes are undone; anything that would make `sh` do more than
 * run one program with literal arguments (a second command, a redirection, an expansion, a comment)
 * is reported instead of being turned into words.
 */

/** Why a command line is not one simple command. */
export interface ShellRefusal {
  /** What was found, for a message: "a command list (';')". */
  what: string;
  /** Where it starts in the command line. */
  offset: number;
  /**
   * It separates the first command from what follows (';', '&&', '||', '|', '&', a newline): the
   * words before it are that whole first command.
   */
  separator: boolean;
}

export interface SplitCommand {
  /** The words, or with a refusal the complete words before it. */
  words: string[];
  refusal: ShellRefusal | undefined;
}

/** Words that make a compound command when they come first (POSIX shell grammar, 2.4 Reserved Words). */
const RESERVED_FIRST_WORDS = new Set([
  '!',
  '{',
  '}',
  'case',
  'do',
  'done',
  'elif',
  'else',
  'esac',
  'fi',
  'for',
  'if',
  'in',
  'then',
  'until',
  'while',
]);

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAMETER = /[0-9@*#?$!-]/;

/**
 * The expansion a `$` at `i` starts (outside single quotes), or undefined when sh takes it literally
 * (`$` before a blank, `/`, `.`, the end…).
 */
function expansionAt(command: string, i: number, inDoubleQuotes: boolean): string | undefined {
  const next = command.charAt(i + 1);
  if (next === '(')
    return command.charAt(i + 2) === '(' ? "arithmetic expansion ('$((')" : "command substitution ('$(')";
  if (next === '{') return "parameter expansion ('${')";
  if (NAME_START.test(next)) {
    let end = i + 1;
    while (end < command.length && NAME_CHAR.test(command.charAt(end))) end++;
    return `parameter expansion ('${command.slice(i, end)}')`;
  }
  if (next !== '' && SPECIAL_PARAMETER.test(next)) return `parameter expansion ('$${next}')`;
  // bash reads $'…' and $"…" as quotes of its own, dash as a literal '$': not portable.
  if (!inDoubleQuotes && (next === "'" || next === '"')) return `shell-specific quoting ('$${next}')`;
  return undefined;
}

/** A redirection operator at `i` (`>`, `>>`, `<&`, `<<-`…), with the file-descriptor digits before it. */
function redirectionAt(command: string, i: number, digits: string): string {
  const op = /^(?:<<-|<<|>>|<&|>&|<>|>\||<|>)/.exec(command.slice(i))?.[0] ?? command.charAt(i);
  return `a redirection ('${digits}${op}')`;
}

/** Splits one simple command into words, as `sh` would, or says what makes it more than that. */
export function simpleCommandWords(command: string): SplitCommand {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  /** The current word so far came only from unquoted digits (a redirection's descriptor, `2>`). */
  let plainDigits = true;
  let firstWordQuoted = false;
  /** A reserved word first makes the whole line one compound command (`if …; then …; fi`, `{ …; }`). */
  const compound = (): SplitCommand | undefined => {
    const first = words[0];
    return first !== undefined && !firstWordQuoted && RESERVED_FIRST_WORDS.has(first)
      ? {
          words: [],
          refusal: { what: `a compound command ('${first}')`, offset: command.indexOf(first), separator: false },
        }
      : undefined;
  };
  const refuse = (what: string, offset: number, separator = false): SplitCommand => {
    if (separator && inWord) words.push(word);
    return (separator ? compound() : undefined) ?? { words, refusal: { what, offset, separator } };
  };
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
    plainDigits = true;
  };
  const quoted = (): void => {
    inWord = true;
    plainDigits = false;
    if (words.length === 0) firstWordQuoted = true;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command.charAt(i);
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return refuse("an unterminated ' quote", i);
      word += command.slice(i + 1, end);
      quoted();
      i = end;
    } else if (c === '"') {
      quoted();
      let closed = false;
      for (i++; i < command.length; i++) {
        const d = command.charAt(i);
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '`') return refuse("command substitution ('`')", i);
        if (d === '$') {
          const expansion = expansionAt(command, i, true);
          if (expansion !== undefined) return refuse(expansion, i);
        }
        if (d === '\\' && '$`"\\\n'.includes(command.charAt(i + 1)) && i + 1 < command.length) {
          if (command.charAt(++i) !== '\n') word += command.charAt(i);
        } else {
          word += d;
        }
      }
      if (!closed) return refuse('an unterminated " quote', command.lastIndexOf('"', i - 1));
    } else if (c === '\\') {
      if (i + 1 >= command.length) return refuse('a trailing backslash', i);
      // A backslash-newline is removed (a line continuation); any other escaped character is literal.
      if (command.charAt(++i) !== '\n') {
        word += command.charAt(i);
        quoted();
      }
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '\n') {
      return refuse('a second command (a newline)', i, true);
    } else if (c === ';') {
      return refuse("a command list (';')", i, true);
    } else if (c === '&') {
      return command.charAt(i + 1) === '&'
        ? refuse("an and-list ('&&')", i, true)
        : refuse("a background command ('&')", i, true);
    } else if (c === '|') {
      return command.charAt(i + 1) === '|' ? refuse("an or-list ('||')", i, true) : refuse("a pipeline ('|')", i, true);
    } else if (c === '<' || c === '>') {
      const digits = inWord && plainDigits ? word : '';
      return refuse(redirectionAt(command, i, digits), i - digits.length);
    } else if (c === '(' || c === ')') {
      return refuse(`a subshell ('${c}')`, i);
    } else if (c === '`') {
      return refuse("command substitution ('`')", i);
    } else if (c === '$' && expansionAt(command, i, false) !== undefined) {
      return refuse(expansionAt(command, i, false) ?? '', i);
    } else if (c === '#' && !inWord) {
      return refuse("a shell comment ('#')", i);
    } else if (c === '~' && !inWord) {
      return refuse("tilde expansion ('~')", i);
    } else if (c === '*' || c === '?' || (c === '[' && /^\[[^ \t]*\]/.test(command.slice(i)))) {
      // sh would replace the word with the names of matching files (a '[' without its ']' is literal).
      return refuse(`a pathname pattern ('${c}')`, i);
    } else {
      word += c;
      inWord = true;
      if (!/[0-9]/.test(c)) plainDigits = false;
    }
  }
  endWord();
  return compound() ?? { words, refusal: undefined };
}

/** Quotes a word for display or for `sh -c`, only when needed. */
export function quoteWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
