import { fileURLToPath } from 'node:url';

/** kpkg's hello-world module; shipped as source beside this file's sources. */
export function sampleModuleDir(): string {
  // dist/smoke/sample-module-dir.js and src/smoke/sample-module-dir.ts both sit two levels below the package root.
  return fileURLToPath(new URL('../../src/smoke/sample-module/', import.meta.url));
}
