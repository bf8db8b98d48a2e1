//! Test service (spec/CLIENT-SERVICE.md) for the `reqwest-eventsource` crate, through its own API:
//! `EventSource::new(RequestBuilder)` polled as a stream, every item reported as it is:
//! `Event::Open` as open, `Event::Message` as an event (its `id` is the last event ID in force),
//! every `Err` as an error, each with `EventSource::ready_state()`.

use futures::StreamExt;
use reqwest_eventsource::retry::ExponentialBackoff;
use reqwest_eventsource::{Event, EventSource, ReadyState};
use std::time::Duration;
use testservice::{locked_version, runtime, serve, Client, Params, Reporter, Service, Task};

fn state(source: &EventSource) -> Option<u8> {
    Some(match source.ready_state() {
        ReadyState::Connecting => 0,
        ReadyState::Open => 1,
        ReadyState::Closed => 2,
    })
}

fn create(params: Params, report: Reporter) -> Result<Box<dyn Client>, String> {
    let mut http = reqwest::Client::builder();
    if let Some(ms) = params.read_timeout_ms {
        http = http.read_timeout(Duration::from_millis(ms));
    }
    let http = http.build().map_err(|e| e.to_string())?;
    let method = params.method.as_deref().unwrap_or("GET");
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let mut request = http.request(method, &params.stream_url);
    for (name, value) in &params.headers {
        request = request.header(name, value);
    }
    // The crate has no setting for an initial Last-Event-ID: it is a request header like any other.
    if let Some(id) = &params.last_event_id {
        request = request.header("last-event-id", id);
    }
    if let Some(body) = params.body {
        request = request.body(body);
    }
    let _inside = runtime().enter();
    let mut source = EventSource::new(request).map_err(|e| e.to_string())?;
    // The crate's default policy (DEFAULT_RETRY: exponential from 300 ms, factor 2, at most 5 s),
    // starting from the initial delay asked for.
    if let Some(ms) = params.initial_delay_ms {
        source.set_retry_policy(Box::new(ExponentialBackoff::new(Duration::from_millis(ms), 2.0, Some(Duration::from_secs(5)), None)));
    }
    let task = runtime().spawn(async move {
        while let Some(item) = source.next().await {
            match item {
                Ok(Event::Open) => report.open(state(&source)),
                Ok(Event::Message(message)) => report.event(&message.event, &message.data, &message.id),
                Err(error) => report.error(&error.to_string(), state(&source)),
            }
        }
    });
    Ok(Box::new(Task(task)))
}

fn main() {
    serve(Service {
        name: "rust-reqwest-eventsource",
        version: locked_version(include_str!("../../Cargo.lock"), "reqwest-eventsource"),
        capabilities: &["headers", "last-event-id", "post", "report", "read-timeout", "open-events", "ready-state"],
        create: Box::new(create),
    });
}
