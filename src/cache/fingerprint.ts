/**
 * Cache keys from the state of a step's inputs, without reading their contents (util/file-state.ts:
 * inode, size, modification and change times), so a key changes whenever an input does and a cache
 * entry is never used for inputs it was not made from. A file that is absent is part of the key too
 * (it may appear later).
 */
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { FileStates } from '../util/file-state.js';
import { basename } from 'node:path';
import { pathCandidates } from '../util/on-path.js';
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';

/** What a step's output depends on. */
export interface StepInputs {
  /** Words that change the output: the step's name and version, arguments, options. */
  words: readonly string[];
  /** Files (absolute paths); an absent one counts as absent. */
  files?: readonly string[];
  /** Directories whose every entry counts, recursively; an absent one counts as absent. */
  trees?: readonly string[];
  /** Directories of which only the files with these names count (the Makefiles of a device-tree directory). */
  named?: readonly { dir: string; names: readonly string[] }[];
  /** Programs the step runs (names looked up in PATH, or paths): a new version is a new file. */
  programs?: readonly string[];
}

/** The file `program` runs, links resolved: itself when it names a path, else the first PATH entry that has it. */
async function programPath(program: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  for (const path of pathCandidates(program, env)) {
    const real = await realpath(path).catch(() => undefined);
    if (real !== undefined) return real;
  }
  return program;
}

/** The key of a step's inputs: a hex SHA-256 over the words and the state of every input. */
export async function inputsKey(inputs: StepInputs, states: FileStates = new FileStates()): Promise<string> {
  const hash = createHash('sha256');
  for (const word of inputs.words) hash.update(`w ${word}\0`);
  const paths: string[] = [...(inputs.files ?? [])];
  for (const tree of inputs.trees ?? []) paths.push(...(await states.walk(tree)));
  for (const { dir, names } of inputs.named ?? [])
    paths.push(dir, ...(await states.walk(dir)).filter((p) => names.includes(basename(p))));
  for (const program of inputs.programs ?? []) paths.push(await programPath(program));
  const found = await mapLimit(paths, IO_PARALLELISM, (p) => states.state(p));
  paths.forEach((path, i) => hash.update(`p ${path}\0${found[i] ?? ''}\0`));
  return hash.digest('hex');
}

/** A hex SHA-256 of words, for keys made of values only. */
export function wordsKey(words: readonly string[]): string {
  const hash = createHash('sha256');
  for (const word of words) hash.update(`${word}\0`);
  return hash.digest('hex');
}
