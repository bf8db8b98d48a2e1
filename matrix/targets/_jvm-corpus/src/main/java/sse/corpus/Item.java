package sse.corpus;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One entry of a server fixture's {@code send} list: a message ({@code id}, {@code event},
 * {@code data}, {@code retry}, {@code comment}; absent fields are null) or a pause ({@code delay}
 * in milliseconds). See spec/FIXTURES.md, "Stream fixtures".
 */
public record Item(String id, String event, String data, Long retry, String comment, Double delay) {

  public boolean isDelay() {
    return delay != null;
  }

  public long delayMs() {
    return Math.round(delay);
  }

  /** The names of the fields this message sets (a pause has none). */
  public Set<String> fields() {
    Set<String> out = new LinkedHashSet<>();
    if (id != null) out.add("id");
    if (event != null) out.add("event");
    if (data != null) out.add("data");
    if (retry != null) out.add("retry");
    if (comment != null) out.add("comment");
    return out;
  }

  /** True when the value contains CR or LF (a field value that must not reach the wire as is). */
  public static boolean hasLineBreak(String value) {
    return value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0);
  }
}
