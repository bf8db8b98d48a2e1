//! warp: every event is a `warp::sse::Event` built with the library's own builder (`comment`, `id`,
//! `event`, `retry`, `data`), wrapped by `warp::sse::keep_alive()` (1 s) and sent with
//! `warp::sse::reply`. Resumption uses warp's own `warp::sse::last_event_id()` filter; the
//! application's event log resumes after that id. Usage: PORT=3000 rust-warp corpus.json
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use corpus::{Fixture, Message};
use futures_util::StreamExt;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::sse::Event;
use warp::{Filter, Reply};

const NAME: &str = "rust-warp";

/// The library's builder, field by field. It accepts every value (it never refuses).
fn event(m: &Message) -> Event {
    let mut e = Event::default();
    if let Some(c) = &m.comment {
        e = e.comment(c.as_str());
    }
    if let Some(id) = &m.id {
        e = e.id(id.as_str());
    }
    if let Some(ev) = &m.event {
        e = e.event(ev.as_str());
    }
    if let Some(r) = m.retry {
        e = e.retry(Duration::from_millis(r));
    }
    if let Some(d) = &m.data {
        e = e.data(d.as_str());
    }
    e
}

fn stream(fixtures: &HashMap<String, Fixture>, id: &str, last_id: Option<String>) -> Response {
    let Some(fixture) = fixtures.get(id) else { return StatusCode::NOT_FOUND.into_response() };
    let items = fixture.items_after(fixture.send.clone(), last_id.as_deref());
    let steps = match corpus::build(&items, event) {
        Ok(steps) => steps,
        Err(why) => return warp::reply::with_status(format!("not expressible with warp: {why}"), StatusCode::NOT_FOUND).into_response(),
    };
    let events = corpus::play(steps, fixture.open).map(Ok::<_, Infallible>);
    let events = warp::sse::keep_alive().interval(Duration::from_secs(1)).stream(events);
    warp::sse::reply(events).into_response()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (fixtures, addr) = corpus::from_command_line(NAME);
    let fixtures = Arc::new(fixtures);
    let routes = warp::get()
        .and(warp::path::param::<String>())
        .and(warp::path::end())
        .and(warp::sse::last_event_id::<String>())
        .map(move |id: String, last_id: Option<String>| stream(&fixtures, &id, last_id));
    let server = warp::serve(routes).bind(addr).await;
    corpus::listening(NAME, addr);
    server.run().await;
}
