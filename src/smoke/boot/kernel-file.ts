/**
 * The kernel file qemu boots: the one the image package installed, taken as it is or, where
 * qemu's loader for the machine reads only a raw image (riscv: arch/riscv/boot's Image.xz/Image.gz
 * are for bootloaders that decompress), decompressed beside the initramfs first.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { execa } from 'execa';

type Compression = 'gzip' | 'xz' | 'zstd';

/** The compression of a file from its first bytes; undefined when it is none kpkg unpacks. */
export function compressionOf(head: Uint8Array): Compression | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00].every((byte, i) => head[i] === byte)) return 'xz';
  if ([0x28, 0xb5, 0x2f, 0xfd].every((byte, i) => head[i] === byte)) return 'zstd';
  return undefined;
}

async function firstBytes(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** `source` decompressed into `target`; false when it is not compressed (nothing written). */
export async function decompressKernel(source: string, target: string): Promise<boolean> {
  const compression = compressionOf(await firstBytes(source));
  if (compression === undefined) return false;
  if (compression === 'gzip') {
    await pipeline(createReadStream(source), createGunzip(), createWriteStream(target));
  } else {
    await execa(compression, ['-dc', source], { stdout: { file: target } });
  }
  return true;
}
