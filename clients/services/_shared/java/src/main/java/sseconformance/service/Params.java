package sseconformance.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code POST /} carries: one client to create. {@code initialDelayMs} null: the client's default. */
public record Params(
    String streamUrl,
    String callbackUrl,
    Long initialDelayMs,
    Long readTimeoutMs,
    String lastEventId,
    String method,
    String body,
    Map<String, String> headers) {

  static Params read(JsonNode doc) {
    if (doc == null || !doc.path("streamUrl").isTextual() || !doc.path("callbackUrl").isTextual()) return null;
    Map<String, String> headers = new LinkedHashMap<>();
    doc.path("headers").fields().forEachRemaining(field -> {
      if (field.getValue().isTextual()) headers.put(field.getKey(), field.getValue().asText());
    });
    return new Params(
        doc.get("streamUrl").asText(),
        doc.get("callbackUrl").asText(),
        doc.path("initialDelayMs").isNumber() ? doc.get("initialDelayMs").asLong() : null,
        doc.path("readTimeoutMs").isNumber() ? doc.get("readTimeoutMs").asLong() : null,
        doc.path("lastEventId").isTextual() && !doc.get("lastEventId").asText().isEmpty() ? doc.get("lastEventId").asText() : null,
        doc.path("method").isTextual() && !doc.get("method").asText().isEmpty() ? doc.get("method").asText() : null,
        doc.path("body").isTextual() ? doc.get("body").asText() : null,
        headers);
  }
}
