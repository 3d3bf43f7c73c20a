#!/usr/bin/env node
import { handleInterrupts } from '../util/interrupt.js';
import { main } from './main.js';

handleInterrupts();
process.exitCode = await main(process.argv.slice(2));
