//! Rocket: every event is a `rocket::response::stream::Event` built with the library's own
//! constructors (`Event::data`, `Event::comment`, `Event::retry`, then `.id`, `.event`,
//! `.with_retry`) and sent as an `EventStream` with a 1 s heartbeat. Rocket has no resume
//! mechanism: Last-Event-ID is read by a request guard and the application's event log resumes
//! after it. Usage: PORT=3000 rust-rocket corpus.json
#[macro_use]
extern crate rocket;

use std::collections::HashMap;
use std::time::Duration;

use corpus::{Field, Fixture, Message, Rule};
use rocket::futures::Stream;
use rocket::request::{self, FromRequest, Request};
use rocket::response::status::NotFound;
use rocket::response::stream::{Event, EventStream};
use rocket::State;

const NAME: &str = "rust-rocket";

/// What Rocket's `Event` cannot say: every event starts as data, a comment or a retry, so a lone
/// id is folded into the next event (one that cannot be folded is a 404).
const RULES: &[Rule] = &[(
    |m| m.data.is_none() && m.comment.is_none() && m.retry.is_none(),
    "rocket's Event starts from data, a comment or a retry: a lone id that cannot be folded into the next event",
)];

fn event(m: &Message) -> Event {
    let mut e = match (&m.data, &m.comment, m.retry) {
        (Some(d), _, _) => Event::data(d.clone()),
        (None, Some(c), _) => Event::comment(c.clone()),
        (None, None, Some(r)) => Event::retry(Duration::from_millis(r)),
        (None, None, None) => unreachable!("ruled out by RULES"),
    };
    if let (Some(c), Some(_)) = (&m.comment, &m.data) {
        e = e.with_comment(c.clone());
    }
    if let (Some(r), true) = (m.retry, m.data.is_some() || m.comment.is_some()) {
        e = e.with_retry(Duration::from_millis(r));
    }
    if let Some(id) = &m.id {
        e = e.id(id.clone());
    }
    if let Some(ev) = &m.event {
        e = e.event(ev.clone());
    }
    e
}

/// The Last-Event-ID request header, if any.
struct LastEventId(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for LastEventId {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        request::Outcome::Success(LastEventId(req.headers().get_one("last-event-id").map(str::to_owned)))
    }
}

#[get("/<id>")]
fn fixture_stream(
    id: &str,
    last: LastEventId,
    fixtures: &State<HashMap<String, Fixture>>,
) -> Result<EventStream<impl Stream<Item = Event> + Send + 'static>, NotFound<String>> {
    let fixture = fixtures.get(id).ok_or_else(|| NotFound(String::new()))?;
    let items = corpus::fold_dataless(fixture.send.clone(), &[Field::Id]);
    if let Some(why) = corpus::inexpressible(&items, RULES) {
        return Err(NotFound(format!("not expressible with rocket: {why}")));
    }
    let items = fixture.items_after(items, last.0.as_deref());
    let steps = corpus::build(&items, event).map_err(|why| NotFound(format!("not expressible with rocket: {why}")))?;
    Ok(EventStream::from(corpus::play(steps, fixture.open)).heartbeat(Duration::from_secs(1)))
}

#[rocket::main]
async fn main() -> Result<(), rocket::Error> {
    let (fixtures, addr) = corpus::from_command_line(NAME);
    let figment = rocket::Config::figment()
        .merge(("address", addr.ip()))
        .merge(("port", addr.port()))
        .merge(("log_level", "critical"))
        .merge(("cli_colors", false));
    let rocket = rocket::custom(figment).manage(fixtures).mount("/", routes![fixture_stream]).ignite().await?;
    corpus::listening(NAME, addr);
    rocket.launch().await?;
    Ok(())
}
