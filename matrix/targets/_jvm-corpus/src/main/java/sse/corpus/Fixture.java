package sse.corpus;

import java.util.List;

/**
 * A server fixture of the corpus export: what the application hands to the library
 * ({@code send}), how the stream ends ({@code close} or {@code open}) and, for a fixture with
 * {@code resume}, what an unknown Last-Event-ID gets ({@code replay} or {@code nothing}; null when
 * the fixture does not resume).
 */
public record Fixture(String id, List<Item> send, String end, String unknownId) {

  public boolean open() {
    return "open".equals(end);
  }

  public boolean resumes() {
    return unknownId != null;
  }
}
