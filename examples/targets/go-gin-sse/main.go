// gin-contrib/sse (Debian golang-github-gin-contrib-sse-dev), the serialiser behind gin's
// c.SSEvent() and c.Stream(), used on plain net/http (gin itself is not packaged in Debian): every
// event is an sse.Event rendered by the library — Event.Render(w), which is exactly what gin's
// c.Render(-1, sse.Event{…}) does — and flushed. The library has no keep-alive and no resume
// mechanism: Last-Event-ID is read from the request and the application's event log resumes
// after it. Usage: PORT=3000 ./server corpus.json
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-contrib/sse"
)

// ── the corpus export (what no SSE library provides) ────────────────────────────────────────────

type item struct {
	ID      *string  `json:"id"`
	Event   *string  `json:"event"`
	Data    *string  `json:"data"`
	Retry   *int64   `json:"retry"`
	Comment *string  `json:"comment"`
	Delay   *float64 `json:"delay"`
}

type fixture struct {
	ID     string `json:"id"`
	Send   []item `json:"send"`
	End    string `json:"end"`
	Resume *struct {
		UnknownID string `json:"unknownId"`
	} `json:"resume"`
}

func loadFixtures(path string) map[string]*fixture {
	raw, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var corpus struct {
		Fixtures []*fixture `json:"fixtures"`
	}
	if err := json.Unmarshal(raw, &corpus); err != nil {
		log.Fatal(err)
	}
	out := map[string]*fixture{}
	for _, f := range corpus.Fixtures {
		if f.Send != nil {
			out[f.ID] = f
		}
	}
	return out
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// itemsAfter: the items still to send to a client that reconnected with Last-Event-ID — the
// application's event log (as _shared/corpus.mjs itemsAfter does for the Node adapters).
func itemsAfter(f *fixture, items []item, lastID string, has bool) []item {
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

// foldDataless: sse.Encode always writes a data line, so a lone id or retry is folded into the
// event right after it when that is immediate, carries data and sets none of the same fields (the
// client receives exactly the same events); what cannot be folded stays, for inexpressible().
func foldDataless(items []item) []item {
	var out []item
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
		out = append([]item{m}, out...)
	}
	return out
}

// What sse.Event cannot say: it has no comment, always writes data, and writes no retry of 0.
func inexpressible(items []item) string {
	for _, it := range items {
		switch {
		case it.Delay != nil:
		case it.Comment != nil:
			return "sse.Event has no comment; the library never writes a comment line"
		case it.Data == nil:
			return "sse.Encode always writes a data line: a lone id/retry that cannot be folded into the next event"
		case it.Retry != nil && *it.Retry <= 0:
			return "sse.Event.Retry is a uint and 0 is not written"
		}
	}
	return ""
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: PORT=3000 ./server <corpus.json>")
	}
	fixtures := loadFixtures(os.Args[1])
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		f := fixtures[strings.TrimPrefix(req.URL.Path, "/")]
		if f == nil {
			http.NotFound(w, req)
			return
		}
		items := foldDataless(f.Send)
		if why := inexpressible(items); why != "" {
			http.Error(w, "not expressible with gin-contrib/sse: "+why, http.StatusNotFound)
			return
		}
		lastID, has := req.Header["Last-Event-Id"]
		last := ""
		if has && len(lastID) > 0 {
			last = lastID[0]
		}

		// The library's own headers (Content-Type, Cache-Control), as gin sets them on c.SSEvent().
		sse.Event{}.WriteContentType(w)
		w.WriteHeader(http.StatusOK)
		flusher := w.(http.Flusher)
		flusher.Flush()
		done := req.Context().Done()
		for _, it := range itemsAfter(f, items, last, has) {
			if it.Delay != nil {
				select {
				case <-time.After(time.Duration(*it.Delay * float64(time.Millisecond))):
				case <-done:
					return
				}
				continue
			}
			ev := sse.Event{Id: str(it.ID), Event: str(it.Event), Data: str(it.Data)}
			if it.Retry != nil {
				ev.Retry = uint(*it.Retry)
			}
			if err := ev.Render(w); err != nil {
				return
			}
			flusher.Flush()
		}
		if f.End == "open" {
			// No keep-alive in the library: the stream stays open, silent, until the client leaves.
			<-done
		}
	})
	addr := "127.0.0.1:" + port
	fmt.Printf("go-gin-sse listening on http://%s\n", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
