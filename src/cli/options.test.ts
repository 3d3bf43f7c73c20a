import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { addFormatOption, addOutOption, addTreeOptions, makeVarsFrom, reportFormat } from './options.js';

test('make-style assignments are taken, anything else is a usage error', () => {
  assert.equal(makeVarsFrom(['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-']).ARCH, 'arm64');
  assert.throws(
    () => makeVarsFrom(['ARCH=arm64', 'bzImage', 'FOO=1']),
    (e: Error & { exitCode?: number }) => {
      assert.equal(e.message, 'unexpected arguments: bzImage FOO=1');
      assert.equal(e.exitCode, 2);
      return true;
    },
  );
});

test('--json is short for --format json; with another --format it is a usage error', () => {
  assert.equal(reportFormat({}), 'text');
  assert.equal(reportFormat({ json: true }), 'json');
  assert.equal(reportFormat({ format: 'markdown' }), 'markdown');
  assert.equal(reportFormat({ json: true, format: 'json' }), 'json');
  for (const format of ['text', 'markdown'])
    assert.throws(
      () => reportFormat({ json: true, format }),
      (e: Error & { exitCode?: number }) => {
        assert.equal(e.message, `--json and --format ${format} ask for different outputs`);
        assert.equal(e.exitCode, 2);
        return true;
      },
    );
});

test('the shared options parse with their defaults, and --format takes only its choices', () => {
  const parse = (args: string[]): Record<string, unknown> => {
    const command = addFormatOption(addOutOption(addTreeOptions(new Command('x'))))
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .action(() => undefined);
    command.parse(args, { from: 'user' });
    return command.opts();
  };
  assert.deepEqual(parse(['ARCH=arm64']), { buildDir: '.', out: './out' });
  assert.deepEqual(parse(['-b', 'obj', '--format', 'markdown', '-o', 'o']), {
    buildDir: 'obj',
    format: 'markdown',
    out: 'o',
  });
  assert.throws(() => parse(['--format', 'yaml']), /argument 'yaml' is invalid/);
});
