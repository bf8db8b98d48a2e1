// net/http with SSE written by hand, the way Go tutorials write it: set Content-Type,
// Cache-Control and Connection, assert http.Flusher, then per event one fmt.Fprintf per field —
// fmt.Fprintf(w, "data: %s\n\n", msg) — and Flush. Nothing is escaped or split (tutorials do not).
// A ": ping" comment every second keeps an open stream alive; Last-Event-ID is read with
// r.Header.Get and the application's event log resumes after it.
// Usage: PORT=3000 ./server corpus.json
package main

import (
	"fmt"
	"log"
	"net/http"

	"sse-conformance/matrix/targets/_shared/corpus"
)

// send writes one message as tutorials do: a line per field, a blank line after.
func send(w http.ResponseWriter, it corpus.Item) {
	if it.Comment != nil {
		fmt.Fprintf(w, ": %s\n", *it.Comment)
	}
	if it.ID != nil {
		fmt.Fprintf(w, "id: %s\n", *it.ID)
	}
	if it.Event != nil {
		fmt.Fprintf(w, "event: %s\n", *it.Event)
	}
	if it.Retry != nil {
		fmt.Fprintf(w, "retry: %d\n", *it.Retry)
	}
	if it.Data != nil {
		fmt.Fprintf(w, "data: %s\n", *it.Data)
	}
	fmt.Fprint(w, "\n")
}

func main() {
	fixtures := corpus.FromArgs()
	http.HandleFunc("/", corpus.Handler(fixtures, "net/http", false, nil, func(w http.ResponseWriter, r *http.Request, f *corpus.Fixture, _ []corpus.Item) {
		flusher, ok := w.(http.Flusher)
		if !ok {
			http.Error(w, "Streaming unsupported!", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Connection", "keep-alive")
		flusher.Flush()

		lastID := r.Header.Get("Last-Event-ID")
		items := corpus.ItemsAfter(f, f.Send, lastID, lastID != "")
		for _, it := range items {
			if it.IsDelay() {
				if !corpus.Pause(r.Context(), it) {
					return
				}
				continue
			}
			send(w, it)
			flusher.Flush()
		}
		if !f.Open() {
			return
		}
		corpus.KeepAlive(r.Context(), func() error {
			_, err := fmt.Fprint(w, ": ping\n\n")
			flusher.Flush()
			return err
		})
	}))
	corpus.Listening("go-nethttp-tutorial")
	log.Fatal(http.ListenAndServe(corpus.Addr(), nil))
}
