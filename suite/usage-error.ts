/**
 * A mistake in how the suite was invoked (an option, a URL, a baseline that cannot be read): one
 * line on stderr and exit 2, never a stack trace.
 */
export class UsageError extends Error {}
