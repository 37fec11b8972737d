//! The preview's front door. `tiny_http` reads request heads without a
//! limit of size or time, grows a thread per connection without bound,
//! and its accept thread panics or stops for good when the process runs
//! out of file handles; none of that can be configured. So the public
//! port is drehbuch's own: the gate accepts every connection, reads one
//! request head within limits ([`super::head`]), checks its host name
//! ([`super::hosts`]) and method, and hands only a vetted request to
//! `tiny_http` over a private connection ([`super::handoff`]), rebuilt
//! from what was checked, with `Connection: close`, so that every request
//! on the public port passes the gate. The response is copied back as it
//! comes (a live-reload stream lasts as long as the tab).
//!
//! Connections are capped by the file handles the process may open (the
//! soft limit is raised to the hard one at start); beyond the cap the
//! answer is 503. When accepting fails (out of handles after all), the
//! gate waits a moment and goes on. If it cannot accept for a long time,
//! or `tiny_http` stops taking requests, the preview says so and exits
//! ([`super::give_up`]) instead of printing "serving" while nothing
//! answers.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::handoff::{Handoff, HandoffStream, TICKET_HEADER, Tickets};
use super::head::{self, HEAD_SECONDS, HeadScanner, Refusal, RequestHead, Scan};
use super::hosts::HostPolicy;

/// The most connections at once, whatever the file handles allow: a
/// preview has one editor, whose browser opens six connections to a host
/// plus one live-reload stream per tab.
const MAX_CONNECTIONS: usize = 256;
/// The fewest connections, however low the open-file limit.
const MIN_CONNECTIONS: usize = 4;
/// File handles one connection may need: the client's socket, the
/// gate's and `tiny_http`'s ends of the private connection (which
/// `tiny_http` opens twice), and a static file being read.
const HANDLES_PER_CONNECTION: u64 = 5;
/// File handles kept for the rest of the preview: standard streams, the
/// listeners, the file watcher, files read while rebuilding, and the
/// connection being refused.
const RESERVED_HANDLES: u64 = 64;
/// The open-file limit the preview asks for (if the hard limit allows):
/// enough for [`MAX_CONNECTIONS`].
const WANTED_HANDLES: u64 = RESERVED_HANDLES + HANDLES_PER_CONNECTION * MAX_CONNECTIONS as u64;

/// How long a write to a client may block; a client that reads nothing
/// is dropped after it.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a response may be silent (the live-reload stream sends a
/// comment every 15 s; building the search index may take a while).
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long `tiny_http` may take to pass a handed-over request to the
/// handler. It only has to read a short head from a local socket, so a
/// request that does not arrive by then means it stopped working.
const HANDOFF_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a waiting connection looks at the clock.
const POLL: Duration = Duration::from_secs(1);
/// After a refusal, how long and how much of what the client still
/// sends is read and dropped, so that it can read the answer before the
/// connection closes.
const LINGER: Duration = Duration::from_secs(1);
/// See [`LINGER`].
const LINGER_BYTES: usize = 1 << 20;
/// How long accepting may fail without a break before the preview gives up.
const ACCEPT_GIVE_UP: Duration = Duration::from_secs(60);
/// The pause after a failed accept (out of file handles).
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);
/// The largest response head the gate reads from `tiny_http`.
const MAX_RESPONSE_HEAD: usize = 64 * 1024;
/// Stack size of a connection's thread: it only moves bytes.
const CONNECTION_STACK: usize = 256 * 1024;
/// The most refused host names the terminal is told about.
const MAX_HOSTS_REPORTED: usize = 16;

/// The count of open connections against the cap.
pub(crate) struct Slots {
    taken: AtomicUsize,
    capacity: usize,
}

/// One connection's place among the [`Slots`], given back when the last
/// copy is dropped (the gate's thread holds one, a handed-over request's
/// ticket another).
#[derive(Clone)]
pub(crate) struct Slot {
    _held: Arc<SlotHeld>,
}

/// Gives the place back when dropped.
struct SlotHeld(Arc<Slots>);

impl Drop for SlotHeld {
    fn drop(&mut self) {
        self.0.taken.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Slots {
    /// Room for `capacity` connections.
    pub(crate) fn new(capacity: usize) -> Arc<Slots> {
        Arc::new(Slots {
            taken: AtomicUsize::new(0),
            capacity,
        })
    }

    /// A place for one more connection, if there is one.
    pub(crate) fn take(self: &Arc<Slots>) -> Option<Slot> {
        self.taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |taken| {
                (taken < self.capacity).then_some(taken + 1)
            })
            .ok()
            .map(|_| Slot {
                _held: Arc::new(SlotHeld(Arc::clone(self))),
            })
    }
}

/// Raises the soft limit of open files towards the hard limit (as far as
/// the preview can use) and returns the soft limit in effect.
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not on every Unix
fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 256;
    }
    let wanted = (limit.rlim_max as u64).min(WANTED_HANDLES);
    if wanted > limit.rlim_cur as u64 {
        let raised = libc::rlimit {
            rlim_cur: wanted as libc::rlim_t,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: setrlimit reads the struct it is given.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            return wanted;
        }
    }
    limit.rlim_cur as u64
}

/// Windows has no small limit of sockets per process.
#[cfg(not(unix))]
fn raise_open_file_limit() -> u64 {
    WANTED_HANDLES
}

/// How many connections the preview takes at once, with the open-file
/// limit that decided it.
pub(crate) fn capacity() -> (usize, u64) {
    let handles = raise_open_file_limit();
    let connections = handles.saturating_sub(RESERVED_HANDLES) / HANDLES_PER_CONNECTION;
    let connections = usize::try_from(connections)
        .unwrap_or(MAX_CONNECTIONS)
        .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS);
    (connections, handles)
}

/// The gate: what every connection needs.
pub(crate) struct Gate {
    policy: HostPolicy,
    handoff: Handoff,
    tickets: Arc<Tickets>,
    slots: Arc<Slots>,
    /// Host names refused so far, each told to the terminal once.
    refused_hosts: Mutex<std::collections::BTreeSet<String>>,
}

impl Gate {
    /// A gate for at most `capacity` connections at once.
    pub(crate) fn new(
        policy: HostPolicy,
        handoff: Handoff,
        tickets: Arc<Tickets>,
        capacity: usize,
    ) -> Gate {
        Gate {
            policy,
            handoff,
            tickets,
            slots: Slots::new(capacity),
            refused_hosts: Mutex::default(),
        }
    }

    /// Accepts connections until the process ends; each gets a thread.
    pub(crate) fn run(self: Arc<Gate>, listener: TcpListener) {
        let mut failing_since: Option<Instant> = None;
        loop {
            match listener.accept() {
                Ok((client, _)) => {
                    if failing_since.take().is_some() {
                        eprintln!("the preview accepts connections again");
                    }
                    self.admit(client);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::Interrupted
                            | ErrorKind::ConnectionAborted
                            | ErrorKind::ConnectionReset
                            | ErrorKind::WouldBlock
                    ) => {}
                Err(e) => {
                    let since = *failing_since.get_or_insert_with(|| {
                        eprintln!(
                            "warning: the preview cannot accept connections ({e}); it keeps trying"
                        );
                        Instant::now()
                    });
                    if since.elapsed() > ACCEPT_GIVE_UP {
                        super::give_up(&format!(
                            "the preview could not accept a connection for {} s ({e})",
                            ACCEPT_GIVE_UP.as_secs()
                        ));
                    }
                    std::thread::sleep(ACCEPT_PAUSE);
                }
            }
        }
    }

    /// Gives a new connection a thread, or answers 503 at once.
    fn admit(self: &Arc<Gate>, client: TcpStream) {
        let Some(slot) = self.slots.take() else {
            refuse_at_once(client, self.slots.capacity);
            return;
        };
        let gate = Arc::clone(self);
        // The thread owns the stream; if it cannot start, the closure and
        // the stream in it are dropped, which closes the connection.
        let spawned = std::thread::Builder::new()
            .name("drehbuch-connection".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || gate.serve(client, slot));
        if spawned.is_err() {
            eprintln!("warning: the preview cannot start a thread for a connection");
        }
    }

    /// Reads, checks and hands over one request, then copies the answer.
    fn serve(&self, mut client: TcpStream, slot: Slot) {
        let _ = client.set_nodelay(true);
        let _ = client.set_write_timeout(Some(WRITE_TIMEOUT));
        let (received, length) = match read_head(&mut client) {
            Ok(head) => head,
            Err(Some(refusal)) => return refuse(client, &refusal, false),
            Err(None) => return,
        };
        let head = match head::parse(&received[..length]) {
            Ok(head) => head,
            Err(refusal) => return refuse(client, &refusal, false),
        };
        drop(received);
        let head_only = head.method == "HEAD";
        if let Some(host) = &head.host
            && let Err(refusal) = self.policy.check(host)
        {
            self.tell_terminal(&refusal);
            return refuse(client, &refusal, head_only);
        }
        if !matches!(head.method.as_str(), "GET" | "HEAD") {
            return refuse(client, &Refusal::Method(head.method), false);
        }
        if !head.target.starts_with('/') {
            let refusal = Refusal::Malformed("its path does not start with /");
            return refuse(client, &refusal, head_only);
        }
        self.forward(client, &head, slot);
    }

    /// Tells the terminal about a refused host name, once per name, so
    /// an editor who opened the preview under it learns what to do.
    fn tell_terminal(&self, refusal: &Refusal) {
        let Refusal::Host(name) = refusal else {
            return;
        };
        let Ok(mut told) = self.refused_hosts.lock() else {
            return;
        };
        if told.len() < MAX_HOSTS_REPORTED && told.insert(name.clone()) {
            eprintln!(
                "refused a request for the host `{name}` (a page elsewhere could use a name \
                 to read the preview); if you opened it so, restart with \
                 `drehbuch serve --allowed-host {name}`"
            );
        }
    }

    /// Hands the request to `tiny_http` and copies its answer back.
    fn forward(&self, mut client: TcpStream, head: &RequestHead, slot: Slot) {
        let head_only = head.method == "HEAD";
        let mut upstream = match self.handoff.connect() {
            Ok(stream) => stream,
            Err(e) if is_out_of_handles(&e) => {
                return refuse(client, &Refusal::Busy(self.slots.capacity), head_only);
            }
            Err(e) => super::give_up(&format!(
                "the preview's HTTP server cannot be reached at {} ({e}); start drehbuch serve again",
                self.handoff
            )),
        };
        // The slot stays taken while this thread copies the answer and
        // while the handler answers (`slot` lives to the end of this call).
        let ticket = self.tickets.issue(slot.clone());
        let request = format!(
            "{} {} HTTP/1.{}\r\nHost: {}\r\nConnection: close\r\n{TICKET_HEADER}: {}\r\n\r\n",
            head.method,
            head.target,
            head.minor_version,
            head.host.as_deref().unwrap_or("localhost"),
            self.tickets.header_value(ticket),
        );
        let _ = upstream.set_write_timeout(Some(WRITE_TIMEOUT));
        let _ = upstream.set_read_timeout(Some(POLL));
        if upstream.write_all(request.as_bytes()).is_err() {
            self.tickets.discard(ticket);
            return;
        }
        let started = Instant::now();
        let response = read_response_head(&mut upstream, || {
            if !self.tickets.redeemed(ticket) && started.elapsed() > HANDOFF_TIMEOUT {
                super::give_up(&format!(
                    "the preview's HTTP server took no request for {} s; start drehbuch serve again",
                    HANDOFF_TIMEOUT.as_secs()
                ));
            }
        });
        self.tickets.discard(ticket);
        let Some((received, length)) = response else {
            return;
        };
        let head = with_connection_close(&received[..length]);
        if client.write_all(&head).is_err() || client.write_all(&received[length..]).is_err() {
            return;
        }
        copy_body(&mut upstream, &mut client);
        let _ = client.shutdown(Shutdown::Both);
    }
}

/// Whether an error means the process is out of file handles (or the
/// system out of buffers).
fn is_out_of_handles(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = error.raw_os_error() {
        return matches!(
            code,
            libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM
        );
    }
    matches!(error.kind(), ErrorKind::OutOfMemory)
}

/// Reads a request head within the limits of size and time: the bytes
/// received and the length of the head in them; `Err(None)` when the
/// client closed, or sent nothing before the time was up.
fn read_head(client: &mut TcpStream) -> Result<(Vec<u8>, usize), Option<Refusal>> {
    let deadline = Instant::now() + Duration::from_secs(HEAD_SECONDS);
    let mut received = Vec::with_capacity(2048);
    let mut scanner = HeadScanner::default();
    let mut chunk = [0u8; 8192];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err((!received.is_empty()).then_some(Refusal::Timeout));
        }
        client.set_read_timeout(Some(left)).map_err(|_| None)?;
        match client.read(&mut chunk) {
            Ok(0) => return Err(None),
            Ok(n) => received.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                continue;
            }
            Err(_) => return Err(None),
        }
        match scanner.scan(&received) {
            Scan::Complete(length) => return Ok((received, length)),
            Scan::Incomplete => {}
            Scan::Refused(refusal) => return Err(Some(refusal)),
        }
    }
}

/// Reads the head of `tiny_http`'s response: the bytes received and the
/// head's length in them; `None` if it closed, sent no head, or was
/// silent for [`IDLE_TIMEOUT`]. `waiting` runs at every [`POLL`] without
/// a byte.
fn read_response_head(
    upstream: &mut HandoffStream,
    waiting: impl Fn(),
) -> Option<(Vec<u8>, usize)> {
    let mut received = Vec::with_capacity(1024);
    let mut chunk = [0u8; 8192];
    let mut last = Instant::now();
    loop {
        match upstream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => {
                received.extend_from_slice(&chunk[..n]);
                last = Instant::now();
                if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                    return Some((received, end + 4));
                }
                if received.len() > MAX_RESPONSE_HEAD {
                    return None;
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                waiting();
                if last.elapsed() > IDLE_TIMEOUT {
                    return None;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// The response head with `Connection: close` instead of whatever it
/// said: the gate ends every connection after one response.
fn with_connection_close(head: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(head.len() + 20);
    let text = head.strip_suffix(b"\r\n\r\n").unwrap_or(head);
    for (index, line) in text.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let name = line.split(|&b| b == b':').next().unwrap_or_default();
        if index > 0
            && (name.eq_ignore_ascii_case(b"connection")
                || name.eq_ignore_ascii_case(b"keep-alive"))
        {
            continue;
        }
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    out
}

/// Copies the rest of the response until `tiny_http` closes, the
/// client leaves, or the response is silent for [`IDLE_TIMEOUT`].
fn copy_body(upstream: &mut HandoffStream, client: &mut TcpStream) {
    let mut chunk = [0u8; 16 * 1024];
    let mut last = Instant::now();
    loop {
        match upstream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                if client.write_all(&chunk[..n]).is_err() {
                    return;
                }
                last = Instant::now();
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if last.elapsed() > IDLE_TIMEOUT {
                    return;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Answers with a refusal's page and closes the connection.
fn refuse(mut client: TcpStream, refusal: &Refusal, head_only: bool) {
    if client.write_all(&refusal.response(head_only)).is_ok() {
        linger(client);
    }
}

/// Closes a connection whose client may still be sending (a header too
/// large, a body): the gate stops writing, then reads and drops what
/// still comes for a moment, so the client can read the answer before
/// the connection is reset.
fn linger(mut client: TcpStream) {
    let _ = client.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut chunk = [0u8; 8192];
    let mut dropped = 0;
    while dropped < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || client.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match client.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => dropped += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Answers 503 on the accepting thread, without waiting for anything:
/// what the client sent is dropped first, so that closing does not reset
/// the connection before it reads the answer.
fn refuse_at_once(mut client: TcpStream, capacity: usize) {
    if client.set_nonblocking(true).is_err() {
        return;
    }
    let mut chunk = [0u8; 8192];
    let mut drain = |client: &mut TcpStream| {
        for _ in 0..8 {
            if !matches!(client.read(&mut chunk), Ok(n) if n > 0) {
                break;
            }
        }
    };
    drain(&mut client);
    let _ = client.write_all(&Refusal::Busy(capacity).response(false));
    let _ = client.shutdown(Shutdown::Write);
    drain(&mut client);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_are_told_to_close_the_connection() {
        let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n";
        assert_eq!(
            String::from_utf8(with_connection_close(head)).unwrap(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn slots_are_given_back_when_the_last_holder_is_done() {
        let slots = Slots::new(2);
        let first = slots.take().unwrap();
        let shared = first.clone();
        let second = slots.take().unwrap();
        assert!(slots.take().is_none(), "the cap holds");
        drop(first);
        assert!(slots.take().is_none(), "a copy still holds the place");
        drop(shared);
        let third = slots.take();
        assert!(third.is_some());
        drop((second, third));
        assert_eq!(slots.taken.load(Ordering::Acquire), 0);
    }
}
