// tmaxmax/go-sse serving the server fixtures through its own API: sse.Upgrade gives the request's
// Session (which reads Last-Event-ID and sets Content-Type), every event is an sse.Message built
// with its own constructors — sse.NewID, sse.NewType, Retry, AppendComment, AppendData — and
// written with Session.Send + Session.Flush. Resumption is the library's: for a fixture that
// resumes, the fixture's events are Put into an sse.FiniteReplayer (the event log Joe, its
// provider, replays from), and a client that sends Last-Event-ID gets Replay()'s answer. An open
// stream gets a comment message every second.
//
// The library's Server is a publish/subscribe hub (Joe) whose sessions end only when the client
// leaves or the provider shuts down; the fixtures are one finite stream per request, so the
// adapter uses the Session API that Server itself is built on.
// Usage: PORT=3000 ./server corpus.json
package main

import (
	"log"
	"net/http"
	"time"

	sse "github.com/tmaxmax/go-sse"

	"sse-conformance/matrix/targets/_shared/corpus"
)

// What sse.Message refuses: NewID and NewType return an error for a value with a line break.
func inexpressible(it corpus.Item) string {
	if it.ID != nil {
		if _, err := sse.NewID(*it.ID); err != nil {
			return "sse.NewID refuses it: " + err.Error()
		}
	}
	if it.Event != nil {
		if _, err := sse.NewType(*it.Event); err != nil {
			return "sse.NewType refuses it: " + err.Error()
		}
	}
	return ""
}

func toMessage(it corpus.Item) *sse.Message {
	m := &sse.Message{}
	if it.ID != nil {
		m.ID, _ = sse.NewID(*it.ID) // checked by inexpressible
	}
	if it.Event != nil {
		m.Type, _ = sse.NewType(*it.Event)
	}
	if it.Retry != nil {
		m.Retry = time.Duration(*it.Retry) * time.Millisecond
	}
	if it.Comment != nil {
		m.AppendComment(*it.Comment)
	}
	if it.Data != nil {
		m.AppendData(*it.Data)
	}
	return m
}

// replay answers a client that sent Last-Event-ID from the library's FiniteReplayer holding the
// fixture's events (only messages with an id can be replayed: the replayer requires one).
func replay(sess *sse.Session, f *corpus.Fixture) error {
	topic := []string{f.ID}
	replayer, err := sse.NewFiniteReplayer(len(f.Send)+2, false)
	if err != nil {
		return err
	}
	for _, it := range f.Send {
		if !it.IsDelay() && it.ID != nil {
			if _, err := replayer.Put(toMessage(it), topic); err != nil {
				return err
			}
		}
	}
	return replayer.Replay(sse.Subscription{Client: sess, LastEventID: sess.LastEventID, Topics: topic})
}

func main() {
	fixtures := corpus.FromArgs()
	http.HandleFunc("/", corpus.Handler(fixtures, "go-sse", false, inexpressible, func(w http.ResponseWriter, r *http.Request, f *corpus.Fixture, _ []corpus.Item) {
		sess, err := sse.Upgrade(w, r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := sess.Flush(); err != nil { // the response headers, before any pause
			return
		}
		ctx := r.Context()
		if f.Resume != nil && sess.LastEventID.IsSet() {
			if err := replay(sess, f); err != nil {
				log.Printf("replay: %v", err)
			}
			return
		}
		for _, it := range f.Send {
			if it.IsDelay() {
				if !corpus.Pause(ctx, it) {
					return
				}
				continue
			}
			if sess.Send(toMessage(it)) != nil || sess.Flush() != nil {
				return
			}
		}
		if !f.Open() {
			return
		}
		corpus.KeepAlive(ctx, func() error {
			ping := &sse.Message{}
			ping.AppendComment("ping")
			if err := sess.Send(ping); err != nil {
				return err
			}
			return sess.Flush()
		})
	}))
	corpus.Listening("go-tmaxmax-sse")
	log.Fatal(http.ListenAndServe(corpus.Addr(), nil))
}
