//! Test service (spec/CLIENT-SERVICE.md) for LaunchDarkly's `eventsource-client` crate, through its
//! own API: `ClientBuilder` over the crate's hyper transport, and every item of `Client::stream()`
//! reported as it is: `SSE::Event` as an event (its `id` is the last event ID in force),
//! `SSE::Comment` as a comment, `SSE::Connected` as open, and every `Err` as an error.

use eventsource_client::{Client as _, ClientBuilder, ReconnectOptions, SSE};
use futures::StreamExt;
use launchdarkly_sdk_transport::HyperTransport;
use std::time::Duration;
use testservice::{locked_version, runtime, serve, Client, Params, Reporter, Service, Task};

fn create(params: Params, report: Reporter) -> Result<Box<dyn Client>, String> {
    let mut transport = HyperTransport::builder();
    if let Some(ms) = params.read_timeout_ms {
        transport = transport.read_timeout(Duration::from_millis(ms));
    }
    // The transport spawns its connection tasks on the runtime it is built in.
    let _inside = runtime().enter();
    let transport = transport.build_http().map_err(|e| e.to_string())?;
    let mut builder = ClientBuilder::for_url(&params.stream_url).map_err(|e| e.to_string())?;
    for (name, value) in &params.headers {
        builder = builder.header(name, value).map_err(|e| e.to_string())?;
    }
    if let Some(id) = params.last_event_id {
        builder = builder.last_event_id(id);
    }
    if let Some(method) = params.method {
        builder = builder.method(method);
    }
    if let Some(body) = params.body {
        builder = builder.body(body);
    }
    // Reconnection as the crate sets it by default, with the initial delay asked for.
    let mut reconnect = ReconnectOptions::reconnect(true);
    if let Some(ms) = params.initial_delay_ms {
        reconnect = reconnect.delay(Duration::from_millis(ms));
    }
    let client = builder.reconnect(reconnect.build()).build_with_transport(transport);
    let task = runtime().spawn(async move {
        let mut stream = client.stream();
        while let Some(item) = stream.next().await {
            match item {
                Ok(SSE::Event(event)) => report.event(&event.event_type, &event.data, event.id.as_deref().unwrap_or("")),
                Ok(SSE::Comment(comment)) => report.comment(&comment),
                Ok(SSE::Connected(_)) => report.open(None),
                Err(error) => report.error(&error.to_string(), None),
            }
        }
        report.error("stream ended", None);
    });
    Ok(Box::new(Task(task)))
}

fn main() {
    serve(Service {
        name: "rust-eventsource-client",
        version: locked_version(include_str!("../../Cargo.lock"), "eventsource-client"),
        capabilities: &["comments", "headers", "last-event-id", "post", "report", "read-timeout", "open-events"],
        create: Box::new(create),
    });
}
