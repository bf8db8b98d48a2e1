// The package entry for plain JavaScript: registers tsx so the TypeScript sources load as they
// are, then re-exports the programmatic API of suite/index.ts (types: see "types" in package.json).
import { register } from 'tsx/esm/api';

register();
const api = await import('./suite/index.ts');

export const { runConformance, registerConformanceTests, startReferenceServer, createInterpreter, interpret, loadFixtures, requirements } = api;
