package sse.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every JVM adapter shares and no SSE library provides: reading the corpus export
 * ({@code sse-conformance fixtures --json}, spec/FIXTURES.md "The JSON export"), deciding which
 * fixtures a library cannot express, and the application's event log for resumption. It never
 * writes a byte of the stream: the library under test does. The JVM twin of
 * matrix/targets/_shared/corpus.mjs.
 */
public final class Corpus {
  public static final String HOST = "127.0.0.1";

  private final Map<String, Fixture> fixtures;
  private final Expressible expressible;

  private Corpus(Map<String, Fixture> fixtures, Expressible expressible) {
    this.fixtures = fixtures;
    this.expressible = expressible;
  }

  /** The corpus named by the first program argument, judged by what the library can express. */
  public static Corpus fromArgs(String[] args, Expressible expressible) {
    if (args.length < 1) throw new IllegalArgumentException("usage: PORT=3000 java -jar <adapter>.jar <corpus.json>");
    return new Corpus(load(args[0]), expressible);
  }

  /** The port from PORT (default 3000); the host is always 127.0.0.1. */
  public static int port() {
    String port = System.getenv("PORT");
    return port == null || port.isEmpty() ? 3000 : Integer.parseInt(port);
  }

  /** The server fixtures (those with {@code send}) of a corpus export, by id. */
  public static Map<String, Fixture> load(String path) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(new File(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the corpus " + path, e);
    }
    Map<String, Fixture> out = new HashMap<>();
    for (JsonNode f : root.path("fixtures")) {
      if (!f.has("send")) continue;
      List<Item> send = new ArrayList<>();
      for (JsonNode m : f.get("send")) send.add(item(m));
      JsonNode resume = f.get("resume");
      String unknownId = resume == null ? null : resume.path("unknownId").asText("replay");
      out.put(f.get("id").asText(), new Fixture(f.get("id").asText(), List.copyOf(send), f.path("end").asText("close"), unknownId));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Item item(JsonNode m) {
    return new Item(
        text(m, "id"), text(m, "event"), text(m, "data"),
        m.has("retry") ? m.get("retry").asLong() : null,
        text(m, "comment"),
        m.has("delay") ? m.get("delay").asDouble() : null);
  }

  private static String text(JsonNode m, String field) {
    return m.has(field) && !m.get(field).isNull() ? m.get(field).asText() : null;
  }

  /**
   * What to do with a request for {@code fixtureId} that carried {@code lastEventId} (null: no
   * header): 404 with a reason when the fixture does not exist or the library cannot express it,
   * else the items to hand to the library and whether the stream stays open afterwards.
   */
  public Answer answer(String fixtureId, String lastEventId) {
    Fixture fixture = fixtures.get(fixtureId);
    if (fixture == null) return Answer.notFound("no server fixture " + fixtureId);
    List<Item> items = foldDataless(fixture.send(), expressible.foldable());
    for (Item item : items) {
      if (item.isDelay()) continue;
      for (Rule rule : expressible.rules()) {
        if (rule.matches().test(item)) return Answer.notFound("not expressible: " + rule.reason());
      }
    }
    return new Answer(null, itemsAfter(fixture, lastEventId, items), fixture.open());
  }

  /**
   * The items still to send to a client that reconnected with Last-Event-ID {@code lastId}: the
   * application's event log, for libraries that only hand over the header. A fixture without
   * {@code resume}, or a request without the header, gets everything.
   */
  public static List<Item> itemsAfter(Fixture fixture, String lastId, List<Item> items) {
    if (!fixture.resumes() || lastId == null) return items;
    for (int i = 0; i < items.size(); i++) {
      if (lastId.equals(items.get(i).id())) return items.subList(i + 1, items.size());
    }
    return "replay".equals(fixture.unknownId()) ? items : List.of();
  }

  /**
   * For libraries whose event call requires data: a message that sets only {@code foldable}
   * fields (a lone id, retry or comment) is folded into the event right after it when that one is
   * immediate, carries data and sets none of the same fields; the client receives exactly the
   * same events. What cannot be folded stays as it is, for a {@link Rule} to reject.
   */
  public static List<Item> foldDataless(List<Item> items, Set<String> foldable) {
    if (foldable.isEmpty()) return items;
    List<Item> out = new ArrayList<>();
    for (int i = items.size() - 1; i >= 0; i--) {
      Item m = items.get(i);
      Item next = out.isEmpty() ? null : out.get(0);
      boolean lone = !m.isDelay() && !m.fields().isEmpty() && foldable.containsAll(m.fields());
      boolean target = next != null && !next.isDelay() && next.data() != null
          && Collections.disjoint(m.fields(), next.fields());
      if (lone && target) {
        out.set(0, new Item(
            either(m.id(), next.id()), either(m.event(), next.event()), next.data(),
            either(m.retry(), next.retry()), either(m.comment(), next.comment()), null));
      } else {
        out.add(0, m);
      }
    }
    return out;
  }

  private static <T> T either(T first, T second) {
    return first != null ? first : second;
  }
}
