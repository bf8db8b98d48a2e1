/**
 * The hostile-target corpus: each case is a small loopback server that misbehaves in one way a
 * real (broken, overloaded or malicious) endpoint can, and what the suite must say about it in
 * probe mode. test/hostile.test.ts runs every case in-process and some through the CLI.
 */
import { connectionCases } from './connection-cases.ts';
import { streamCases } from './stream-cases.ts';
import type { HostileCase } from './case.ts';

export { PROBE_DEFAULTS, type HostileCase, type Target } from './case.ts';

export const cases: HostileCase[] = [...connectionCases, ...streamCases];
