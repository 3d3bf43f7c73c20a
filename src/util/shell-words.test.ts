import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteWord, simpleCommandWords } from './shell-words.js';

function words(command: string): string[] {
  const split = simpleCommandWords(command);
  assert.equal(split.refusal, undefined, `refused: ${JSON.stringify(split.refusal)}`);
  return split.words;
}

function refusal(command: string): string {
  const split = simpleCommandWords(command);
  assert.notEqual(split.refusal, undefined, `not refused: ${command}`);
  return split.refusal?.what ?? '';
}

test('splits on blanks and undoes single quotes, double quotes and backslashes', () => {
  assert.deepEqual(words(`gcc  -DX='"a b"' -I ./x -o out "in put.c"\t-lz`), [
    'gcc',
    '-DX="a b"',
    '-I',
    './x',
    '-o',
    'out',
    'in put.c',
    '-lz',
  ]);
  assert.deepEqual(words(String.raw`a\ b "c\"d" 'e\f' "g\h" "\$x" "\\"`), [
    'a b',
    'c"d',
    String.raw`e\f`,
    String.raw`g\h`,
    '$x',
    '\\',
  ]);
  assert.deepEqual(words(`x '' ""`), ['x', '', '']);
  assert.deepEqual(words('  '), []);
});

test('operators, expansions and patterns inside quotes or escaped are plain characters', () => {
  assert.deepEqual(
    words(`gcc '-DA=a;b|c&&d>e<f' "x;y|z&w>v" '$(r)' '\`q\`' 'a*b?[c]' "#h" '~u' \\; \\& \\> \\$HOME \\(`),
    ['gcc', '-DA=a;b|c&&d>e<f', 'x;y|z&w>v', '$(r)', '`q`', 'a*b?[c]', '#h', '~u', ';', '&', '>', '$HOME', '('],
  );
});

test('a $ that sh takes literally, a # or ~ inside a word and a [ without ] stay characters', () => {
  assert.deepEqual(words('echo a$ b$/c "d$" x#y a~b -DX=[ 2x'), [
    'echo',
    'a$',
    'b$/c',
    'd$',
    'x#y',
    'a~b',
    '-DX=[',
    '2x',
  ]);
});

test('a backslash-newline is a line continuation, removed', () => {
  assert.deepEqual(words('gcc -c \\\nx.c "a\\\nb"'), ['gcc', '-c', 'x.c', 'ab']);
});

test('each construct that makes more than one simple command is refused by name', () => {
  const cases: [string, string][] = [
    ['gcc -c x.c; objtool x.o', "a command list (';')"],
    ['a && b', "an and-list ('&&')"],
    ['a || b', "an or-list ('||')"],
    ['tr a b | sed x', "a pipeline ('|')"],
    ['sleep 1 &', "a background command ('&')"],
    ['a\nb', 'a second command (a newline)'],
    ['cat > out', "a redirection ('>')"],
    ['cat >>out', "a redirection ('>>')"],
    ['cat <in', "a redirection ('<')"],
    ['cc x.c 2>/dev/null', "a redirection ('2>')"],
    ['cc x.c 2>&1', "a redirection ('2>&')"],
    ['cat <<EOF', "a redirection ('<<')"],
    ['a (b)', "a subshell ('(')"],
    ['echo `date`', "command substitution ('`')"],
    ['echo "`date`"', "command substitution ('`')"],
    ['echo $(date)', "command substitution ('$(')"],
    ['echo "x$(date)"', "command substitution ('$(')"],
    ['echo $((1+1))', "arithmetic expansion ('$((')"],
    ['echo ${HOME}', "parameter expansion ('${')"],
    ['cc -I$HOME/x', "parameter expansion ('$HOME')"],
    ['echo "$1"', "parameter expansion ('$1')"],
    ['echo $@', "parameter expansion ('$@')"],
    ["echo $'a'", "shell-specific quoting ('$'')"],
    ["gcc 'oops", "an unterminated ' quote"],
    ['gcc "oops', 'an unterminated " quote'],
    ['gcc x\\', 'a trailing backslash'],
    ['gcc -c x.c # note', "a shell comment ('#')"],
    ['cc -I ~/inc', "tilde expansion ('~')"],
    ['cc *.c', "a pathname pattern ('*')"],
    ['cc -Ix? y', "a pathname pattern ('?')"],
    ['cc x[12].c', "a pathname pattern ('[')"],
    ['if true', "a compound command ('if')"],
    ['{ echo a; echo b; } > f', "a compound command ('{')"],
    ['if ! command -v x; then exit 0; fi', "a compound command ('if')"],
    ['! false', "a compound command ('!')"],
  ];
  for (const [command, what] of cases) assert.equal(refusal(command), what, command);
  assert.deepEqual(words("'if' true"), ['if', 'true']);
});

test('a separator leaves the complete first command; other refusals say where they are', () => {
  assert.deepEqual(simpleCommandWords('gcc -c x.c; ./tools/objtool/objtool x.o'), {
    words: ['gcc', '-c', 'x.c'],
    refusal: { what: "a command list (';')", offset: 10, separator: true },
  });
  assert.deepEqual(simpleCommandWords('a b&&c').words, ['a', 'b']);
  assert.deepEqual(simpleCommandWords('cc x.c 2>err').refusal, {
    what: "a redirection ('2>')",
    offset: 7,
    separator: false,
  });
});

test('quoteWord round-trips through simpleCommandWords', () => {
  for (const w of ['plain', 'with space', "it's", '-DX="y"', '', 'a;b', '$(x)', '*', '#', '~'])
    assert.deepEqual(words(quoteWord(w)), [w]);
});
