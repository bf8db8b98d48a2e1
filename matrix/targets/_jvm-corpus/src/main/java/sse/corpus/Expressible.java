package sse.corpus;

import java.util.List;
import java.util.Set;

/**
 * What a library's event API can say: the fields of a data-less message it folds into the next
 * event ({@link Corpus#foldDataless}; empty: it writes such messages itself), and the messages it
 * cannot express at all.
 */
public record Expressible(Set<String> foldable, List<Rule> rules) {

  public static Expressible everything() {
    return new Expressible(Set.of(), List.of());
  }
}
