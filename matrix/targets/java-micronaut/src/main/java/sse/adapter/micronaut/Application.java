package sse.adapter.micronaut;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.sse.Event;
import io.micronaut.runtime.Micronaut;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import sse.corpus.Answer;
import sse.corpus.Corpus;
import sse.corpus.Expressible;
import sse.corpus.Item;
import sse.corpus.Rule;

/**
 * Micronaut as its guide writes SSE: a controller method producing {@code text/event-stream}
 * returns a {@code Publisher<Event<String>>} (a Reactor Flux), each message made with
 * {@code Event.of(data)} and its {@code id}, {@code name}, {@code retry} and {@code comment};
 * pauses are {@code Mono.delay}, and an open stream is the Flux never completing. Micronaut writes
 * every byte. It has no resume mechanism (Last-Event-ID is read with {@code @Header}) and no
 * keep-alive. Usage: PORT=3000 java -jar target/app.jar corpus.json
 */
@Controller
public class Application {
  // Event.of(data) throws "Argument [data] cannot be null": an event always carries data. A lone
  // id, retry or comment is folded into the event right after it (the client receives the same
  // events, and the comment still goes out, in that event's block); one that cannot be folded is
  // a 404.
  static final Expressible EXPRESSIBLE = new Expressible(Set.of("id", "retry", "comment"), List.of(
      new Rule(item -> item.data() == null,
          "Event.of(data) requires data: a lone id/retry/comment that cannot be folded into the next event")));
  private static Corpus corpus;

  @Get(uri = "/{fixtureId}", produces = MediaType.TEXT_EVENT_STREAM)
  public Publisher<Event<String>> stream(
      @PathVariable String fixtureId, @Nullable @Header("Last-Event-ID") String lastEventId) {
    Answer answer = corpus.answer(fixtureId, lastEventId);
    if (answer.notFound() != null) throw new HttpStatusException(HttpStatus.NOT_FOUND, answer.notFound());
    Flux<Event<String>> events = Flux.fromIterable(answer.items())
        .concatMap(item -> item.isDelay()
            ? Mono.delay(Duration.ofMillis(item.delayMs())).then(Mono.<Event<String>>empty())
            : Mono.just(event(item)));
    return answer.open() ? events.concatWith(Flux.never()) : events;
  }

  private static Event<String> event(Item item) {
    Event<String> event = Event.of(item.data());
    if (item.id() != null) event = event.id(item.id());
    if (item.event() != null) event = event.name(item.event());
    if (item.retry() != null) event = event.retry(Duration.ofMillis(item.retry()));
    if (item.comment() != null) event = event.comment(item.comment());
    return event;
  }

  public static void main(String[] args) {
    corpus = Corpus.fromArgs(args, EXPRESSIBLE);
    Micronaut.build(new String[0])
        .mainClass(Application.class)
        .banner(false)
        .properties(Map.of("micronaut.server.host", Corpus.HOST, "micronaut.server.port", Corpus.port()))
        .start();
    System.out.println("java-micronaut listening on http://" + Corpus.HOST + ":" + Corpus.port());
  }
}
