/**
 * The paths README.md and docs/ name must exist in the checkout, so that a file moved or renamed takes
 * its docs with it. Checked: a backquoted path starting with src/, tools/, bench/, docs/ or fuzz/
 * (relative to the checkout root), and a relative Markdown link (relative to the document). Skipped:
 * patterns and placeholders, which name no one file (a path holding `*`, `<`, `{`, `…`, or a capital `X`
 * standing alone: `src/formats/X/write-X.ts`), and what a run writes into a folder the checkout's
 * .gitignore names (`bench/results/`). A link's `#anchor` must be a heading of the document it names.
 * And docs/architecture.md's list of layers is `LAYERS` of
 * src/testing/layers.ts, layer by layer.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { test } from 'node:test';
import { checkoutSourceRoot } from './testing/import-graph.js';
import { LAYERS } from './testing/layers.js';

const CHECKED_PREFIXES = ['src/', 'tools/', 'bench/', 'docs/', 'fuzz/'];

/** A reference to a file in the checkout, as written in one document. */
interface PathReference {
  /** The path relative to the checkout root, without an anchor. */
  readonly path: string;
  /** How the document wrote it, for the message. */
  readonly written: string;
  /** A link's heading anchor ('interrupts' of 'usage.md#interrupts'). */
  readonly anchor?: string;
}

/** A pattern or a placeholder, not one file: `src/layouts/<family>/`, `checks/*.ts`, `src/…`, `write-X.ts`. */
function isPlaceholder(path: string): boolean {
  return /[*<{…]/.test(path) || /(^|[^A-Za-z])X([^A-Za-z]|$)/.test(path);
}

/** The file references of one Markdown document at `document` (relative to the checkout root). */
function pathReferences(document: string, text: string): PathReference[] {
  const references: PathReference[] = [];
  const withoutFences = text.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '');
  for (const [, span = ''] of withoutFences.matchAll(/`([^`\n]+)`/g)) {
    const written = span.trim().split(/\s/)[0] ?? '';
    if (!CHECKED_PREFIXES.some((prefix) => written.startsWith(prefix)) || isPlaceholder(written)) continue;
    references.push({ path: written.replace(/[.,:;)]+$/, ''), written });
  }
  for (const [, target = ''] of withoutFences.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(target) || isPlaceholder(target)) continue;
    const [path = '', anchor] = target.split('#');
    const resolved = path === '' ? document : posix.normalize(posix.join(posix.dirname(document), path));
    references.push({ path: resolved, written: target, ...(anchor === undefined ? {} : { anchor }) });
  }
  return references;
}

/** The anchors of a Markdown document's headings, as GitHub makes them: '## The build cache' → 'the-build-cache'. */
function headingAnchors(text: string): Set<string> {
  return new Set(
    [...text.matchAll(/^#+ (.+)$/gm)].map(([, heading = '']) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_ -]/gu, '')
        .replaceAll(' ', '-'),
    ),
  );
}

/** The folders .gitignore names by their path from the root ('bench/out'), not patterns such as 'dist-*\/'. */
function ignoredFolders(gitignore: string): string[] {
  return gitignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('/') && !/[#*?[!]/.test(line))
    .map((line) => line.replace(/^\/|\/$/g, ''))
    .filter((folder) => folder.includes('/'));
}

function isUnder(path: string, folders: readonly string[]): boolean {
  return folders.some((folder) => path === folder || path.startsWith(`${folder}/`));
}

/** README.md and every .md below docs/, relative to the checkout root. */
function documents(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  return ['README.md', ...walk('docs')];
}

/** What `document` names that `root` lacks: a path, or the heading a link's #anchor points at. Outputs under `ignored` are skipped. */
function brokenReferences(root: string, document: string, text: string, ignored: readonly string[]): string[] {
  return pathReferences(document, text).flatMap((reference) => {
    const writtenPath = reference.written.split('#')[0] ?? '';
    const resolved = writtenPath === '' || writtenPath === reference.path ? '' : ` (${reference.path})`;
    const where = `${document}: ${reference.written}${resolved}`;
    if (isUnder(reference.path, ignored)) return [];
    if (!existsSync(join(root, reference.path))) return [`${where} does not exist`];
    if (reference.anchor === undefined || !reference.path.endsWith('.md')) return [];
    const anchors = headingAnchors(readFileSync(join(root, reference.path), 'utf8'));
    return anchors.has(reference.anchor) ? [] : [`${where}: no heading #${reference.anchor}`];
  });
}

test('every file README.md and docs/ name exists in the checkout', () => {
  const root = dirname(checkoutSourceRoot(import.meta.url));
  const ignored = ignoredFolders(readFileSync(join(root, '.gitignore'), 'utf8'));
  const missing = documents(root).flatMap((document) =>
    brokenReferences(root, document, readFileSync(join(root, document), 'utf8'), ignored),
  );
  assert.deepEqual(missing, []);
});

test('a path that is not there and an anchor no heading makes are named; outputs are not', () => {
  const root = mkdtempSync(join(tmpdir(), 'kpkg-docs-'));
  try {
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/usage.md'), '# Using kpkg\n## Bad input\n');
    const text =
      'See `src/gone.ts`, `bench/results/deb.json`, [bad input](usage.md#bad-input), [gone](usage.md#interrupts).';
    assert.deepEqual(brokenReferences(root, 'docs/a.md', text, ['bench/results']), [
      'docs/a.md: src/gone.ts does not exist',
      'docs/a.md: usage.md#interrupts (docs/usage.md): no heading #interrupts',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** The numbered layer list under architecture.md's layer rules ('     3. arch, debian'). */
function layersInDocs(architecture: string): string[] {
  return [...architecture.matchAll(/^ {4,}\d+\. (.+)$/gm)].map(([, units = '']) => units.trim());
}

test("architecture.md's layer list is LAYERS of src/testing/layers.ts, layer by layer", () => {
  const root = dirname(checkoutSourceRoot(import.meta.url));
  const inCode = LAYERS.map((layer) => layer.join(', '));
  assert.deepEqual(layersInDocs(readFileSync(join(root, 'docs/architecture.md'), 'utf8')), inCode);
});

test('folders .gitignore names by path are outputs; names and patterns are not folders', () => {
  const folders = ignoredFolders('node_modules\ndist/\nbench/out/\n/fuzz/findings/\ndist-*/\na/*/\n# a/b/\n');
  assert.deepEqual(folders, ['bench/out', 'fuzz/findings']);
  assert.equal(isUnder('bench/out/deb.js', folders), true);
  assert.equal(isUnder('bench/outside.md', folders), false);
});

test("headings' anchors are GitHub's: lower case, punctuation dropped, spaces made dashes", () => {
  const text = "# Using kpkg\n## Upstream's variables (KDEB_*)\n### 4. Depend\nnot # a heading\n";
  assert.deepEqual([...headingAnchors(text)], ['using-kpkg', 'upstreams-variables-kdeb_', '4-depend']);
});

test('references are backquoted root paths and links relative to the document; patterns are skipped', () => {
  const text = [
    'The table is `src/families/families.ts`; run `tools/test --all`, see `kernel/tree.ts` and `scripts/x`.',
    'Skipped: `src/layouts/<family>/`, `src/verify/checks/*.ts`, `src/kernel/headers/{scan,plan}.ts`, `tools/…`,',
    '`src/formats/X/write-X.ts`. Links: [usage](usage.md#interrupts), [up](../README.md), [web](https://x.org/a.md),',
    '[here](#the-flow).',
    '```',
    'not read: `src/gone.ts`',
    '```',
  ].join('\n');
  assert.deepEqual(pathReferences('docs/recipes/a.md', text), [
    { path: 'src/families/families.ts', written: 'src/families/families.ts' },
    { path: 'tools/test', written: 'tools/test' },
    { path: 'docs/recipes/usage.md', written: 'usage.md#interrupts', anchor: 'interrupts' },
    { path: 'docs/README.md', written: '../README.md' },
    { path: 'docs/recipes/a.md', written: '#the-flow', anchor: 'the-flow' },
  ]);
});
