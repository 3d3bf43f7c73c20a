/**
 * Test helper (not used by kpkg itself): sample data and filters for the compressor tests
 * (compress.test.ts, compress.slow.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Pushes `input` through `filter` in 64 KiB chunks and collects the output. */
export async function through(filter: Duplex, input: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const pieces = function* (): Generator<Buffer> {
    for (let at = 0; at < input.length; at += 65536) yield input.subarray(at, at + 65536);
  };
  await pipeline(Readable.from(pieces()), filter, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

/** Runs a system tool as a filter. */
export async function tool(command: string, args: string[], input: Buffer): Promise<Buffer> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `${command} ${args.join(' ')} failed`);
  return Buffer.concat(chunks);
}

/** Compressible but not trivial: text-like lines with varying numbers, deterministic. */
export function sampleData(bytes: number): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `#define CONFIG_OPTION_${(i * 2654435761) % 100003} ${(i * 40503) % 65536} /* line ${i} */\n`;
    parts.push(line);
    size += line.length;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

export const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
