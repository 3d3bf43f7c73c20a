/**
 * tools/kernel-tree's source fetcher: prints "SERIES PACKAGE-VERSION TARBALL" for Debian's
 * linux-source-<series> (`newest`: the highest in sid).
 *   node dist/testing/kernel-source-main.js 5.10|6.1|6.12|newest
 */
import { kernelSource } from './kernel-source.js';

try {
  const source = await kernelSource(process.argv[2] ?? 'newest');
  process.stdout.write(`${source.series} ${source.packageVersion} ${source.tarball}\n`);
} catch (error) {
  process.stderr.write(`kernel-source: error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
