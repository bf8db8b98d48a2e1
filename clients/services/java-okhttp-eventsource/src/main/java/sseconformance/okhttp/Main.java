package sseconformance.okhttp;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.HttpConnectStrategy;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.ReadyState;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import sseconformance.service.Params;
import sseconformance.service.Reporter;
import sseconformance.service.TestService;

/**
 * Test service (spec/CLIENT-SERVICE.md) for LaunchDarkly's okhttp-eventsource, through its push
 * API: a {@link BackgroundEventSource} over an {@link EventSource} with the default error handling
 * (every error is retried), each handler call reported as it is: {@code onOpen} as open,
 * {@code onMessage} as an event ({@code getLastEventId()} is the last event ID in force),
 * {@code onComment} as a comment, {@code onError} as an error, with the ready state of the
 * underlying EventSource ({@code onClosed} follows every {@code onError} that ends a connection and
 * is not reported twice). {@code restart} is {@code EventSource.interrupt()}.
 */
public final class Main {
  private Main() {}

  /**
   * The library's states as the EventSource interface's: its CLOSED is a connection that ended and
   * will be retried (the interface's CONNECTING); only SHUTDOWN is for good.
   */
  static Integer readyState(EventSource source) {
    ReadyState state = source.getState();
    return switch (state) {
      case RAW, CONNECTING, CLOSED -> 0;
      case OPEN -> 1;
      case SHUTDOWN -> 2;
    };
  }

  static TestService.Client create(Params params, Reporter report) {
    HttpConnectStrategy connect = ConnectStrategy.http(URI.create(params.streamUrl()));
    for (var header : params.headers().entrySet()) connect = connect.header(header.getKey(), header.getValue());
    if (params.method() != null) {
      RequestBody body = params.body() == null ? null : RequestBody.create(params.body(), MediaType.get("text/plain; charset=utf-8"));
      connect = connect.methodAndBody(params.method(), body);
    }
    if (params.readTimeoutMs() != null) connect = connect.readTimeout(params.readTimeoutMs(), TimeUnit.MILLISECONDS);
    EventSource.Builder builder = new EventSource.Builder(connect);
    if (params.lastEventId() != null) builder.lastEventId(params.lastEventId());
    if (params.initialDelayMs() != null) builder.retryDelay(params.initialDelayMs(), TimeUnit.MILLISECONDS);
    EventSource[] source = new EventSource[1];
    BackgroundEventHandler handler = new BackgroundEventHandler() {
      @Override
      public void onOpen() {
        report.open(readyState(source[0]));
      }

      @Override
      public void onClosed() {
        // The end of a connection; onError has already told why, so nothing more is reported.
      }

      @Override
      public void onMessage(String event, MessageEvent message) {
        report.event(event, message.getData(), message.getLastEventId());
      }

      @Override
      public void onComment(String comment) {
        report.comment(comment);
      }

      @Override
      public void onError(Throwable error) {
        report.error(String.valueOf(error), readyState(source[0]));
      }
    };
    BackgroundEventSource background = new BackgroundEventSource.Builder(handler, builder).build();
    source[0] = background.getEventSource();
    background.start();
    return new TestService.Client() {
      @Override
      public void close() {
        background.close();
      }

      @Override
      public boolean command(JsonNode body) {
        if (!"restart".equals(body.path("command").asText())) return false;
        background.getEventSource().interrupt();
        return true;
      }
    };
  }

  public static void main(String[] args) throws Exception {
    TestService.serve(
        "java-okhttp-eventsource",
        TestService.clientVersion(),
        List.of("comments", "headers", "last-event-id", "post", "report", "read-timeout", "restart", "open-events", "ready-state"),
        Main::create,
        // Builds (never starts) one EventSource and its OkHttp client.
        () -> new EventSource.Builder(ConnectStrategy.http(URI.create("http://127.0.0.1/")).header("x", "y")).build().close(),
        args);
  }
}
