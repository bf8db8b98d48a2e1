/** Targets on loopback for tests of the API, the command and the action. */
import { createServer } from 'node:net';
import { startReferenceServer } from '../reference-server/server.ts';
import { mutants } from './mutants/catalogue.ts';
import { startMutant } from './mutants/server.ts';

/** A loopback port that was free a moment ago (nothing listens on it now). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface Targets {
  /** The reference server: passes everything. */
  reference: string;
  /** The lf-only-split mutant: fails server.data.split-lines on srv-data-lone-cr. */
  broken: string;
  close(): Promise<void>;
}

export async function startTargets(): Promise<Targets> {
  const server = await startReferenceServer({ keepAliveMs: 100 });
  const mutant = await startMutant(mutants.find((m) => m.name === 'lf-only-split')!.mutation);
  return { reference: server.url, broken: mutant.url, close: () => Promise.all([server.close(), mutant.close()]).then(() => undefined) };
}
