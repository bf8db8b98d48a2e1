// An adapter: serves every server fixture of the corpus at /<id>, through "your library" — here a
// tiny hand-written SSE writer (Go standard library only) standing in for it. Replace writeEvent
// with your library's API.
//
// Usage: npx sse-conformance fixtures --json > corpus.json
//
//	cd examples/adapter-go && PORT=3000 go run . ../../corpus.json &
//	npx sse-conformance run http://127.0.0.1:3000
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"
)

type message struct {
	ID      *string  `json:"id"`
	Event   *string  `json:"event"`
	Data    *string  `json:"data"`
	Retry   *int64   `json:"retry"`
	Comment *string  `json:"comment"`
	Delay   *float64 `json:"delay"`
}

type fixture struct {
	ID     string    `json:"id"`
	Send   []message `json:"send"`
	End    string    `json:"end"`
	Resume *struct {
		UnknownID string `json:"unknownId"`
	} `json:"resume"`
}

var lineBreak = regexp.MustCompile(`\r\n|\r|\n`)

// writeEvent writes one message as SSE (§9.2.6): values split on every line break, CR/LF/NUL kept out of fields.
func writeEvent(w http.ResponseWriter, m message) {
	var b strings.Builder
	if m.Comment != nil {
		for _, line := range lineBreak.Split(*m.Comment, -1) {
			fmt.Fprintf(&b, ": %s\n", line)
		}
	}
	if m.Retry != nil {
		fmt.Fprintf(&b, "retry: %d\n", *m.Retry)
	}
	if m.Event != nil {
		fmt.Fprintf(&b, "event: %s\n", strings.NewReplacer("\r", "", "\n", "").Replace(*m.Event))
	}
	if m.ID != nil {
		fmt.Fprintf(&b, "id: %s\n", strings.NewReplacer("\r", "", "\n", "", "\x00", "").Replace(*m.ID))
	}
	if m.Data != nil {
		for _, line := range lineBreak.Split(*m.Data, -1) {
			fmt.Fprintf(&b, "data: %s\n", line)
		}
	}
	onlyComment := m.Comment != nil && m.ID == nil && m.Event == nil && m.Data == nil && m.Retry == nil
	if !onlyComment {
		b.WriteString("\n")
	}
	fmt.Fprint(w, b.String())
	w.(http.Flusher).Flush()
}

func main() {
	path := "corpus.json"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var corpus struct{ Fixtures []fixture }
	if err := json.Unmarshal(raw, &corpus); err != nil {
		log.Fatal(err)
	}
	fixtures := map[string]fixture{}
	for _, f := range corpus.Fixtures {
		if f.Send != nil {
			fixtures[f.ID] = f
		}
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f, ok := fixtures[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r) // not implemented: the suite reports SKIP
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		items := f.Send
		if lastID, has := r.Header["Last-Event-Id"]; f.Resume != nil && has {
			at := -1
			for i, m := range items {
				if m.ID != nil && *m.ID == lastID[0] {
					at = i
					break
				}
			}
			switch {
			case at >= 0:
				items = items[at+1:]
			case f.Resume.UnknownID != "replay":
				items = nil
			}
		}
		for _, m := range items {
			if m.Delay != nil {
				select {
				case <-time.After(time.Duration(*m.Delay * float64(time.Millisecond))):
				case <-r.Context().Done():
					return
				}
				continue
			}
			writeEvent(w, m)
		}
		for f.End == "open" { // keep-alive while the client stays
			select {
			case <-time.After(time.Second):
				fmt.Fprint(w, ":\n")
				w.(http.Flusher).Flush()
			case <-r.Context().Done():
				return
			}
		}
	})
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:"+port, nil))
}
