// gin serving the server fixtures through gin's own SSE API: c.Stream(step) drives the response,
// and every event is rendered by gin — c.SSEvent(name, data) for an event that carries only a
// name and data, and c.Render(-1, sse.Event{…}) (what c.SSEvent itself calls, with the id and
// retry fields c.SSEvent has no parameters for) for the others. gin's serialiser is
// gin-contrib/sse. gin has no keep-alive, no comment and no resume mechanism: an open stream stays
// silent, and Last-Event-ID is read from the request, the application's event log resuming after it.
// Usage: PORT=3000 ./server corpus.json
package main

import (
	"io"
	"log"
	"net/http"

	"github.com/gin-contrib/sse"
	"github.com/gin-gonic/gin"

	"sse-conformance/matrix/targets/_shared/corpus"
)

// What gin's sse.Event cannot say: it has no comment, always writes a data line, and writes no retry of 0.
func inexpressible(it corpus.Item) string {
	switch {
	case it.Comment != nil:
		return "sse.Event has no comment; gin never writes a comment line"
	case it.Data == nil:
		return "sse.Encode always writes a data line: a lone id/retry that cannot be folded into the next event"
	case it.Retry != nil && *it.Retry <= 0:
		return "sse.Event.Retry is a uint and 0 is not written"
	}
	return ""
}

// render sends one message the way a gin handler does.
func render(c *gin.Context, it corpus.Item) {
	if it.ID == nil && it.Retry == nil {
		c.SSEvent(corpus.Str(it.Event), corpus.Str(it.Data))
		return
	}
	ev := sse.Event{Id: corpus.Str(it.ID), Event: corpus.Str(it.Event), Data: corpus.Str(it.Data)}
	if it.Retry != nil {
		ev.Retry = uint(*it.Retry)
	}
	c.Render(-1, ev)
}

func main() {
	fixtures := corpus.FromArgs()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/:id", func(c *gin.Context) {
		f := corpus.FixtureOf(fixtures, c.Request)
		if f == nil {
			c.Status(http.StatusNotFound)
			return
		}
		items := corpus.FoldDataless(f.Send)
		if why := corpus.Inexpressible(items, inexpressible); why != "" {
			c.String(http.StatusNotFound, "not expressible with gin: %s", why)
			return
		}
		last, has := corpus.LastEventID(c.Request)
		todo := corpus.ItemsAfter(f, items, last, has)
		ctx := c.Request.Context()
		// No headers by hand: gin sets Content-Type and Cache-Control on each render (sse.Event.WriteContentType).
		next := 0
		c.Stream(func(w io.Writer) bool {
			if next < len(todo) {
				it := todo[next]
				next++
				if it.IsDelay() {
					return corpus.Pause(ctx, it)
				}
				render(c, it)
				return true
			}
			if !f.Open() {
				return false
			}
			// An open stream stays open, silent (gin has no keep-alive and no comment), until the client leaves.
			<-ctx.Done()
			return false
		})
	})
	corpus.Listening("go-gin")
	log.Fatal(r.Run(corpus.Addr()))
}
