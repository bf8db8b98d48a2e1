//! actix-web + actix-web-lab: every event is an `actix_web_lab::sse::Event` — `Event::Data(Data::new(..)
//! .id(..).event(..))` or `Event::Comment(..)` — sent through `Sse::from_infallible_stream` with
//! `with_keep_alive(1 s)`; a retry is `Sse::with_retry_duration`, the library's only way to write
//! one. actix-web-lab has no resume mechanism: Last-Event-ID is read from the request and the
//! application's event log resumes after it. Usage: PORT=3000 rust-actix-web-lab corpus.json
use std::collections::HashMap;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer, Responder};
use actix_web_lab::sse::{Data, Event, Sse};
use corpus::{Field, Fixture, Item, Message, Rule};

const NAME: &str = "rust-actix-web-lab";

/// What actix-web-lab's `sse::Event` cannot say: a data message always carries data (a lone id is
/// folded into the next event), and `retry` exists only as `Sse::with_retry_duration`, written once
/// before every event — so only a retry in the first message can be expressed.
const RULES: &[Rule] = &[
    (
        |m| m.data.is_none() && m.comment.is_none() && m.retry.is_none(),
        "sse::Data requires data: a lone id that cannot be folded into the next event",
    ),
    (|m| m.retry.is_some(), "a retry after the first message: the only retry is Sse::with_retry_duration, sent first"),
    (|m| m.comment.is_some() && (m.data.is_some() || m.id.is_some() || m.event.is_some()), "a comment is an Event of its own"),
];

/// The first message's retry, for `with_retry_duration`; that message keeps its other fields
/// (and is dropped when the retry was all it carried).
fn take_first_retry(items: &mut Vec<Item>) -> Option<u64> {
    let at = items.iter().position(|i| matches!(i, Item::Message(_)))?;
    let Item::Message(m) = &mut items[at] else { return None };
    let retry = m.retry.take()?;
    if *m == Message::default() {
        items.remove(at);
    }
    Some(retry)
}

fn event(m: &Message) -> Event {
    if let Some(c) = &m.comment {
        return Event::Comment(c.clone().into());
    }
    let mut data = Data::new(m.data.clone().unwrap_or_default());
    if let Some(id) = &m.id {
        data = data.id(id.clone());
    }
    if let Some(ev) = &m.event {
        data = data.event(ev.clone());
    }
    Event::Data(data)
}

fn not_found(body: String) -> HttpResponse {
    HttpResponse::build(StatusCode::NOT_FOUND).body(body)
}

async fn fixture_stream(req: HttpRequest, id: web::Path<String>, fixtures: web::Data<HashMap<String, Fixture>>) -> HttpResponse {
    let Some(fixture) = fixtures.get(id.as_str()) else { return not_found(String::new()) };
    let items = corpus::fold_dataless(fixture.send.clone(), &[Field::Id]);
    let mut whole = items.clone();
    take_first_retry(&mut whole);
    if let Some(why) = corpus::inexpressible(&whole, RULES) {
        return not_found(format!("not expressible with actix-web-lab: {why}"));
    }
    let last_id = req.headers().get("last-event-id").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let mut items = fixture.items_after(items, last_id.as_deref());
    let retry = take_first_retry(&mut items);
    let steps = match corpus::build(&items, event) {
        Ok(steps) => steps,
        Err(why) => return not_found(format!("not expressible with actix-web-lab: {why}")),
    };
    let mut sse = Sse::from_infallible_stream(corpus::play(steps, fixture.open)).with_keep_alive(Duration::from_secs(1));
    if let Some(ms) = retry {
        sse = sse.with_retry_duration(Duration::from_millis(ms));
    }
    sse.respond_to(&req).map_into_boxed_body()
}

fn main() -> std::io::Result<()> {
    let (fixtures, addr) = corpus::from_command_line(NAME);
    let fixtures = web::Data::new(fixtures);
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || App::new().app_data(fixtures.clone()).route("/{id}", web::get().to(fixture_stream)))
            .workers(1)
            .bind(addr)?;
        corpus::listening(NAME, addr);
        server.run().await
    })
}
