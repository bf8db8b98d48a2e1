package sse.adapter.webflux;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import sse.corpus.Answer;
import sse.corpus.Corpus;
import sse.corpus.Expressible;
import sse.corpus.Item;
import sse.corpus.Rule;

/**
 * Spring WebFlux as its reference documentation writes SSE: a controller returns
 * {@code Flux<ServerSentEvent<String>>}, each event made with {@code ServerSentEvent.builder()},
 * and WebFlux's ServerSentEventHttpMessageWriter writes every byte. Pauses are
 * {@code Mono.delay}. WebFlux has no resume mechanism (Last-Event-ID is read with
 * {@code @RequestHeader}) and no keep-alive; an open stream is the Flux never completing.
 * Usage: PORT=3000 java -jar target/app.jar corpus.json
 */
@SpringBootApplication
@RestController
public class Application {
  // ServerSentEvent.Builder.id() and .event() throw IllegalArgumentException on CR/LF: the
  // value is refused (safe), so there is nothing to judge. Everything else is expressible: a lone
  // id or retry is its own block; comments and data are split into lines by the writer.
  private static final Expressible EXPRESSIBLE = new Expressible(Set.of(), List.of(new Rule(
      item -> Item.hasLineBreak(item.id()) || Item.hasLineBreak(item.event()),
      "ServerSentEvent.Builder.id()/event() throw IllegalArgumentException on CR/LF (refused, safe)")));
  private static Corpus corpus;

  @GetMapping("/{fixtureId}")
  public Flux<ServerSentEvent<String>> stream(
      @PathVariable String fixtureId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    Answer answer = corpus.answer(fixtureId, lastEventId);
    if (answer.notFound() != null) throw new ResponseStatusException(HttpStatus.NOT_FOUND, answer.notFound());
    Flux<ServerSentEvent<String>> events = Flux.fromIterable(answer.items())
        .concatMap(item -> item.isDelay()
            ? Mono.delay(Duration.ofMillis(item.delayMs())).then(Mono.<ServerSentEvent<String>>empty())
            : Mono.just(event(item)));
    return answer.open() ? events.concatWith(Flux.never()) : events;
  }

  private static ServerSentEvent<String> event(Item item) {
    ServerSentEvent.Builder<String> event = ServerSentEvent.builder();
    if (item.id() != null) event.id(item.id());
    if (item.event() != null) event.event(item.event());
    if (item.retry() != null) event.retry(Duration.ofMillis(item.retry()));
    if (item.comment() != null) event.comment(item.comment());
    if (item.data() != null) event.data(item.data());
    return event.build();
  }

  public static void main(String[] args) {
    corpus = Corpus.fromArgs(args, EXPRESSIBLE);
    SpringApplication app = new SpringApplication(Application.class);
    app.setDefaultProperties(Map.of(
        "server.address", Corpus.HOST,
        "server.port", Corpus.port(),
        "spring.main.banner-mode", "off",
        "spring.jmx.enabled", "false",
        // Boot's default graceful shutdown waits up to 30 s for open streams to finish.
        "server.shutdown", "immediate",
        "logging.level.root", "warn"));
    app.run();
    System.out.println("java-spring-webflux listening on http://" + Corpus.HOST + ":" + Corpus.port());
  }
}
