//! The protocol side of a Rust test service (spec/CLIENT-SERVICE.md), so each service's main.rs
//! holds only what its client's API does. A service calls [`serve`] with its name, version,
//! capabilities and a `create` function that starts one client; [`Reporter`] posts callbacks to
//! `<callbackUrl>/<n>`, one at a time, in order, and nothing more once the client is closed.
//!
//!     <binary> --port <n>      (prints "listening on http://127.0.0.1:<n>")

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod http;
use http::{Request, Response, MAX_BODY};

const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// What `POST /` carries: one client to create.
pub struct Params {
    pub stream_url: String,
    pub callback_url: String,
    /// `None`: leave the client's default delay.
    pub initial_delay_ms: Option<u64>,
    pub read_timeout_ms: Option<u64>,
    pub last_event_id: Option<String>,
    pub method: Option<String>,
    pub body: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Params {
    fn read(doc: &Value) -> Option<Params> {
        let text = |key: &str| doc.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| doc.get(key).and_then(Value::as_u64);
        let headers = match doc.get("headers").and_then(Value::as_object) {
            Some(map) => map.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned()))).collect(),
            None => Vec::new(),
        };
        Some(Params {
            stream_url: text("streamUrl")?,
            callback_url: text("callbackUrl")?,
            initial_delay_ms: number("initialDelayMs"),
            read_timeout_ms: number("readTimeoutMs"),
            last_event_id: text("lastEventId").filter(|id| !id.is_empty()),
            method: text("method").filter(|m| !m.is_empty()),
            body: text("body"),
            headers,
        })
    }
}

/// One running client.
pub trait Client: Send {
    /// Stops the client; it may be called while the client is still connecting.
    fn close(&self);
    /// Performs a command (`{"command": "restart"}`, `{"command": "listen", …}`) and tells
    /// whether it was accepted.
    fn command(&self, _body: &Value) -> bool {
        false
    }
}

/// Posts callbacks in order from a thread of its own; after `stop()` nothing more is posted.
#[derive(Clone)]
pub struct Reporter {
    queue: mpsc::Sender<Value>,
    stopped: Arc<AtomicBool>,
}

impl Reporter {
    fn new(callback_url: String) -> Reporter {
        let (queue, pending) = mpsc::channel::<Value>();
        let stopped = Arc::new(AtomicBool::new(false));
        let done = stopped.clone();
        std::thread::spawn(move || {
            let mut n = 0u64;
            while let Ok(message) = pending.recv() {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                n += 1;
                let _ = post_json(&format!("{callback_url}/{n}"), &message.to_string());
            }
        });
        Reporter { queue, stopped }
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }

    /// Posts one callback body.
    pub fn report(&self, message: Value) {
        if !self.stopped.load(Ordering::SeqCst) {
            let _ = self.queue.send(message);
        }
    }

    /// An event (an empty type is read as `message`).
    pub fn event(&self, event_type: &str, data: &str, id: &str) {
        self.report(json!({"kind": "event", "event": {"type": event_type, "data": data, "id": id}}));
    }

    pub fn comment(&self, comment: &str) {
        self.report(json!({"kind": "comment", "comment": comment}));
    }

    /// An error, with the ready state where the client has one.
    pub fn error(&self, text: &str, ready_state: Option<u8>) {
        match ready_state {
            Some(state) => self.report(json!({"kind": "error", "error": text, "readyState": state})),
            None => self.report(json!({"kind": "error", "error": text})),
        }
    }

    pub fn open(&self, ready_state: Option<u8>) {
        match ready_state {
            Some(state) => self.report(json!({"kind": "open", "readyState": state})),
            None => self.report(json!({"kind": "open"})),
        }
    }

    pub fn reconnecting(&self, delay: Duration) {
        self.report(json!({"kind": "reconnecting", "delayMs": delay.as_millis() as u64}));
    }
}

/// One HTTP/1.1 POST of a JSON body to an `http://host:port/path` URL, with a deadline on every
/// step; the answer's body is read up to a cap and dropped.
fn post_json(url: &str, body: &str) -> std::io::Result<()> {
    let rest = url.strip_prefix("http://").ok_or_else(|| std::io::Error::other("callback URL must be http://"))?;
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let address = std::net::ToSocketAddrs::to_socket_addrs(authority)?.next().ok_or_else(|| std::io::Error::other("no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, CALLBACK_TIMEOUT)?;
    stream.set_read_timeout(Some(CALLBACK_TIMEOUT))?;
    stream.set_write_timeout(Some(CALLBACK_TIMEOUT))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nhost: {authority}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = Vec::new();
    stream.take(MAX_BODY).read_to_end(&mut answer)?;
    Ok(())
}

/// The version of `package` in the workspace's Cargo.lock (passed in with `include_str!`).
pub fn locked_version(lock: &str, package: &str) -> String {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == wanted {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return version.trim_end_matches('"').to_owned();
            }
        }
    }
    String::new()
}

/// A test service.
pub struct Service {
    pub name: &'static str,
    pub version: String,
    pub capabilities: &'static [&'static str],
    pub create: Box<dyn Fn(Params, Reporter) -> Result<Box<dyn Client>, String> + Send + Sync>,
}

type Clients = Mutex<HashMap<u64, (Box<dyn Client>, Reporter)>>;

/// Serves the protocol on 127.0.0.1:<--port>; returns only when the process ends.
pub fn serve(service: Service) {
    let args: Vec<String> = std::env::args().collect();
    let port = args.iter().position(|a| a == "--port").and_then(|at| args.get(at + 1)).and_then(|p| p.parse::<u16>().ok()).unwrap_or(0);
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| {
        eprintln!("cannot listen on port {port}: {e}");
        std::process::exit(1);
    });
    // The runtime's threads start before the first client is asked for, not during its POST.
    let _ = runtime();
    let bound = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    println!("listening on http://127.0.0.1:{bound}");
    let _ = std::io::stdout().flush();
    let clients: Clients = Mutex::new(HashMap::new());
    let next = AtomicU64::new(0);
    http::serve(listener, Arc::new(move |request| handle(request, &service, &clients, &next)));
}

fn text(status: u16, text: &str) -> Response {
    Response::new(status, "text/plain", text.to_owned())
}

fn read_json(request: &Request) -> Option<Value> {
    serde_json::from_slice(&request.body).ok()
}

fn close(entry: &(Box<dyn Client>, Reporter)) {
    entry.1.stop();
    entry.0.close();
}

fn handle(request: Request, service: &Service, clients: &Clients, next: &AtomicU64) -> Response {
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/") => {
            let status = json!({"name": service.name, "clientVersion": service.version, "capabilities": service.capabilities});
            Response::new(200, "application/json", status.to_string())
        }
        ("DELETE", "/") => {
            for entry in clients.lock().unwrap().drain() {
                close(&entry.1);
            }
            Response { exit: true, ..text(204, "") }
        }
        ("POST", "/") => {
            let Some(params) = read_json(&request).as_ref().and_then(Params::read) else {
                return text(400, "the body must be JSON with streamUrl and callbackUrl");
            };
            let reporter = Reporter::new(params.callback_url.clone());
            match (service.create)(params, reporter.clone()) {
                Ok(client) => {
                    let id = next.fetch_add(1, Ordering::SeqCst) + 1;
                    clients.lock().unwrap().insert(id, (client, reporter));
                    Response { location: Some(format!("/clients/{id}")), ..text(201, "") }
                }
                Err(message) => {
                    reporter.stop();
                    text(500, &message)
                }
            }
        }
        (method, path) => {
            let id = path.strip_prefix("/clients/").and_then(|n| n.parse::<u64>().ok());
            match (method, id) {
                ("DELETE", Some(id)) => match clients.lock().unwrap().remove(&id) {
                    Some(entry) => {
                        close(&entry);
                        text(204, "")
                    }
                    None => text(404, "no such client"),
                },
                ("POST", Some(id)) => {
                    let body = read_json(&request).unwrap_or(Value::Null);
                    let accepted = clients.lock().unwrap().get(&id).map(|entry| entry.0.command(&body));
                    match accepted {
                        Some(true) => text(202, ""),
                        Some(false) => text(400, &format!("unsupported command {}", body.get("command").unwrap_or(&Value::Null))),
                        None => text(404, "no such client"),
                    }
                }
                _ => text(404, "no such resource"),
            }
        }
    }
}

/// The one runtime the services' async clients run on (two worker threads).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime"))
}

/// A client that is one task on [`runtime`]: closing it aborts the task, which drops the
/// client's stream and with it the connection. It takes no commands.
pub struct Task(pub tokio::task::JoinHandle<()>);

impl Client for Task {
    fn close(&self) {
        self.0.abort();
    }
}
