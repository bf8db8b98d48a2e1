//! poem: every event is a `poem::web::sse::Event` — `Event::message(data).id(..).event_type(..)`
//! and `Event::retry(ms)` — sent through `SSE::new(stream).keep_alive(1 s)`. poem has no resume
//! mechanism: Last-Event-ID is read from the request and the application's event log resumes
//! after it. Usage: PORT=3000 rust-poem corpus.json
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use corpus::{Field, Fixture, Item, Message, Rule};
use futures_util::{stream, StreamExt};
use poem::http::{HeaderMap, StatusCode};
use poem::listener::{Listener, TcpListener};
use poem::web::sse::{Event, SSE};
use poem::web::{Data, Path};
use poem::{get, handler, EndpointExt, IntoResponse, Response, Route, Server};

const NAME: &str = "rust-poem";

/// What poem's `Event` cannot say: it has no comment, and a message always carries data (a lone
/// id is folded into the next event; one that cannot be folded is a 404). A retry is an event of
/// its own (`Event::retry`), written before the message it came with.
const RULES: &[Rule] = &[
    (|m| m.comment.is_some(), "poem's sse::Event has no comment"),
    (
        |m| m.data.is_none() && (m.id.is_some() || m.event.is_some()),
        "Event::message requires data: a lone id that cannot be folded into the next event",
    ),
];

fn events(m: &Message) -> Vec<Event> {
    let mut out = Vec::new();
    if let Some(r) = m.retry {
        out.push(Event::retry(r));
    }
    if let Some(d) = &m.data {
        let mut e = Event::message(d.as_str());
        if let Some(id) = &m.id {
            e = e.id(id.as_str());
        }
        if let Some(ev) = &m.event {
            e = e.event_type(ev.as_str());
        }
        out.push(e);
    }
    out
}

fn not_found(body: String) -> Response {
    Response::builder().status(StatusCode::NOT_FOUND).body(body)
}

#[handler]
fn fixture_stream(Path(id): Path<String>, headers: &HeaderMap, fixtures: Data<&Arc<HashMap<String, Fixture>>>) -> Response {
    let Some(fixture) = fixtures.get(&id) else { return not_found(String::new()) };
    let items: Vec<Item> = corpus::fold_dataless(fixture.send.clone(), &[Field::Id]);
    if let Some(why) = corpus::inexpressible(&items, RULES) {
        return not_found(format!("not expressible with poem: {why}"));
    }
    let last_id = headers.get("last-event-id").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let items = fixture.items_after(items, last_id.as_deref());
    let steps = match corpus::build(&items, events) {
        Ok(steps) => steps,
        Err(why) => return not_found(format!("not expressible with poem: {why}")),
    };
    let events = corpus::play(steps, fixture.open).flat_map(stream::iter);
    SSE::new(events).keep_alive(Duration::from_secs(1)).into_response()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let (fixtures, addr) = corpus::from_command_line(NAME);
    let app = Route::new().at("/:id", get(fixture_stream)).data(Arc::new(fixtures));
    let acceptor = TcpListener::bind(addr).into_acceptor().await?;
    corpus::listening(NAME, addr);
    Server::new_with_acceptor(acceptor).run(app).await
}
