//! What every Rust target shares and no SSE library provides: reading the corpus export
//! (`sse-conformance fixtures --json`), the application's pauses, and the application's event log
//! for resumption. It never writes a byte of the stream: each adapter maps a [`Message`] to its
//! library's event type, and the library serialises it.
//!
//! The same rules as `matrix/targets/_shared/corpus.mjs` (`itemsAfter`, `foldDataless`,
//! `inexpressible`), for adapters written in Rust.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;

/// One message of a fixture's `send` list: what an adapter hands to its library's API.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Message {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: Option<String>,
    pub retry: Option<u64>,
    pub comment: Option<String>,
}

/// A `send` entry: a message, or the application's pause before the next one.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Pause(Duration),
    Message(Message),
}

#[derive(Deserialize)]
struct RawItem {
    delay: Option<f64>,
    #[serde(flatten)]
    message: Message,
}

#[derive(Deserialize)]
struct RawFixture {
    id: String,
    send: Option<Vec<RawItem>>,
    end: Option<String>,
    resume: Option<Resume>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resume {
    /// `"replay"`: an unknown Last-Event-ID gets the whole log; `"nothing"`: it gets nothing.
    pub unknown_id: String,
}

/// A server fixture (one with `send`).
#[derive(Debug, Clone)]
pub struct Fixture {
    pub id: String,
    pub send: Vec<Item>,
    /// `end: open`: the stream stays open after the last item, until the client leaves.
    pub open: bool,
    pub resume: Option<Resume>,
}

#[derive(Deserialize)]
struct Corpus {
    fixtures: Vec<RawFixture>,
}

/// The server fixtures of a corpus export, by id.
pub fn load_server_fixtures(path: &str) -> Result<HashMap<String, Fixture>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let corpus: Corpus = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    Ok(corpus
        .fixtures
        .into_iter()
        .filter_map(|f| {
            let send = f.send?;
            let send = send
                .into_iter()
                .map(|raw| match raw.delay {
                    Some(ms) => Item::Pause(Duration::from_secs_f64(ms.max(0.0) / 1000.0)),
                    None => Item::Message(raw.message),
                })
                .collect();
            let fixture = Fixture { id: f.id.clone(), send, open: f.end.as_deref() == Some("open"), resume: f.resume };
            Some((f.id, fixture))
        })
        .collect())
}

/// The command line every target shares: `PORT=3000 <binary> corpus.json`. Exits with a usage
/// line when the corpus cannot be read.
pub fn from_command_line(name: &str) -> (HashMap<String, Fixture>, SocketAddr) {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: PORT=3000 {name} <corpus.json>");
        std::process::exit(2);
    };
    let fixtures = load_server_fixtures(&path).unwrap_or_else(|e| {
        eprintln!("{name}: cannot read the corpus: {e}");
        std::process::exit(2);
    });
    // A builder that refuses a value panics (see `build`): one line in the log, no backtrace.
    let prefix = name.to_owned();
    panic::set_hook(Box::new(move |info| eprintln!("{prefix}: {info}")));
    let port = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    (fixtures, SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
}

pub fn listening(name: &str, addr: SocketAddr) {
    println!("{name} listening on http://{addr}");
}

impl Fixture {
    /// The items still to send to a client that reconnected with Last-Event-ID `last_id` — the
    /// application's event log, for libraries that only hand over the header. A fixture without
    /// `resume`, or a request without the header, gets everything (§9.2.4 reconnection).
    pub fn items_after(&self, items: Vec<Item>, last_id: Option<&str>) -> Vec<Item> {
        let (Some(resume), Some(last)) = (&self.resume, last_id) else { return items };
        let at = items.iter().position(|i| matches!(i, Item::Message(m) if m.id.as_deref() == Some(last)));
        match at {
            Some(at) => items[at + 1..].to_vec(),
            None if resume.unknown_id == "replay" => items,
            None => Vec::new(),
        }
    }
}

/// A field of a message, for [`fold_dataless`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field {
    Id,
    Retry,
}

fn has(m: &Message, field: Field) -> bool {
    match field {
        Field::Id => m.id.is_some(),
        Field::Retry => m.retry.is_some(),
    }
}

/// For libraries whose event call requires data: a message carrying only `fields` (a lone id, a
/// lone retry) is folded into the event right after it, when that is immediate, carries data and
/// sets none of the same fields — the client receives exactly the same events. What cannot be
/// folded stays as it is, for [`inexpressible`] to reject.
pub fn fold_dataless(items: Vec<Item>, fields: &[Field]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for item in items.into_iter().rev() {
        if let (Item::Message(m), Some(Item::Message(next))) = (&item, out.last_mut()) {
            let lone = m.data.is_none() && m.comment.is_none() && m.event.is_none()
                && [Field::Id, Field::Retry].iter().all(|&f| !has(m, f) || fields.contains(&f));
            let fits = next.data.is_some() && [Field::Id, Field::Retry].iter().all(|&f| !(has(m, f) && has(next, f)));
            if lone && fits {
                next.id = next.id.take().or_else(|| m.id.clone());
                next.retry = next.retry.or(m.retry);
                continue;
            }
        }
        out.push(item);
    }
    out.reverse();
    out
}

/// A rule of what a library cannot say: a predicate over one message and the reason.
pub type Rule = (fn(&Message) -> bool, &'static str);

/// The first reason the messages of `items` cannot be expressed through a library, or `None`. A
/// fixture with such a message is answered 404 (the suite reports SKIP), so a library is never
/// blamed for what its API cannot say.
pub fn inexpressible(items: &[Item], rules: &[Rule]) -> Option<&'static str> {
    items.iter().find_map(|item| match item {
        Item::Message(m) => rules.iter().find(|(matches, _)| matches(m)).map(|(_, why)| *why),
        Item::Pause(_) => None,
    })
}

/// A message mapped to a library's event, or a pause.
pub enum Step<E> {
    Pause(Duration),
    Send(E),
}

/// Maps every message to the library's event with `build` (the library's own builder), before
/// the response starts. A builder that panics refuses the value: its message is returned, and the
/// adapter answers 404 with it (as the Node adapters do for a library that throws).
pub fn build<E>(items: &[Item], mut build: impl FnMut(&Message) -> E) -> Result<Vec<Step<E>>, String> {
    let mut steps = Vec::with_capacity(items.len());
    for item in items {
        steps.push(match item {
            Item::Pause(d) => Step::Pause(*d),
            Item::Message(m) => Step::Send(refused(|| build(m))?),
        });
    }
    Ok(steps)
}

/// Runs `f`; a panic becomes its message.
pub fn refused<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the library panicked".to_string())
    })
}

/// The application's stream: each event in order, after its pause; then the end — or, for an
/// open fixture, a stream that never ends (the library's keep-alive fills the silence).
pub fn play<E: Send + Sync + 'static>(steps: Vec<Step<E>>, open: bool) -> impl Stream<Item = E> + Send + Sync + 'static {
    let events = stream::unfold(steps.into_iter(), |mut rest| async move {
        loop {
            match rest.next()? {
                Step::Pause(d) => tokio::time::sleep(d).await,
                Step::Send(e) => return Some((e, rest)),
            }
        }
    });
    let tail = if open { stream::pending().left_stream() } else { stream::empty().right_stream() };
    events.chain(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: Option<&str>, data: Option<&str>, retry: Option<u64>) -> Item {
        Item::Message(Message { id: id.map(Into::into), data: data.map(Into::into), retry, ..Default::default() })
    }

    #[test]
    fn folds_a_lone_id_into_the_next_event() {
        let folded = fold_dataless(vec![msg(Some("5"), None, None), msg(None, Some("after"), None)], &[Field::Id]);
        assert_eq!(folded, vec![msg(Some("5"), Some("after"), None)]);
    }

    #[test]
    fn keeps_what_cannot_be_folded() {
        let items = vec![msg(Some("5"), None, None), msg(Some("6"), Some("after"), None)];
        assert_eq!(fold_dataless(items.clone(), &[Field::Id]), items);
        let retry = vec![msg(None, None, Some(5)), msg(None, Some("x"), None)];
        assert_eq!(fold_dataless(retry.clone(), &[Field::Id]), retry);
    }

    #[test]
    fn resumes_after_the_last_id() {
        let fixture = Fixture {
            id: "f".into(),
            send: vec![msg(Some("1"), Some("a"), None), msg(Some("2"), Some("b"), None)],
            open: false,
            resume: Some(Resume { unknown_id: "nothing".into() }),
        };
        assert_eq!(fixture.items_after(fixture.send.clone(), Some("1")), vec![msg(Some("2"), Some("b"), None)]);
        assert_eq!(fixture.items_after(fixture.send.clone(), Some("x")), vec![]);
        assert_eq!(fixture.items_after(fixture.send.clone(), None).len(), 2);
    }

    #[test]
    fn a_panicking_builder_is_a_refusal() {
        let items = vec![msg(None, Some("x"), None)];
        assert_eq!(build(&items, |_| -> u8 { panic!("no CR") }).err().as_deref(), Some("no CR"));
    }
}
