#!/usr/bin/env node
// Runs Kassa's TypeScript sources directly (tsx compiles them on load).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
