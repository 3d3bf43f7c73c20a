/**
 * What `npm pack` would ship, asked of npm itself: package.json's `files` rules applied to the build
 * this test runs from (copied under dist/ of a scratch package, so it works from any tsc --outDir
 * and never touches the checkout's dist/). Nothing test-related may ship, and every module the CLI
 * reaches — imports, and files it opens through `new URL(…, import.meta.url)` — must.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BUILD = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(BUILD, '..');

interface PackageJson {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
}

let scratch = '';
let shipped = new Set<string>();
let manifest: PackageJson;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kpkg-pack-'));
  const pkg = join(scratch, 'pkg');
  await cp(join(REPO, 'package.json'), join(pkg, 'package.json'));
  await cp(join(REPO, 'README.md'), join(pkg, 'README.md'));
  await cp(BUILD, join(pkg, 'dist'), { recursive: true });
  await cp(join(REPO, 'src'), join(pkg, 'src'), { recursive: true });
  const env = {
    ...process.env,
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_offline: 'true',
  };
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: pkg,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  shipped = new Set(packed.files.map((f) => f.path));
  manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as PackageJson;
});
after(() => rm(scratch, { recursive: true, force: true }));

/** Relative module specifiers and `new URL('…', import.meta.url)` targets in a compiled module. */
function references(code: string): { modules: string[]; urls: string[]; bare: string[] } {
  const statements =
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  const specifiers = [...code.matchAll(statements)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  const urls = [...code.matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1] ?? '');
  return {
    modules: specifiers.filter((s) => s.startsWith('.')),
    urls,
    bare: specifiers.filter((s) => !s.startsWith('.')),
  };
}

/** A compiled module of interfaces and types only: comments and `export {};`. */
function isTypesOnly(code: string): boolean {
  return code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim() === 'export {};';
}

/** The npm package a bare specifier names ('execa', '@scope/x/sub' → '@scope/x'), or undefined for node builtins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('npm pack ships the runtime and nothing test-related', () => {
  it('no compiled test, no dist/testing, no test helper', () => {
    const testRelated = [...shipped].filter((p) => /\.test\.|^dist\/testing\/|(^|\/)test-[^/]*$|fixture/.test(p));
    assert.deepEqual(testRelated, []);
    assert.ok(shipped.has('dist/cli/bin.js'), [...shipped].join('\n'));
    assert.ok(!shipped.has('dist/shipped-files.slow.test.js'), 'this very test');
  });

  it("every module and file the CLI reaches from its bin ships, and it needs only node's modules and the declared dependencies", async () => {
    const bins = Object.values(manifest.bin).map((b) => posix.normalize(b));
    const pending = [...bins];
    const reached = new Set<string>();
    const problems: string[] = [];
    for (let module = pending.pop(); module !== undefined; module = pending.pop()) {
      if (reached.has(module)) continue;
      reached.add(module);
      if (!shipped.has(module)) {
        problems.push(`${module} is reached but not shipped`);
        continue;
      }
      const refs = references(await readFile(join(scratch, 'pkg', module), 'utf8'));
      for (const spec of refs.modules) pending.push(posix.join(posix.dirname(module), spec));
      for (const url of refs.urls) {
        const target = posix.join(posix.dirname(module), url);
        const ships = url.endsWith('/') ? [...shipped].some((p) => p.startsWith(target)) : shipped.has(target);
        if (!ships) problems.push(`${module} opens ${target}, which is not shipped`);
      }
      for (const spec of refs.bare) {
        const name = packageOf(spec);
        if (name !== undefined && !(name in manifest.dependencies))
          problems.push(`${module} imports ${spec}, not a dependency`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(reached.size > 50, `the walk reached ${reached.size} modules`);
    // A shipped module that the CLI never reaches is dead weight or a stray helper; modules of
    // types only (model.ts) compile to an empty `export {};` that nothing imports at run time.
    const unreached: string[] = [];
    for (const p of [...shipped].filter((f) => f.startsWith('dist/') && f.endsWith('.js') && !reached.has(f))) {
      if (!isTypesOnly(await readFile(join(scratch, 'pkg', p), 'utf8'))) unreached.push(p);
    }
    assert.deepEqual(unreached, []);
  });

  it('the reference scanner finds every form tsc emits', () => {
    const code =
      "import { a } from './x.js';\nimport {\n  b,\n} from '../y/z.js';\nexport * from './w.js';\nimport './side.js';\nconst m = await import('./lazy.js');\nconst u = new URL('../../package.json', import.meta.url);\nimport { execa } from 'execa';\nimport { join } from 'node:path';\nimport fs from 'fs';\nconst s = `from '${v}'`;\nthrow new Error(\"no import 'x' from 'y'\");\n";
    assert.deepEqual(references(code), {
      modules: ['./x.js', '../y/z.js', './w.js', './side.js', './lazy.js'],
      urls: ['../../package.json'],
      bare: ['execa', 'node:path', 'fs'],
    });
    assert.deepEqual(['execa', 'node:path', 'fs', '@scope/pkg/sub'].map(packageOf), [
      'execa',
      undefined,
      undefined,
      '@scope/pkg',
    ]);
    assert.equal(isTypesOnly('/**\n * Types.\n */\nexport {};\n//# sourceMappingURL=model.js.map'), true);
    assert.equal(isTypesOnly('export {};\nexport const x = 1;\n'), false);
  });
});
