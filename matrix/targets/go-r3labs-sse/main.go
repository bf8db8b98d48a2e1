// r3labs/sse v2 serving the server fixtures through its Server: streams, Publish, and the
// library's ServeHTTP, which writes every byte (headers, fields, flushes). Two Servers, as the
// library is configured for two uses:
//
//   - fixtures that resume use the library's event log: a Server with AutoReplay (its default)
//     and one stream per fixture, into which the fixture's events are published at start-up. The
//     library numbers logged events itself (0, 1, 2, …), reads Last-Event-ID (a number) and
//     replays from its log; after the replay the application publishes an empty event, which is
//     how the library ends a subscriber's stream (ServeHTTP stops at an event with neither data
//     nor comment);
//   - every other fixture gets a fresh stream per request on a Server with AutoReplay off (so
//     the application's own ids are sent), its events published with the fixture's pauses, then
//     the empty event; an open stream gets a comment event every second instead.
//
// Both Servers split multi-line data into data lines (SplitData, the library's option for it).
// ServeHTTP takes the stream from the query (?stream=); the route /<id> sets it, as a mux would.
// Usage: PORT=3000 ./server corpus.json
package main

import (
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/r3labs/sse/v2"

	"sse-conformance/matrix/targets/_shared/corpus"
)

// What sse.Event cannot say: an event with neither data nor comment ends the stream, so a lone
// id or retry that cannot be folded into the next event cannot be sent.
func inexpressible(it corpus.Item) string {
	if it.Data == nil && it.Comment == nil {
		return "ServeHTTP ends the stream at an event with neither data nor comment: a lone id/retry that cannot be folded"
	}
	return ""
}

func toEvent(it corpus.Item) *sse.Event {
	ev := &sse.Event{ID: []byte(corpus.Str(it.ID)), Data: []byte(corpus.Str(it.Data)), Event: []byte(corpus.Str(it.Event)), Comment: []byte(corpus.Str(it.Comment))}
	if it.Retry != nil {
		ev.Retry = []byte(strconv.FormatInt(*it.Retry, 10))
	}
	return ev
}

// subscribed hands each stream's OnSubscribe to whoever waits for it.
type subscribed struct{ waiting sync.Map }

func (s *subscribed) wait(streamID string) chan struct{} {
	ch := make(chan struct{}, 1)
	s.waiting.Store(streamID, ch)
	return ch
}

func (s *subscribed) fire(streamID string, _ *sse.Subscriber) {
	if ch, ok := s.waiting.LoadAndDelete(streamID); ok {
		ch.(chan struct{}) <- struct{}{}
	}
}

// serveStream points the library's ServeHTTP at one stream, as a route with the stream in its path would.
func serveStream(srv *sse.Server, streamID string, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Set("stream", streamID)
	r.URL.RawQuery = q.Encode()
	srv.ServeHTTP(w, r)
}

func main() {
	fixtures := corpus.FromArgs()

	// Resumable fixtures: the library's event log.
	replay := sse.New()
	replay.SplitData = true
	replay.OnSubscribe = func(streamID string, _ *sse.Subscriber) {
		// The replay has been queued for this subscriber; the empty event ends its stream after it.
		replay.Publish(streamID, &sse.Event{})
	}
	for id, f := range fixtures {
		if f.Resume == nil {
			continue
		}
		items := corpus.FoldDataless(f.Send)
		if corpus.Inexpressible(items, inexpressible) != "" {
			continue
		}
		replay.CreateStream(id)
		for _, it := range items {
			if !it.IsDelay() {
				replay.Publish(id, toEvent(it))
			}
		}
	}

	// Every other fixture: a stream per request.
	live := sse.New()
	live.AutoReplay = false
	live.SplitData = true
	var waits subscribed
	live.OnSubscribe = waits.fire
	var counter atomic.Int64

	http.HandleFunc("/", corpus.Handler(fixtures, "r3labs/sse", true, inexpressible, func(w http.ResponseWriter, r *http.Request, f *corpus.Fixture, items []corpus.Item) {
		if f.Resume != nil {
			serveStream(replay, f.ID, w, r)
			return
		}
		streamID := fmt.Sprintf("%s.%d", f.ID, counter.Add(1))
		live.CreateStream(streamID)
		ready := waits.wait(streamID)
		ctx := r.Context()
		go func() {
			select {
			case <-ready:
			case <-ctx.Done():
				return
			}
			for _, it := range items {
				if it.IsDelay() {
					if !corpus.Pause(ctx, it) {
						return
					}
					continue
				}
				live.Publish(streamID, toEvent(it))
			}
			if !f.Open() {
				live.Publish(streamID, &sse.Event{})
				return
			}
			corpus.KeepAlive(ctx, func() error {
				live.Publish(streamID, &sse.Event{Comment: []byte("ping")})
				return nil
			})
		}()
		serveStream(live, streamID, w, r)
		// The library unsubscribes once the request's context ends; the stream goes after that.
		go func() {
			time.Sleep(2 * time.Second)
			live.RemoveStream(streamID)
		}()
	}))
	corpus.Listening("go-r3labs-sse")
	log.Fatal(http.ListenAndServe(corpus.Addr(), nil))
}
