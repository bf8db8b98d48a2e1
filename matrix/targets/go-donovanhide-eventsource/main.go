// donovanhide/eventsource (Go module, pinned in ../go.mod) serving the server
// fixtures through the library's own API: an eventsource.Server, its Handler(channel), Publish for
// every event (the library's Encoder writes the wire) and, for fixtures that resume, a
// SliceRepository registered for the channel, which the library replays from when a client sends
// Last-Event-ID. Usage: PORT=3000 ./server corpus.json
//
// The library is a publish/subscribe hub with no way to end one subscriber's stream: each request
// gets its own Server (channel = the fixture id), and Server.Close() ends the stream once the
// fixture's events have gone out. The response writer is wrapped only to observe the library's
// Flush() calls (the first one follows the subscription; each later one follows an encoded event),
// so that publishing starts after the client is subscribed and Close() waits for the replay — the
// wrapper never writes a byte.
package main

import (
	"log"
	"net/http"
	"sync"

	"github.com/donovanhide/eventsource"

	"sse-conformance/matrix/targets/_shared/corpus"
)

// ── the library's Event ─────────────────────────────────────────────────────────────────────────

// message implements eventsource.Event: id, event name and data — all the library can carry.
type message struct{ id, event, data string }

func (m *message) Id() string    { return m.id }
func (m *message) Event() string { return m.event }
func (m *message) Data() string  { return m.data }

// What eventsource.Event cannot say: it has no retry and no comment. (A lone id needs no folding:
// the Encoder skips empty fields, so it writes "id: 5" and the blank line — exactly a lone id.)
func inexpressible(it corpus.Item) string {
	switch {
	case it.Comment != nil:
		return "eventsource.Event has no comment; the library never writes a comment line"
	case it.Retry != nil:
		return "eventsource.Event has no retry field"
	}
	return ""
}

// ── observing the library's flushes ─────────────────────────────────────────────────────────────

type observedWriter struct {
	http.ResponseWriter
	mu      sync.Mutex
	flushes int
	changed chan struct{}
}

func newObservedWriter(w http.ResponseWriter) *observedWriter {
	return &observedWriter{ResponseWriter: w, changed: make(chan struct{})}
}

func (o *observedWriter) Flush() {
	o.ResponseWriter.(http.Flusher).Flush()
	o.mu.Lock()
	o.flushes++
	close(o.changed)
	o.changed = make(chan struct{})
	o.mu.Unlock()
}

// The library asserts http.CloseNotifier; this is the real connection's.
func (o *observedWriter) CloseNotify() <-chan bool {
	return o.ResponseWriter.(http.CloseNotifier).CloseNotify()
}

// waitFlushes waits until the library has flushed at least n times; false if `done` came first.
func (o *observedWriter) waitFlushes(n int, done <-chan struct{}) bool {
	for {
		o.mu.Lock()
		count, changed := o.flushes, o.changed
		o.mu.Unlock()
		if count >= n {
			return true
		}
		select {
		case <-changed:
		case <-done:
			return false
		}
	}
}

// countingRepository hands the library its SliceRepository's replay unchanged and reports how many
// events it replayed, so that the stream is closed only after they are written.
type countingRepository struct {
	inner    *eventsource.SliceRepository
	replayed chan int
}

func (r *countingRepository) Replay(channel, id string) chan eventsource.Event {
	in := r.inner.Replay(channel, id)
	out := make(chan eventsource.Event)
	go func() {
		n := 0
		for ev := range in {
			out <- ev
			n++
		}
		close(out)
		r.replayed <- n
	}()
	return out
}

// ── the handler ─────────────────────────────────────────────────────────────────────────────────

func serveFixture(w http.ResponseWriter, req *http.Request, f *corpus.Fixture) {
	srv := eventsource.NewServer()

	channel := f.ID
	done := req.Context().Done()
	// The application's event log for this channel, in the library's SliceRepository: what it
	// replays from for a client that sends Last-Event-ID (ReplayAll stays false, the default).
	var repo *countingRepository
	if f.Resume != nil {
		repo = &countingRepository{inner: eventsource.NewSliceRepository(), replayed: make(chan int, 1)}
		for _, it := range f.Send {
			if it.Delay == nil {
				repo.inner.Add(channel, &message{corpus.Str(it.ID), corpus.Str(it.Event), corpus.Str(it.Data)})
			}
		}
		srv.Register(channel, repo)
	}
	replaying := repo != nil && req.Header.Get("Last-Event-ID") != ""

	ow := newObservedWriter(w)
	go func() {
		// Only this goroutine publishes, so only it may close the Server (a Publish after Close
		// would block for ever). It always does, once the client has gone at the latest.
		defer srv.Close()
		// The first flush comes right after the library registered the subscription.
		if !ow.waitFlushes(1, done) {
			return
		}
		if replaying {
			// The library replays the log; nothing new is published. Close once it is written.
			select {
			case n := <-repo.replayed:
				ow.waitFlushes(1+n, done)
			case <-done:
			}
			return
		}
		for _, it := range f.Send {
			if it.IsDelay() {
				if !corpus.Pause(req.Context(), it) {
					return
				}
				continue
			}
			srv.Publish([]string{channel}, &message{corpus.Str(it.ID), corpus.Str(it.Event), corpus.Str(it.Data)})
		}
		if f.End == "open" {
			// The library has no keep-alive: the stream stays open, silent, until the client leaves.
			<-done
		}
		// Published events sit in the subscriber's buffer; Close() lets the handler drain them, then end.
	}()
	srv.Handler(channel)(ow, req)
}

func main() {
	fixtures := corpus.FromArgs()
	http.HandleFunc("/", corpus.Handler(fixtures, "donovanhide/eventsource", false, inexpressible, func(w http.ResponseWriter, req *http.Request, f *corpus.Fixture, _ []corpus.Item) {
		serveFixture(w, req, f)
	}))
	corpus.Listening("go-donovanhide-eventsource")
	log.Fatal(http.ListenAndServe(corpus.Addr(), nil))
}
