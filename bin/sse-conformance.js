#!/usr/bin/env node
// Development launcher: runs the command from the TypeScript sources through tsx (a
// devDependency). The installed package runs the compiled dist/bin/sse-conformance.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./sse-conformance.ts');
