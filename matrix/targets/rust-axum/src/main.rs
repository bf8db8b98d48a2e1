//! axum: every event is an `axum::response::sse::Event` built with the library's own builder
//! (`id`, `event`, `retry`, `comment`, `data`) and sent through `Sse` with `KeepAlive` (1 s).
//! axum has no resume mechanism: Last-Event-ID is read from the request and the application's
//! event log resumes after it. Usage: PORT=3000 rust-axum corpus.json
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use corpus::{Fixture, Message};
use futures_util::StreamExt;

const NAME: &str = "rust-axum";

/// The library's builder, field by field; it panics on what it refuses (CR/LF in `event`, `id`
/// or a comment, NUL in `id`), which `corpus::build` turns into a 404.
fn event(m: &Message) -> Event {
    let mut e = Event::default();
    if let Some(c) = &m.comment {
        e = e.comment(c);
    }
    if let Some(id) = &m.id {
        e = e.id(id);
    }
    if let Some(ev) = &m.event {
        e = e.event(ev);
    }
    if let Some(r) = m.retry {
        e = e.retry(Duration::from_millis(r));
    }
    if let Some(d) = &m.data {
        e = e.data(d);
    }
    e
}

async fn stream(State(fixtures): State<Arc<HashMap<String, Fixture>>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let Some(fixture) = fixtures.get(&id) else { return StatusCode::NOT_FOUND.into_response() };
    let last_id = headers.get("last-event-id").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let items = fixture.items_after(fixture.send.clone(), last_id.as_deref());
    let steps = match corpus::build(&items, event) {
        Ok(steps) => steps,
        Err(why) => return (StatusCode::NOT_FOUND, format!("not expressible with axum: the builder panics: {why}")).into_response(),
    };
    let events = corpus::play(steps, fixture.open).map(Ok::<_, Infallible>);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(1))).into_response()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (fixtures, addr) = corpus::from_command_line(NAME);
    let app = Router::new().route("/{id}", get(stream)).with_state(Arc::new(fixtures));
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    corpus::listening(NAME, addr);
    axum::serve(listener, app).await.expect("serve");
}
