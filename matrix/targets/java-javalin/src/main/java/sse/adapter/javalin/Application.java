package sse.adapter.javalin;

import io.javalin.Javalin;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.Set;
import sse.corpus.Answer;
import sse.corpus.Corpus;
import sse.corpus.Expressible;
import sse.corpus.Item;
import sse.corpus.Rule;

/**
 * Javalin as its documentation writes SSE: {@code routes.sse(path, client -> ...)}, every message
 * sent with the SseClient ({@code sendEvent(event, data, id)}, {@code sendData(data, id)} when
 * there is no event name, {@code sendComment}), pauses slept in the handler, and
 * {@code client.keepAlive()} for a stream that stays open. Javalin has no resume mechanism
 * (Last-Event-ID is read from {@code client.ctx()}) and no heartbeat. A fixture the client cannot
 * express is answered 404 by a before-handler, because the sse handler has already committed the
 * event-stream headers when it calls the application.
 * Usage: PORT=3000 java -jar target/app.jar corpus.json
 */
public final class Application {
  // SseClient has no retry, and its send calls require data: a lone id is folded into the next
  // event (the client receives the same events); a lone id that cannot be folded, and any retry,
  // is a 404.
  static final Expressible EXPRESSIBLE = new Expressible(Set.of("id"), List.of(
      new Rule(item -> item.retry() != null, "SseClient has no API for the retry field"),
      new Rule(item -> item.data() == null && item.comment() == null,
          "SseClient.sendEvent/sendData require data: a lone id that cannot be folded into the next event"),
      new Rule(item -> item.comment() != null && item.fields().size() > 1,
          "sendComment writes a comment alone, not in an event's block")));

  public static void main(String[] args) {
    Corpus corpus = Corpus.fromArgs(args, EXPRESSIBLE);
    Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = Corpus.HOST;
      config.jetty.port = Corpus.port();
      config.routes.before("/{fixtureId}", ctx -> {
        Answer answer = corpus.answer(ctx.pathParam("fixtureId"), ctx.header("Last-Event-ID"));
        if (answer.notFound() != null) throw new NotFoundResponse(answer.notFound());
      });
      config.routes.sse("/{fixtureId}", client -> stream(client,
          corpus.answer(client.ctx().pathParam("fixtureId"), client.ctx().header("Last-Event-ID"))));
    }).start();
    System.out.println("java-javalin listening on http://" + Corpus.HOST + ":" + Corpus.port());
  }

  private static void stream(SseClient client, Answer answer) {
    for (Item item : answer.items()) {
      if (client.terminated()) return;
      if (item.isDelay()) {
        try {
          Thread.sleep(item.delayMs());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } else if (item.comment() != null) {
        client.sendComment(item.comment());
      } else if (item.event() != null) {
        client.sendEvent(item.event(), item.data(), item.id());
      } else {
        client.sendData(item.data(), item.id());
      }
    }
    // Without keepAlive() Javalin ends the response when this handler returns.
    if (answer.open()) client.keepAlive();
  }
}
