package sse.corpus;

import java.util.List;

/**
 * The answer to one request: {@code notFound} (a reason, answered 404 so the suite reports SKIP),
 * or the {@code items} to hand to the library and whether the stream stays {@code open} after them.
 */
public record Answer(String notFound, List<Item> items, boolean open) {

  public static Answer notFound(String reason) {
    return new Answer(reason, List.of(), false);
  }
}
