/**
 * Every check `kpkg verify` runs, in the order it runs them: the one list to extend
 * (docs/recipes/add-a-verify-check.md). Each id of findings.ts belongs to exactly one of them
 * (index.test.ts); the report lists the ids in findings.ts's order.
 */
import type { ListedCheck } from '../check.js';
import { buildLinkCheck } from './build-link.js';
import { debCheck } from './deb.js';
import { elfCheck } from './elf.js';
import { hardlinkCheck } from './hardlink-dangling.js';
import { headersCheck } from './headers.js';
import { headersCompilerCheck } from './headers-compiler.js';
import { kernelConfigCheck } from './kernel-config.js';
import { nameEncodingCheck } from './name-not-utf8.js';
import { packageArchCheck } from './package-arch.js';
import { prerequisitesCheck } from './prerequisites.js';
import { rpmDigestsCheck } from './rpm-digests.js';
import { secretsCheck } from './secrets.js';
import { setConflictCheck } from './set-conflict.js';

export const VERIFY_CHECKS: readonly ListedCheck[] = [
  packageArchCheck,
  kernelConfigCheck,
  elfCheck,
  headersCheck,
  headersCompilerCheck,
  buildLinkCheck,
  secretsCheck,
  debCheck,
  rpmDigestsCheck,
  prerequisitesCheck,
  hardlinkCheck,
  nameEncodingCheck,
  setConflictCheck,
];
