package sseconformance.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The protocol side of a Java test service (spec/CLIENT-SERVICE.md), so each service's Main holds
 * only what its client's API does. A service calls {@link #serve} with its name, version,
 * capabilities and a factory that starts one client; {@link Reporter} posts callbacks to
 * {@code <callbackUrl>/<n>}, one at a time, in order, and nothing more once the client is closed.
 *
 * <pre>java -jar service.jar --port &lt;n&gt;      (prints "listening on http://127.0.0.1:&lt;n&gt;")</pre>
 */
public final class TestService {
  static final int MAX_BODY = 64 * 1024;
  static final ObjectMapper JSON = new ObjectMapper();

  /** One running client. */
  public interface Client {
    /** Stops the client; it may be called while the client is still connecting. */
    void close();

    /** Performs a command and tells whether it was accepted. */
    default boolean command(JsonNode body) {
      return false;
    }
  }

  /** Starts one client. */
  public interface Factory {
    Client create(Params params, Reporter report) throws Exception;
  }

  private record Entry(Client client, Reporter reporter) {
    void close() {
      reporter.stop();
      client.close();
    }
  }

  private TestService() {}

  /**
   * Serves the protocol. {@code warmUp} runs before the service listens: it loads the client's
   * classes, so that the first clients are not created by a cold JVM (seconds on a busy machine,
   * longer than a caller waits for {@code POST /}).
   */
  public static void serve(String name, String version, List<String> capabilities, Factory factory, Runnable warmUp, String[] args) throws IOException {
    warmUp.run();
    JSON.writeValueAsString(Map.of("kind", "event"));
    Reporter.warmUp();
    int port = 0;
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("--port")) port = Integer.parseInt(args[i + 1]);
    Map<String, Entry> clients = new ConcurrentHashMap<>();
    AtomicLong next = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(Executors.newCachedThreadPool(daemon -> {
      Thread thread = new Thread(daemon);
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/", exchange -> {
      try {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/") && method.equals("GET")) {
          send(exchange, 200, JSON.writeValueAsString(Map.of("name", name, "clientVersion", version, "capabilities", capabilities)), "application/json");
        } else if (path.equals("/") && method.equals("DELETE")) {
          send(exchange, 204, "", "text/plain");
          clients.values().forEach(Entry::close);
          clients.clear();
          new Thread(() -> {
            sleep(50);
            System.exit(0);
          }).start();
        } else if (path.equals("/") && method.equals("POST")) {
          Params params = Params.read(readJson(exchange));
          if (params == null) {
            send(exchange, 400, "the body must be JSON with streamUrl and callbackUrl", "text/plain");
            return;
          }
          Reporter reporter = new Reporter(params.callbackUrl());
          Client client;
          try {
            client = factory.create(params, reporter);
          } catch (Exception | LinkageError error) {
            reporter.stop();
            send(exchange, 500, String.valueOf(error), "text/plain");
            return;
          }
          String id = String.valueOf(next.incrementAndGet());
          clients.put(id, new Entry(client, reporter));
          exchange.getResponseHeaders().set("location", "/clients/" + id);
          send(exchange, 201, "", "text/plain");
        } else if (path.startsWith("/clients/")) {
          String id = path.substring("/clients/".length());
          if (method.equals("DELETE")) {
            Entry entry = clients.remove(id);
            if (entry == null) {
              send(exchange, 404, "no such client", "text/plain");
              return;
            }
            entry.close();
            send(exchange, 204, "", "text/plain");
          } else if (method.equals("POST")) {
            Entry entry = clients.get(id);
            JsonNode body = readJson(exchange);
            if (entry == null) send(exchange, 404, "no such client", "text/plain");
            else if (body != null && entry.client().command(body)) send(exchange, 202, "", "text/plain");
            else send(exchange, 400, "unsupported command " + (body == null ? "null" : body.path("command")), "text/plain");
          } else {
            send(exchange, 405, "method not allowed", "text/plain");
          }
        } else {
          send(exchange, 404, "no such resource", "text/plain");
        }
      } catch (Exception | LinkageError error) {
        try {
          send(exchange, 500, String.valueOf(error.getMessage()), "text/plain");
        } catch (IOException ignored) {
          exchange.close();
        }
      }
    });
    server.start();
    System.out.println("listening on http://127.0.0.1:" + server.getAddress().getPort());
    System.out.flush();
  }

  /**
   * The client's version: {@code client.version} of the service's pom, put in the jar as
   * {@code /client.properties} ("" if absent).
   */
  public static String clientVersion() {
    try (InputStream in = TestService.class.getResourceAsStream("/client.properties")) {
      if (in == null) return "";
      java.util.Properties properties = new java.util.Properties();
      properties.load(in);
      return properties.getProperty("version", "");
    } catch (IOException error) {
      return "";
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonNode readJson(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) return null;
      return JSON.readTree(body);
    } catch (IOException error) {
      return null;
    }
  }

  private static void send(HttpExchange exchange, int status, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
