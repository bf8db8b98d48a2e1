#!/usr/bin/env node
// The `sse-conformance` command (compiled to dist/bin/sse-conformance.js, the package's bin).
import { cli } from '../suite/cli.ts';

await cli(process.argv.slice(2));
