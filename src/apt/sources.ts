import { readdir, readFile } from 'node:fs/promises';
import { deb822Field, deb822Paragraphs } from '../util/deb822.js';

const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

interface AptSource {
  readonly uri: string;
  readonly suites: string[];
}

/** Sources from a deb822 .sources file: one stanza per blank-line-separated block. */
export function parseDeb822Sources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const paragraph of deb822Paragraphs(text)) {
    const field = (name: string): string[] => (deb822Field(paragraph, name) ?? '').split(/\s+/).filter((w) => w !== '');
    if (field('Enabled')[0] === 'no' || !field('Types').includes('deb')) continue;
    for (const uri of field('URIs')) sources.push({ uri, suites: field('Suites') });
  }
  return sources;
}

/** Sources from one-line-style sources.list text: "deb [opts] URI SUITE COMPONENTS...". */
export function parseOneLineSources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const words = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, '')
      .trim()
      .split(/\s+/);
    if (words[0] !== 'deb' || words[1] === undefined || words[2] === undefined) continue;
    sources.push({ uri: words[1], suites: [words[2]] });
  }
  return sources;
}

/**
 * The Debian archive mirror among `sources`: the first one carrying a plain release suite
 * (bookworm, trixie, stable...; not -security, -updates or -backports). Security mirrors are
 * skipped because they serve only the -security suites.
 */
export function pickDebianMirror(sources: readonly AptSource[]): string | undefined {
  const main = sources.find((s) => !s.uri.includes('security') && s.suites.some((suite) => !suite.includes('-')));
  return main?.uri.replace(/\/+$/, '');
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** The Debian mirror this machine's apt uses (so mmdebstrap goes through the same, allowed, place). */
export async function hostDebianMirror(aptDir = '/etc/apt'): Promise<string> {
  const sources: AptSource[] = [];
  let parts: string[] = [];
  try {
    parts = (await readdir(`${aptDir}/sources.list.d`)).sort();
  } catch {
    // no sources.list.d
  }
  for (const name of parts) {
    const text = await readIfExists(`${aptDir}/sources.list.d/${name}`);
    if (name.endsWith('.sources')) sources.push(...parseDeb822Sources(text));
    else if (name.endsWith('.list')) sources.push(...parseOneLineSources(text));
  }
  sources.push(...parseOneLineSources(await readIfExists(`${aptDir}/sources.list`)));
  return pickDebianMirror(sources) ?? FALLBACK_MIRROR;
}
