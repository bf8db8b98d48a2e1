/**
 * Whether a test service can still be used, judged from the clients it refused (spec/CLIENT-SERVICE.md:
 * `POST /` creates a client). Refusals come in bursts when a service is only slow — every client
 * started at once times out together — so five in a row are not enough to give up: the service is
 * asked `GET /` once, and if it answers the run goes on (each refused client keeps its failure).
 * It counts as gone when it does not answer, or when five more clients are refused before one is
 * created. Once gone, it stays gone, and the reason says which it was.
 */

/** Refusals in a row before the service is asked whether it is still there. */
export const REFUSALS_BEFORE_PROBE = 5;

export interface ServiceWatch {
  /** Call before starting a client: resolves once no question to the service is pending. */
  ready(): Promise<void>;
  /** A client was created (null) or refused (why). */
  record(refusal: string | null): Promise<void>;
  /** Why the service counts as gone, or null while it can be used. */
  gone(): string | null;
}

/** `probe`: asks the service `GET /`; null when it answered, else why not. */
export function watchService(probe: () => Promise<string | null>): ServiceWatch {
  let refusals = 0;
  let probed = false;
  let gone: string | null = null;
  let pending: Promise<void> = Promise.resolve();

  async function ask(last: string): Promise<void> {
    const silent = await probe();
    if (silent !== null) gone = `the service refused ${refusals} clients in a row and did not answer GET / either (${silent}); the last refusal: ${last}`;
    probed = true;
  }

  return {
    ready: () => pending,
    async record(refusal) {
      if (gone !== null) return;
      if (refusal === null) {
        refusals = 0;
        probed = false;
        return;
      }
      refusals++;
      if (probed && refusals >= 2 * REFUSALS_BEFORE_PROBE) {
        gone = `the service refused ${refusals} clients in a row, though it still answers GET /; the last refusal: ${refusal}`;
      } else if (!probed && refusals === REFUSALS_BEFORE_PROBE) {
        pending = ask(refusal);
        await pending;
      }
    },
    gone: () => gone,
  };
}
