package sse.adapter.quarkus;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
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
import java.time.Duration;
import sse.corpus.Answer;
import sse.corpus.Corpus;
import sse.corpus.Item;

/**
 * Quarkus REST as its guide writes SSE: a resource method with
 * {@code @Produces(SERVER_SENT_EVENTS)} returning {@code Multi<OutboundSseEvent>}, each event
 * built with the injected {@link Sse}'s {@code newEventBuilder()}; pauses are
 * {@code Uni.onItem().delayIt()}, and an open stream is the Multi never completing. Quarkus REST
 * writes every byte. It has no resume mechanism (Last-Event-ID is read with
 * {@code @HeaderParam}) and no keep-alive.
 */
@Path("/{fixtureId}")
public class Streams {
  static Corpus corpus;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public Multi<OutboundSseEvent> stream(
      @PathParam("fixtureId") String fixtureId,
      @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
      @Context Sse sse) {
    Answer answer = corpus.answer(fixtureId, lastEventId);
    if (answer.notFound() != null) throw new NotFoundException(answer.notFound());
    // A Uni that emits null is skipped: a pause emits nothing after its delay.
    Multi<OutboundSseEvent> events = Multi.createFrom().iterable(answer.items())
        .onItem().transformToUniAndConcatenate(item -> item.isDelay()
            ? Uni.createFrom().<OutboundSseEvent>nullItem().onItem().delayIt().by(Duration.ofMillis(item.delayMs()))
            : Uni.createFrom().item(event(sse, item)));
    return answer.open() ? Multi.createBy().concatenating().streams(events, Multi.createFrom().nothing()) : events;
  }

  private static OutboundSseEvent event(Sse sse, Item item) {
    OutboundSseEvent.Builder event = sse.newEventBuilder();
    if (item.id() != null) event.id(item.id());
    if (item.event() != null) event.name(item.event());
    if (item.retry() != null) event.reconnectDelay(item.retry());
    if (item.comment() != null) event.comment(item.comment());
    if (item.data() != null) event.data(String.class, item.data());
    return event.build();
  }
}
