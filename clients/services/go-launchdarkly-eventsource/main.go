// Test service for github.com/launchdarkly/eventsource (pinned in ../go.mod): a Stream from
// SubscribeWithRequestAndOptions, its Events reported with LastEventID() and its Errors as they
// come. initialDelayMs is StreamOptionInitialRetry; everything else is the library's default
// (no backoff, no jitter, the first connection not retried).
package main

import (
	"time"

	"github.com/launchdarkly/eventsource"

	testservice "sse-conformance/clients/services/_shared/go"
)

const module = "github.com/launchdarkly/eventsource"

// client holds the Stream once SubscribeWithRequestAndOptions returned it (nil when it failed).
type client struct{ stream chan *eventsource.Stream }

func (c *client) Close() {
	go func() {
		if s := <-c.stream; s != nil {
			s.Close()
		}
	}()
}

func (c *client) Command(cmd testservice.Command) bool {
	if cmd.Command != "restart" {
		return false
	}
	select {
	case s := <-c.stream:
		c.stream <- s
		if s == nil {
			return false
		}
		s.Restart()
		return true
	case <-time.After(5 * time.Second):
		return false
	}
}

func create(p testservice.Params, report testservice.Report) testservice.Client {
	c := &client{stream: make(chan *eventsource.Stream, 1)}
	go func() {
		req, err := p.Request()
		if err != nil {
			report.Error(err.Error())
			c.stream <- nil
			return
		}
		var options []eventsource.StreamOption
		if p.InitialDelayMs != nil {
			options = append(options, eventsource.StreamOptionInitialRetry(time.Duration(*p.InitialDelayMs)*time.Millisecond))
		}
		if p.LastEventID != "" {
			options = append(options, eventsource.StreamOptionLastEventID(p.LastEventID))
		}
		if p.ReadTimeoutMs != nil {
			options = append(options, eventsource.StreamOptionReadTimeout(time.Duration(*p.ReadTimeoutMs)*time.Millisecond))
		}
		// Subscribing blocks until the first response; a failure there ends the stream.
		stream, err := eventsource.SubscribeWithRequestAndOptions(req, options...)
		c.stream <- stream
		if err != nil {
			report.Error(err.Error())
			return
		}
		// Read until the stream closes its channels (after Close too: an unread channel would
		// block the stream's goroutine); the reporter drops what comes after Close.
		errs := stream.Errors
		for {
			select {
			case ev, ok := <-stream.Events:
				if !ok {
					return
				}
				id := ev.Id()
				if withLast, ok := ev.(eventsource.EventWithLastID); ok {
					id = withLast.LastEventID()
				}
				report.Event(ev.Event(), ev.Data(), id)
			case err, ok := <-errs:
				if !ok {
					errs = nil
				} else if err != nil {
					report.Error(err.Error())
				}
			}
		}
	}()
	return c
}

func main() {
	testservice.Serve(testservice.Service{
		Name:         "launchdarkly/eventsource",
		Version:      testservice.ModuleVersion(module),
		Capabilities: []string{"headers", "last-event-id", "post", "read-timeout", "report", "restart"},
		Create:       create,
	})
}
