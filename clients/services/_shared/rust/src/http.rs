//! The service's own HTTP/1.1 server, for the protocol's few calls (spec/CLIENT-SERVICE.md): one
//! thread per connection, so a connection the harness keeps alive never holds up another one (a
//! shared worker pool would make a new connection wait until an idle one is closed). Every read
//! has a deadline and a cap; Content-Length bodies only; keep-alive as HTTP/1.1 defines it
//! (RFC 9112 §9.3).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const MAX_HEAD: u64 = 16 * 1024;
pub const MAX_BODY: u64 = 64 * 1024;
/// An idle kept-alive connection is closed after this long; a request must arrive within it.
const IDLE: Duration = Duration::from_secs(30);
const WRITE: Duration = Duration::from_secs(5);
/// Connections served at once; past this a new one is answered 503 and closed.
const MAX_CONNECTIONS: usize = 512;

pub struct Request {
    pub method: String,
    /// The request target without its query.
    pub path: String,
    pub body: Vec<u8>,
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub location: Option<String>,
    /// Ends the process once this response is written (`DELETE /`).
    pub exit: bool,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: String) -> Response {
        Response { status, content_type, body, location: None, exit: false }
    }
}

/// Serves `handle` on `listener` until the process ends.
pub fn serve(listener: TcpListener, handle: Arc<dyn Fn(Request) -> Response + Send + Sync>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(WRITE));
            let _ = write_response(&stream, &Response::new(503, "text/plain", "too many connections".into()), false);
            continue;
        }
        let (handle, open) = (handle.clone(), open.clone());
        std::thread::spawn(move || {
            connection(stream, &*handle);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn connection(stream: TcpStream, handle: &(dyn Fn(Request) -> Response + Send + Sync)) {
    if stream.set_read_timeout(Some(IDLE)).is_err() || stream.set_write_timeout(Some(WRITE)).is_err() {
        return;
    }
    let Ok(writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let (request, keep_alive) = match read_request(&mut reader) {
            Ok(Some(read)) => read,
            Ok(None) => return, // the client closed the connection, or went idle
            Err(status) => {
                let _ = write_response(&writer, &Response::new(status, "text/plain", "bad request".into()), false);
                return;
            }
        };
        let response = handle(request);
        let written = write_response(&writer, &response, keep_alive && !response.exit);
        if response.exit {
            std::thread::sleep(Duration::from_millis(50));
            std::process::exit(0);
        }
        if written.is_err() || !keep_alive {
            return;
        }
    }
}

/// One request and whether the connection stays open after it; `Ok(None)` when none came,
/// `Err(status)` when what came cannot be served.
fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Option<(Request, bool)>, u16> {
    let mut head = reader.by_ref().take(MAX_HEAD);
    let mut line = String::new();
    match head.read_line(&mut line) {
        Ok(0) | Err(_) => return Ok(None),
        Ok(_) => {}
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else { return Err(400) };
    let (method, path, version) = (method.to_owned(), target.split('?').next().unwrap_or("/").to_owned(), version.to_owned());
    let mut length = 0u64;
    let mut connection = String::new();
    loop {
        line.clear();
        match head.read_line(&mut line) {
            Ok(0) | Err(_) => return Err(400), // the head ended early or is longer than the cap
            Ok(_) => {}
        }
        let field = line.trim_end_matches(['\r', '\n']);
        if field.is_empty() {
            break;
        }
        let Some((name, value)) = field.split_once(':') else { return Err(400) };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().map_err(|_| 400u16)?,
            "transfer-encoding" => return Err(411),
            "connection" => connection = value.to_ascii_lowercase(),
            _ => {}
        }
    }
    if length > MAX_BODY {
        return Err(413);
    }
    let mut body = vec![0; length as usize];
    reader.read_exact(&mut body).map_err(|_| 400u16)?;
    let keep_alive = if version == "HTTP/1.0" { connection.contains("keep-alive") } else { !connection.contains("close") };
    Ok(Some((Request { method, path, body }, keep_alive)))
}

fn write_response(mut stream: &TcpStream, response: &Response, keep_alive: bool) -> std::io::Result<()> {
    let reason = match response.status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Content Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\n", response.status, response.content_type);
    // A 204 carries no body and no Content-Length (RFC 9110 §8.6).
    if response.status != 204 {
        head.push_str(&format!("content-length: {}\r\n", response.body.len()));
    }
    if let Some(location) = &response.location {
        head.push_str(&format!("location: {location}\r\n"));
    }
    head.push_str(if keep_alive { "\r\n" } else { "connection: close\r\n\r\n" });
    stream.write_all(head.as_bytes())?;
    if response.status != 204 {
        stream.write_all(response.body.as_bytes())?;
    }
    stream.flush()
}
