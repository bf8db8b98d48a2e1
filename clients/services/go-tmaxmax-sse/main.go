// Test service for github.com/tmaxmax/go-sse (pinned in ../go.mod): a Connection from
// Client.NewConnection, every event from SubscribeToAll reported with its LastEventID, and each
// reconnection OnRetry announces reported as an error and the delay it chose. initialDelayMs is
// Backoff.InitialInterval; everything else is the library's default (multiplier 1.5, jitter
// 0.5, the default validator: 200 and text/event-stream).
package main

import (
	"context"
	"net/http"
	"time"

	sse "github.com/tmaxmax/go-sse"

	testservice "sse-conformance/clients/services/_shared/go"
)

const module = "github.com/tmaxmax/go-sse"

func create(p testservice.Params, report testservice.Report) testservice.Client {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		req, err := p.Request()
		if err != nil {
			report.Error(err.Error())
			return
		}
		if p.LastEventID != "" {
			req.Header.Set("Last-Event-ID", p.LastEventID)
		}
		c := &sse.Client{
			HTTPClient: http.DefaultClient,
			OnRetry: func(err error, delay time.Duration) {
				report.Error(err.Error())
				report.Reconnecting(delay)
			},
		}
		if p.InitialDelayMs != nil && *p.InitialDelayMs > 0 {
			c.Backoff.InitialInterval = time.Duration(*p.InitialDelayMs) * time.Millisecond
		}
		conn := c.NewConnection(req.WithContext(ctx))
		conn.SubscribeToAll(func(e sse.Event) {
			report.Event(e.Type, e.Data, e.LastEventID)
		})
		err = conn.Connect()
		switch {
		case ctx.Err() != nil: // closed by DELETE
		case err != nil:
			report.Error(err.Error())
		default:
			// Connect returns nil when it stops without an error of its own (it does so at a
			// clean end of stream): reported so the end is visible.
			report.Error("Connect returned nil: the client stopped")
		}
	}()
	return testservice.Cancel(cancel)
}

func main() {
	testservice.Serve(testservice.Service{
		Name:         "tmaxmax/go-sse",
		Version:      testservice.ModuleVersion(module),
		Capabilities: []string{"headers", "last-event-id", "post", "report", "reconnect-attempts"},
		Create:       create,
	})
}
