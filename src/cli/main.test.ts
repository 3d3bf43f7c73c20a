import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allFamilies } from '../families/families.js';
import { runKpkgInProcess } from '../testing/run-kpkg.js';
import { buildProgram } from './main.js';

describe('the CLI registers a command per family of the families table', () => {
  const commands = buildProgram().commands;

  it('in the table order, after inspect and headers', () => {
    assert.deepEqual(commands.map((command) => command.name()).slice(0, 6), [
      'inspect',
      'headers',
      ...allFamilies().map((family) => family.id),
    ]);
  });

  for (const family of allFamilies()) {
    it(`kpkg ${family.id}: the row's description, --only with its kinds when it has several`, () => {
      const command = commands.find((c) => c.name() === family.id);
      assert.equal(command?.description(), family.command.description);
      const only = command.options.find((option) => option.long === '--only');
      assert.equal(only !== undefined, family.kinds.length > 1);
      if (only !== undefined) assert.match(only.description, new RegExp(`of ${family.kinds.join(', ')} `));
    });
  }
});

describe('errors on stderr', () => {
  it('a name with ESC or CR prints escaped: it cannot clear the screen or overwrite the line', async () => {
    const r = await runKpkgInProcess(['verify', '/nonexistent/a\x1b[2Jb\rc']);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'kpkg: error: cannot read /nonexistent/a\\x1b[2Jb\\rc: no such file or directory\n');
  });
});
