package sse.adapter.springmvc;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import sse.corpus.Answer;
import sse.corpus.Corpus;
import sse.corpus.Expressible;
import sse.corpus.Item;
import sse.corpus.Rule;

/**
 * Spring MVC as its reference documentation writes SSE: a controller returns an {@link SseEmitter}
 * and another thread sends {@code SseEmitter.event()} builders through it, then completes it.
 * Every byte of the stream is written by SseEmitter. Spring MVC has no resume mechanism
 * (Last-Event-ID is read with {@code @RequestHeader}) and no keep-alive.
 * Usage: PORT=3000 java -jar target/app.jar corpus.json
 */
@SpringBootApplication
@RestController
public class Application {
  // SseEventBuilder.id() and .name() throw IllegalArgumentException on CR/LF: the value is
  // refused (safe), so there is nothing to judge. Everything else is expressible: a lone id or
  // retry is written as its own block, comments and data are split into lines by the builder.
  private static final Expressible EXPRESSIBLE = new Expressible(Set.of(), List.of(new Rule(
      item -> Item.hasLineBreak(item.id()) || Item.hasLineBreak(item.event()),
      "SseEventBuilder.id()/name() throw IllegalArgumentException on CR/LF (refused, safe)")));
  private static Corpus corpus;
  private final ExecutorService senders = Executors.newCachedThreadPool();

  @GetMapping("/{fixtureId}")
  public SseEmitter stream(
      @PathVariable String fixtureId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    Answer answer = corpus.answer(fixtureId, lastEventId);
    if (answer.notFound() != null) throw new ResponseStatusException(HttpStatus.NOT_FOUND, answer.notFound());
    // 0: no async timeout, so an open stream stays open until the client leaves.
    SseEmitter emitter = new SseEmitter(0L);
    senders.execute(() -> send(emitter, answer));
    return emitter;
  }

  private static void send(SseEmitter emitter, Answer answer) {
    try {
      for (Item item : answer.items()) {
        if (item.isDelay()) {
          Thread.sleep(item.delayMs());
          continue;
        }
        SseEmitter.SseEventBuilder event = SseEmitter.event();
        if (item.comment() != null) event.comment(item.comment());
        if (item.id() != null) event.id(item.id());
        if (item.event() != null) event.name(item.event());
        if (item.retry() != null) event.reconnectTime(item.retry());
        if (item.data() != null) event.data(item.data());
        emitter.send(event);
      }
      if (!answer.open()) emitter.complete();
    } catch (IOException | RuntimeException e) {
      emitter.completeWithError(e); // the client left, or the emitter refused the event
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    System.out.println("java-spring-mvc listening on http://" + Corpus.HOST + ":" + Corpus.port());
  }
}
