// Test service for github.com/r3labs/sse/v2 (pinned in ../go.mod): a Client from NewClient and
// SubscribeRawWithContext, each *Event reported as it is (ID is the last event ID it carries).
// initialDelayMs is the InitialInterval of its exponential ReconnectStrategy (the library's
// default strategy otherwise); ReconnectNotify reports each scheduled reconnection. The client
// always sends GET without a body and reads no comments.
package main

import (
	"context"
	"time"

	"github.com/r3labs/sse/v2"
	"gopkg.in/cenkalti/backoff.v1"

	testservice "sse-conformance/clients/services/_shared/go"
)

const module = "github.com/r3labs/sse/v2"

func create(p testservice.Params, report testservice.Report) testservice.Client {
	ctx, cancel := context.WithCancel(context.Background())
	c := sse.NewClient(p.StreamURL)
	for name, value := range p.Headers {
		c.Headers[name] = value
	}
	if p.LastEventID != "" {
		c.LastEventID.Store([]byte(p.LastEventID))
	}
	if p.InitialDelayMs != nil {
		strategy := backoff.NewExponentialBackOff()
		strategy.InitialInterval = time.Duration(*p.InitialDelayMs) * time.Millisecond
		c.ReconnectStrategy = strategy
	}
	c.ReconnectNotify = func(err error, delay time.Duration) {
		report.Error(err.Error())
		report.Reconnecting(delay)
	}
	c.OnDisconnect(func(*sse.Client) { report.Error("disconnected") })
	go func() {
		err := c.SubscribeRawWithContext(ctx, func(e *sse.Event) {
			report.Event(string(e.Event), string(e.Data), string(e.ID))
		})
		if err != nil {
			report.Error(err.Error())
		} else {
			report.Error("SubscribeRawWithContext returned: the stream ended")
		}
	}()
	return testservice.Cancel(cancel)
}

func main() {
	testservice.Serve(testservice.Service{
		Name:         "r3labs/sse",
		Version:      testservice.ModuleVersion(module),
		Capabilities: []string{"headers", "last-event-id", "reconnect-attempts"},
		Create:       create,
	})
}
