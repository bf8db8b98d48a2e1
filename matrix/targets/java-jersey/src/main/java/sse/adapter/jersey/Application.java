package sse.adapter.jersey;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import sse.corpus.Answer;
import sse.corpus.Corpus;
import sse.corpus.Expressible;
import sse.corpus.Item;
import sse.corpus.Rule;

/**
 * Jersey's JAX-RS SSE as the JAX-RS specification writes it: a resource method with
 * {@code @Produces(SERVER_SENT_EVENTS)} and an injected {@link SseEventSink} and {@link Sse};
 * another thread builds every message with {@code sse.newEventBuilder()} and sends it through the
 * sink, then closes the sink. Jersey's OutboundEventWriter writes every byte. JAX-RS has no resume
 * mechanism on the server (Last-Event-ID is read with {@code @HeaderParam}) and no keep-alive.
 * Usage: PORT=3000 java -jar target/app.jar corpus.json
 */
@Path("{fixtureId}")
public class Application {
  // OutboundSseEvent.Builder.build() throws IllegalStateException when neither data nor a
  // comment is set: a lone id or retry is folded into the next event (the client receives the
  // same events), and one that cannot be folded is a 404.
  static final Expressible EXPRESSIBLE = new Expressible(Set.of("id", "retry"), List.of(
      new Rule(item -> item.data() == null && item.comment() == null,
          "OutboundSseEvent.Builder requires data or a comment: a lone id/retry that cannot be folded into the next event")));
  private static Corpus corpus;
  private static final ExecutorService SENDERS = Executors.newCachedThreadPool();

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @PathParam("fixtureId") String fixtureId,
      @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse) {
    Answer answer = corpus.answer(fixtureId, lastEventId);
    if (answer.notFound() != null) throw new NotFoundException(answer.notFound());
    SENDERS.execute(() -> send(sink, sse, answer));
  }

  private static void send(SseEventSink sink, Sse sse, Answer answer) {
    try {
      for (Item item : answer.items()) {
        if (sink.isClosed()) return;
        if (item.isDelay()) {
          Thread.sleep(item.delayMs());
          continue;
        }
        OutboundSseEvent.Builder event = sse.newEventBuilder();
        if (item.id() != null) event.id(item.id());
        if (item.event() != null) event.name(item.event());
        if (item.retry() != null) event.reconnectDelay(item.retry());
        if (item.comment() != null) event.comment(item.comment());
        if (item.data() != null) event.data(String.class, item.data());
        sink.send(event.build()).toCompletableFuture().join();
      }
      if (!answer.open()) close(sink);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      close(sink); // the client left, or the event was refused
    }
  }

  private static void close(SseEventSink sink) {
    try {
      sink.close();
    } catch (IOException e) {
      // already gone
    }
  }

  public static void main(String[] args) {
    corpus = Corpus.fromArgs(args, EXPRESSIBLE);
    URI base = URI.create("http://" + Corpus.HOST + ":" + Corpus.port() + "/");
    GrizzlyHttpServerFactory.createHttpServer(base, new ResourceConfig(Application.class));
    System.out.println("java-jersey listening on " + base);
  }
}
