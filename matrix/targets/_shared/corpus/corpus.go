// Package corpus is what every Go target shares and no SSE library provides: reading the corpus
// export, the application's pauses, and its event log for resumption (the Go twin of
// ../corpus.mjs). It never writes a byte of the stream.
package corpus

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"
)

// Item is one entry of a fixture's `send` list: a message, or a pause (Delay, in ms).
type Item struct {
	ID      *string  `json:"id"`
	Event   *string  `json:"event"`
	Data    *string  `json:"data"`
	Retry   *int64   `json:"retry"`
	Comment *string  `json:"comment"`
	Delay   *float64 `json:"delay"`
}

// IsDelay tells a pause from a message.
func (it Item) IsDelay() bool { return it.Delay != nil }

// Fixture is a server fixture of the export: what the application asks the server to send.
type Fixture struct {
	ID     string `json:"id"`
	Send   []Item `json:"send"`
	End    string `json:"end"`
	Resume *struct {
		UnknownID string `json:"unknownId"`
	} `json:"resume"`
}

// Open reports whether the stream stays open after its items (`end: open`).
func (f *Fixture) Open() bool { return f.End == "open" }

// Load reads the server fixtures of a corpus export (`sse-conformance fixtures --json`), by id.
func Load(path string) map[string]*Fixture {
	raw, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var corpus struct {
		Fixtures []*Fixture `json:"fixtures"`
	}
	if err := json.Unmarshal(raw, &corpus); err != nil {
		log.Fatal(err)
	}
	out := map[string]*Fixture{}
	for _, f := range corpus.Fixtures {
		if f.Send != nil {
			out[f.ID] = f
		}
	}
	return out
}

// FromArgs loads the corpus named by the first argument, or exits with the usage line.
func FromArgs() map[string]*Fixture {
	if len(os.Args) < 2 {
		log.Fatal("usage: PORT=3000 ./server <corpus.json>")
	}
	return Load(os.Args[1])
}

// Addr is 127.0.0.1:$PORT (3000 when PORT is unset).
func Addr() string {
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	return "127.0.0.1:" + port
}

// Listening logs where the adapter listens.
func Listening(name string) { fmt.Printf("%s listening on http://%s\n", name, Addr()) }

// FixtureOf is the fixture a request path names (/<id>), or nil.
func FixtureOf(fixtures map[string]*Fixture, r *http.Request) *Fixture {
	return fixtures[strings.TrimPrefix(r.URL.Path, "/")]
}

// LastEventID is the request's Last-Event-ID header and whether it was sent at all.
func LastEventID(r *http.Request) (string, bool) {
	values, has := r.Header["Last-Event-Id"]
	if !has || len(values) == 0 {
		return "", false
	}
	return values[0], true
}

// ItemsAfter is what is still to send to a client that reconnected with Last-Event-ID: the
// application's event log, for libraries that only hand over the header. A fixture without
// `resume`, or a request without the header, gets everything.
func ItemsAfter(f *Fixture, items []Item, lastID string, has bool) []Item {
	if f.Resume == nil || !has {
		return items
	}
	for i, it := range items {
		if it.ID != nil && *it.ID == lastID {
			return items[i+1:]
		}
	}
	if f.Resume.UnknownID == "replay" {
		return items
	}
	return nil
}

// FoldDataless: for libraries whose event call requires data, a message carrying only an id
// and/or a retry is folded into the event right after it when that is immediate, carries data
// and sets none of the same fields — the client receives exactly the same events. What cannot be
// folded stays as it is (for the adapter's own inexpressible rules).
func FoldDataless(items []Item) []Item {
	var out []Item
	for i := len(items) - 1; i >= 0; i-- {
		m := items[i]
		lone := m.Delay == nil && m.Data == nil && m.Comment == nil && m.Event == nil
		if lone && len(out) > 0 {
			next := out[0]
			if next.Delay == nil && next.Data != nil && !(m.ID != nil && next.ID != nil) && !(m.Retry != nil && next.Retry != nil) {
				if m.ID != nil {
					next.ID = m.ID
				}
				if m.Retry != nil {
					next.Retry = m.Retry
				}
				out[0] = next
				continue
			}
		}
		out = append([]Item{m}, out...)
	}
	return out
}

// Inexpressible is the first reason (rule) a fixture's messages cannot be said through a library,
// or "": such a fixture is answered 404 and reported as SKIP, never blamed on the library.
func Inexpressible(items []Item, rule func(Item) string) string {
	for _, it := range items {
		if it.IsDelay() {
			continue
		}
		if why := rule(it); why != "" {
			return why
		}
	}
	return ""
}

// Pause waits out a pause item; false when the client left first.
func Pause(ctx context.Context, it Item) bool {
	select {
	case <-time.After(time.Duration(*it.Delay * float64(time.Millisecond))):
		return true
	case <-ctx.Done():
		return false
	}
}

// Str is the value of an optional string ("" when absent).
func Str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// KeepAliveInterval is how often an open stream sends the library's keep-alive, where the adapter
// has to ask for one: short, so that the matrix does not wait.
const KeepAliveInterval = time.Second

// Handler answers GET /<id> with serve(w, r, f, items) — items being the fixture's send list,
// folded (FoldDataless) when fold is set — or 404 for an unknown id and for a fixture with a
// message that rule (may be nil) says the library cannot express.
func Handler(fixtures map[string]*Fixture, library string, fold bool, rule func(Item) string, serve func(http.ResponseWriter, *http.Request, *Fixture, []Item)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := FixtureOf(fixtures, r)
		if f == nil {
			http.NotFound(w, r)
			return
		}
		items := f.Send
		if fold {
			items = FoldDataless(items)
		}
		if rule != nil {
			if why := Inexpressible(items, rule); why != "" {
				http.Error(w, "not expressible with "+library+": "+why, http.StatusNotFound)
				return
			}
		}
		serve(w, r, f, items)
	}
}

// KeepAlive calls ping every KeepAliveInterval until the client leaves or ping fails.
func KeepAlive(ctx context.Context, ping func() error) {
	ticker := time.NewTicker(KeepAliveInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if ping() != nil {
				return
			}
		}
	}
}
