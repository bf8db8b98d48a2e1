package sseconformance.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Posts callbacks in order from a thread of its own; after {@link #stop()} nothing more is posted. */
public final class Reporter {
  private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(CALLBACK_TIMEOUT).build();
  private static final Object STOP = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile boolean stopped;

  Reporter(String callbackUrl) {
    Thread poster = new Thread(() -> {
      int n = 0;
      while (true) {
        Object message;
        try {
          message = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        if (message == STOP || stopped) return;
        n++;
        try {
          HttpRequest request = HttpRequest.newBuilder(URI.create(callbackUrl + "/" + n))
              .timeout(CALLBACK_TIMEOUT)
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(TestService.JSON.writeValueAsString(message)))
              .build();
          HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException | RuntimeException e) {
          // a lost callback is the harness's to notice
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    poster.setDaemon(true);
    poster.start();
  }

  /** Loads the callback client's classes. */
  static void warmUp() {
    HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).POST(HttpRequest.BodyPublishers.ofString("")).build();
  }

  void stop() {
    stopped = true;
    queue.add(STOP);
  }

  /** Posts one callback body. */
  public void report(Map<String, Object> message) {
    if (!stopped) queue.add(message);
  }

  /** An event (an empty type is read as {@code message}). */
  public void event(String type, String data, String id) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type == null ? "" : type);
    event.put("data", data);
    event.put("id", id == null ? "" : id);
    report(Map.of("kind", "event", "event", event));
  }

  public void comment(String comment) {
    report(Map.of("kind", "comment", "comment", comment));
  }

  /** An error; {@code readyState} null where the client has none. */
  public void error(String text, Integer readyState) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("kind", "error");
    message.put("error", text == null ? "" : text);
    if (readyState != null) message.put("readyState", readyState);
    report(message);
  }

  public void open(Integer readyState) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("kind", "open");
    if (readyState != null) message.put("readyState", readyState);
    report(message);
  }

  public void reconnecting(long delayMs) {
    report(Map.of("kind", "reconnecting", "delayMs", delayMs));
  }
}
