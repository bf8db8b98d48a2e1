#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are, then hands over.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('../suite/cli.ts');
await cli(process.argv.slice(2));
