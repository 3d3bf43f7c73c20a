#!/usr/bin/env node
import { handleInterrupts } from '../util/interrupt.js';
import { watchOutput } from '../util/output.js';

// The handlers go in before the rest of kpkg loads (~0.2 s of modules): a Ctrl-C meanwhile
// still exits 130 rather than dying by the signal, and a closed pipe never prints a stack trace.
handleInterrupts();
watchOutput();
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
