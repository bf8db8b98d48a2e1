// Package testservice is the protocol side of a Go test service (spec/CLIENT-SERVICE.md), so each
// service's main.go holds only what its client's API does. A service calls Serve with its name,
// capabilities and a Create function that starts one client; Report posts a callback to
// <callbackUrl>/<n>, one at a time, in order, and nothing more once the client is closed.
//
//	<binary> --port <n>      (prints "listening on http://127.0.0.1:<n>")
package testservice

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	maxBody         = 64 * 1024
	callbackTimeout = 5 * time.Second
)

// Params is what POST / carries: one client to create.
type Params struct {
	StreamURL      string            `json:"streamUrl"`
	CallbackURL    string            `json:"callbackUrl"`
	Tag            string            `json:"tag"`
	InitialDelayMs *int              `json:"initialDelayMs"`
	ReadTimeoutMs  *int              `json:"readTimeoutMs"`
	LastEventID    string            `json:"lastEventId"`
	Method         string            `json:"method"`
	Body           *string           `json:"body"`
	Headers        map[string]string `json:"headers"`
}

// Request is the HTTP request Params describe: method (GET by default), body and headers.
func (p Params) Request() (*http.Request, error) {
	method := p.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if p.Body != nil {
		body = strings.NewReader(*p.Body)
	}
	req, err := http.NewRequest(method, p.StreamURL, body)
	if err != nil {
		return nil, err
	}
	for name, value := range p.Headers {
		req.Header.Set(name, value)
	}
	return req, nil
}

// Command is the body of POST /clients/<n>.
type Command struct {
	Command string `json:"command"`
	Listen  *struct {
		Type string `json:"type"`
	} `json:"listen"`
}

// Client is one running client.
type Client interface {
	// Close stops the client; it may be called while the client is still connecting.
	Close()
	// Command performs a command and tells whether it was accepted.
	Command(Command) bool
}

// Cancel is a Client that its context's cancel function stops; it takes no commands.
type Cancel context.CancelFunc

// Close cancels the client's context.
func (c Cancel) Close() { c() }

// Command accepts no command.
func (Cancel) Command(Command) bool { return false }

// Report posts one callback body.
type Report func(message map[string]any)

// Event reports an event (an empty type is read as "message").
func (r Report) Event(typ, data, id string) {
	r(map[string]any{"kind": "event", "event": map[string]any{"type": typ, "data": data, "id": id}})
}

// Error reports an error without a ready state.
func (r Report) Error(text string) { r(map[string]any{"kind": "error", "error": text}) }

// Reconnecting reports a scheduled reconnection and its delay.
func (r Report) Reconnecting(delay time.Duration) {
	r(map[string]any{"kind": "reconnecting", "delayMs": delay.Milliseconds()})
}

// Service describes a test service.
type Service struct {
	Name         string
	Version      string
	Capabilities []string
	Create       func(params Params, report Report) Client
}

// ModuleVersion is the version of a module linked into this binary (from its build information).
func ModuleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, dep := range info.Deps {
		if dep.Path == path {
			return strings.TrimPrefix(dep.Version, "v")
		}
	}
	return ""
}

// reporter posts callbacks in order from a goroutine of its own; stop drops whatever is left.
type reporter struct {
	url     string
	mu      sync.Mutex
	queue   []map[string]any
	wake    chan struct{}
	stopped bool
}

// debugLog: SSE_SERVICE_DEBUG=1 logs every callback to stderr.
var debugLog = os.Getenv("SSE_SERVICE_DEBUG") == "1"

var callbackClient = &http.Client{Timeout: callbackTimeout}

func newReporter(url string) *reporter {
	r := &reporter{url: url, wake: make(chan struct{}, 1)}
	go r.postAll()
	return r
}

func (r *reporter) report(message map[string]any) {
	r.mu.Lock()
	if !r.stopped {
		r.queue = append(r.queue, message)
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *reporter) stop() {
	r.mu.Lock()
	r.stopped = true
	r.queue = nil
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *reporter) postAll() {
	n := 0
	for range r.wake {
		for {
			r.mu.Lock()
			if r.stopped {
				r.mu.Unlock()
				return
			}
			if len(r.queue) == 0 {
				r.mu.Unlock()
				break
			}
			message := r.queue[0]
			r.queue = r.queue[1:]
			r.mu.Unlock()
			n++
			body, _ := json.Marshal(message)
			if debugLog {
				fmt.Fprintf(os.Stderr, "%s post %s/%d %s\n", time.Now().Format("15:04:05.000"), r.url, n, body)
			}
			resp, err := callbackClient.Post(fmt.Sprintf("%s/%d", r.url, n), "application/json", bytes.NewReader(body))
			if err == nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
				_ = resp.Body.Close()
			}
		}
	}
}

type entry struct {
	client   Client
	reporter *reporter
}

func (e entry) close() {
	e.reporter.stop()
	e.client.Close()
}

func send(w http.ResponseWriter, status int, body any) {
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		w.Header().Set("Content-Type", "text/plain")
		data = []byte(b)
	default:
		w.Header().Set("Content-Type", "application/json")
		data, _ = json.Marshal(b)
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// Serve runs the service until DELETE /, SIGINT or SIGTERM.
func Serve(s Service) {
	port := flag.Int("port", 0, "port to listen on (0: any)")
	flag.Parse()
	var mu sync.Mutex
	clients := map[string]entry{}
	next := 0

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/" {
			send(w, 404, "no such resource")
			return
		}
		switch req.Method {
		case http.MethodGet:
			send(w, 200, map[string]any{"name": s.Name, "clientVersion": s.Version, "capabilities": s.Capabilities})
		case http.MethodDelete:
			send(w, 204, nil)
			mu.Lock()
			for _, e := range clients {
				e.close()
			}
			mu.Unlock()
			go func() { time.Sleep(50 * time.Millisecond); os.Exit(0) }()
		case http.MethodPost:
			var p Params
			if err := json.NewDecoder(io.LimitReader(req.Body, maxBody)).Decode(&p); err != nil {
				send(w, 400, "the body must be JSON")
				return
			}
			if p.StreamURL == "" || p.CallbackURL == "" {
				send(w, 400, "streamUrl and callbackUrl are required")
				return
			}
			r := newReporter(p.CallbackURL)
			client := s.Create(p, r.report)
			mu.Lock()
			next++
			id := fmt.Sprint(next)
			clients[id] = entry{client, r}
			mu.Unlock()
			w.Header().Set("Location", "/clients/"+id)
			send(w, 201, nil)
		default:
			send(w, 405, "method not allowed")
		}
	})
	mux.HandleFunc("/clients/", func(w http.ResponseWriter, req *http.Request) {
		id := strings.TrimPrefix(req.URL.Path, "/clients/")
		mu.Lock()
		e, ok := clients[id]
		if ok && req.Method == http.MethodDelete {
			delete(clients, id)
		}
		mu.Unlock()
		if !ok {
			send(w, 404, "no such client")
			return
		}
		switch req.Method {
		case http.MethodDelete:
			e.close()
			send(w, 204, nil)
		case http.MethodPost:
			var c Command
			if err := json.NewDecoder(io.LimitReader(req.Body, maxBody)).Decode(&c); err != nil {
				send(w, 400, "the body must be JSON")
				return
			}
			if e.client.Command(c) {
				send(w, 202, nil)
			} else {
				send(w, 400, fmt.Sprintf("unsupported command %q", c.Command))
			}
		default:
			send(w, 405, "method not allowed")
		}
	})

	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", listener.Addr())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-signals; os.Exit(0) }()
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	_ = server.Serve(listener)
}
