/** The caps on every read of a target, and their defaults (the CLI's --timeout, --idle, --max-*). */
export interface Limits {
  /** Deadline for connecting and receiving the response headers. */
  timeoutMs: number;
  /** Stop once no byte arrived for this long. */
  idleMs: number;
  /** Stop after this long in total, whatever happens. */
  maxDurationMs: number;
  maxBytes: number;
  maxEvents: number;
  maxLineLength: number;
}

export const DEFAULT_LIMITS: Limits = {
  timeoutMs: 5000,
  idleMs: 1500,
  maxDurationMs: 30_000,
  maxBytes: 16 * 1024 * 1024,
  maxEvents: 10_000,
  maxLineLength: 1024 * 1024,
};
