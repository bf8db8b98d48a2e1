package sse.adapter.quarkus;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.List;
import java.util.Set;
import sse.corpus.Corpus;
import sse.corpus.Expressible;
import sse.corpus.Rule;

/**
 * Reads the corpus before Quarkus starts serving, then runs until stopped.
 * Usage: PORT=3000 java -jar target/app-runner.jar corpus.json
 */
@QuarkusMain
public class Application implements QuarkusApplication {
  // OutboundSseEvent.Builder.build() throws "Must set either comment or data": a lone id or retry
  // is folded into the next event (the client receives the same events), and one that cannot be
  // folded is a 404.
  static final Expressible EXPRESSIBLE = new Expressible(Set.of("id", "retry"), List.of(
      new Rule(item -> item.data() == null && item.comment() == null,
          "OutboundSseEvent.Builder requires data or a comment: a lone id/retry that cannot be folded into the next event")));

  public static void main(String... args) {
    Streams.corpus = Corpus.fromArgs(args, EXPRESSIBLE);
    Quarkus.run(Application.class, args);
  }

  @Override
  public int run(String... args) {
    System.out.println("java-quarkus listening on http://" + Corpus.HOST + ":" + Corpus.port());
    Quarkus.waitForExit();
    return 0;
  }
}
