/**
 * Progress for long commands, on stderr: a step list with a spinner on a terminal, plain
 * "kpkg: <step>: <detail>" lines otherwise (CI logs, pipes, --json runs).
 */
export interface Progress {
  step(name: string, detail: string): void;
  /** A command kpkg runs; shown only with --verbose. */
  command(line: string): void;
  /** Marks the current step done (or failed) and stops the spinner. */
  finish(ok: boolean): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgress(options: { verbose?: boolean | undefined; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY && process.env.CI === undefined;
  const verbose = options.verbose === true;
  if (!tty) {
    return {
      step: (name, detail) => stream.write(`kpkg: ${name}: ${detail}\n`),
      command: (line) => {
        if (verbose) stream.write(`  $ ${line}\n`);
      },
      finish: () => undefined,
    };
  }
  let current: { name: string; detail: string; started: number } | undefined;
  let frame = 0;
  const width = (): number => Math.max(20, (stream.columns || 80) - 1);
  const line = (mark: string): string => {
    if (current === undefined) return '';
    const secs = ((Date.now() - current.started) / 1000).toFixed(1);
    return `${mark} ${current.name}: ${current.detail}`.slice(0, width() - secs.length - 3) + ` (${secs}s)`;
  };
  const draw = (): void => {
    stream.write(`\r\x1b[2K${line(FRAMES[frame++ % FRAMES.length] ?? '*')}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  const close = (mark: string): void => {
    if (current !== undefined) stream.write(`\r\x1b[2K${line(mark)}\n`);
    current = undefined;
  };
  return {
    step(name, detail) {
      close('✔');
      current = { name, detail, started: Date.now() };
      draw();
    },
    command(text) {
      if (!verbose) return;
      stream.write(`\r\x1b[2K  $ ${text}\n`);
      draw();
    },
    finish(ok) {
      close(ok ? '✔' : '✖');
      clearInterval(timer);
    },
  };
}
