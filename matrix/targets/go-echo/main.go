// echo v4 serving the server fixtures the way echo's documentation shows SSE (its cookbook
// recipe "Server-Sent-Events"; echo v4 has no SSE type of its own): a handler sets
// Content-Type: text/event-stream, Cache-Control and Connection on c.Response(), writes each
// event with the recipe's Event.MarshalTo (the r3labs/sse serialiser the recipe is taken from:
// id, data split on "\n", event, retry, comment, blank line) and calls c.Response().Flush().
// An open stream gets a comment event every second; Last-Event-ID is read from the request and
// the application's event log resumes after it. Usage: PORT=3000 ./server corpus.json
package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"sse-conformance/matrix/targets/_shared/corpus"
)

// Event is the recipe's event type.
type Event struct {
	ID      []byte
	Data    []byte
	Event   []byte
	Retry   []byte
	Comment []byte
}

// MarshalTo is the recipe's serialiser, unchanged in behaviour.
func (ev *Event) MarshalTo(w io.Writer) error {
	// An event with neither data nor comment writes nothing.
	if len(ev.Data) == 0 && len(ev.Comment) == 0 {
		return nil
	}
	if len(ev.Data) > 0 {
		if _, err := fmt.Fprintf(w, "id: %s\n", ev.ID); err != nil {
			return err
		}
		sd := bytes.Split(ev.Data, []byte("\n"))
		for i := range sd {
			if _, err := fmt.Fprintf(w, "data: %s\n", sd[i]); err != nil {
				return err
			}
		}
		if len(ev.Event) > 0 {
			if _, err := fmt.Fprintf(w, "event: %s\n", ev.Event); err != nil {
				return err
			}
		}
		if len(ev.Retry) > 0 {
			if _, err := fmt.Fprintf(w, "retry: %s\n", ev.Retry); err != nil {
				return err
			}
		}
	}
	if len(ev.Comment) > 0 {
		if _, err := fmt.Fprintf(w, ": %s\n", ev.Comment); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprint(w, "\n"); err != nil {
		return err
	}
	return nil
}

// What the recipe's Event cannot say: an event without data writes nothing of its id, event or
// retry. (Empty data is sent: MarshalTo drops it silently, and the suite judges that.)
func inexpressible(it corpus.Item) string {
	switch {
	case it.Data == nil && it.Comment == nil:
		return "Event.MarshalTo writes nothing for an event without data: a lone id/retry that cannot be folded into the next event"
	case it.Data == nil && (it.ID != nil || it.Event != nil || it.Retry != nil):
		return "Event.MarshalTo writes only the comment of an event without data"
	}
	return ""
}

func toEvent(it corpus.Item) *Event {
	ev := &Event{ID: []byte(corpus.Str(it.ID)), Data: []byte(corpus.Str(it.Data)), Event: []byte(corpus.Str(it.Event)), Comment: []byte(corpus.Str(it.Comment))}
	if it.Retry != nil {
		ev.Retry = []byte(strconv.FormatInt(*it.Retry, 10))
	}
	return ev
}

func main() {
	fixtures := corpus.FromArgs()
	e := echo.New()
	e.HideBanner = true
	e.GET("/:id", func(c echo.Context) error {
		f := corpus.FixtureOf(fixtures, c.Request())
		if f == nil {
			return c.NoContent(http.StatusNotFound)
		}
		items := corpus.FoldDataless(f.Send)
		if why := corpus.Inexpressible(items, inexpressible); why != "" {
			return c.String(http.StatusNotFound, "not expressible with the echo recipe: "+why)
		}
		w := c.Response()
		w.Header().Set(echo.HeaderContentType, "text/event-stream")
		w.Header().Set(echo.HeaderCacheControl, "no-cache")
		w.Header().Set(echo.HeaderConnection, "keep-alive")
		w.WriteHeader(http.StatusOK)
		w.Flush()

		ctx := c.Request().Context()
		last, has := corpus.LastEventID(c.Request())
		for _, it := range corpus.ItemsAfter(f, items, last, has) {
			if it.IsDelay() {
				if !corpus.Pause(ctx, it) {
					return nil
				}
				continue
			}
			if err := toEvent(it).MarshalTo(w); err != nil {
				return err
			}
			w.Flush()
		}
		if !f.Open() {
			return nil
		}
		corpus.KeepAlive(ctx, func() error {
			err := (&Event{Comment: []byte("ping")}).MarshalTo(w)
			w.Flush()
			return err
		})
		return nil
	})
	corpus.Listening("go-echo")
	e.Logger.Fatal(e.Start(corpus.Addr()))
}
