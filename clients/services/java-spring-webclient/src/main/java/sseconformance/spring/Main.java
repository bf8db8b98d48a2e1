package sseconformance.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import sseconformance.service.Params;
import sseconformance.service.Reporter;
import sseconformance.service.TestService;

/**
 * Test service (spec/CLIENT-SERVICE.md) for Spring WebFlux's {@link WebClient} reading
 * {@code Flux<ServerSentEvent<String>>}, the way Spring documents consuming an event stream:
 * {@code retrieve().bodyToFlux(...)}. Each element is reported as it is: its {@code comment()} as a
 * comment, and an element with data, an event name or an ID as an event (a missing type is
 * {@code message}; {@code id()} is that element's own ID, not a last event ID). The end of the
 * Flux, with or without an error, is an error callback. WebClient has no reconnection of its own,
 * so none is added.
 */
public final class Main {
  private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {};

  private Main() {}

  static TestService.Client create(Params params, Reporter report) {
    HttpClient http = HttpClient.create().followRedirect(true);
    if (params.readTimeoutMs() != null) http = http.responseTimeout(Duration.ofMillis(params.readTimeoutMs()));
    WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    WebClient.RequestBodySpec request = client
        .method(HttpMethod.valueOf(params.method() == null ? "GET" : params.method()))
        .uri(params.streamUrl())
        .headers(headers -> params.headers().forEach(headers::set));
    if (params.lastEventId() != null) request = request.header("Last-Event-ID", params.lastEventId());
    WebClient.RequestHeadersSpec<?> ready = params.body() == null ? request : request.bodyValue(params.body());
    Disposable subscription = ready.retrieve().bodyToFlux(EVENTS).subscribe(
        event -> {
          if (event.comment() != null) report.comment(event.comment());
          if (event.data() != null || event.event() != null || event.id() != null) report.event(event.event(), event.data() == null ? "" : event.data(), event.id());
        },
        error -> report.error(String.valueOf(error), null),
        () -> report.error("the stream ended", null));
    return subscription::dispose;
  }

  public static void main(String[] args) throws Exception {
    TestService.serve(
        "java-spring-webclient",
        TestService.clientVersion(),
        List.of("comments", "headers", "post", "report"),
        Main::create,
        // Builds (never subscribes) one WebClient request over Reactor Netty.
        () -> WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create())).build()
            .get().uri("http://127.0.0.1/").retrieve().bodyToFlux(EVENTS),
        args);
  }
}
