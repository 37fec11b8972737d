//! The preview under attack (issue 19): run with `ulimit -n 256`, it gets
//! 1,000 connections at once, half-sent (slowloris) and oversized
//! requests, requests for a wrong host and with methods it does not
//! take, all on loopback and bounded in time (about 15 s). Every answer
//! must be the one for its kind of request (or 503 while the preview is
//! full); afterwards the preview serves pages again within a second,
//! and its memory (VmRSS) comes back to within 20 % of where it started.
//! The figures are printed (`cargo test --test serve_load -- --nocapture`).
//!
//! Linux only: it reads the server's memory from /proc.
#![cfg(target_os = "linux")]

mod common;
mod serve_common;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::TcpStream;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serve_common::*;

/// Connections of the flood.
const FLOOD: usize = 1000;
/// Threads that open the flood's connections.
const FLOOD_THREADS: usize = 4;
/// Half-sent requests, one byte at a time.
const SLOW: usize = 60;
/// The pause between the bytes of a half-sent request.
const SLOW_PAUSE: Duration = Duration::from_millis(250);
/// Threads sending each kind of hostile request (a wrong host, a wrong
/// method, an endless header line, a huge request line).
const HOSTILE_THREADS: usize = 2;
/// The most bytes one endless header sends.
const ENDLESS_BYTES: usize = 64 << 20;
/// The server's head timeout (src/serve/head.rs) and what a connection
/// may take beyond it on a busy machine.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
const SLACK: Duration = Duration::from_secs(8);

/// How many answers of each status a kind of request got; 0 stands for
/// a connection closed without an answer.
#[derive(Default)]
struct Tally(Mutex<BTreeMap<u16, usize>>);

impl Tally {
    fn add(&self, reply: Option<Reply>) {
        let status = reply.map_or(0, |r| r.status);
        *self.0.lock().unwrap().entry(status).or_default() += 1;
    }
    fn counts(&self) -> BTreeMap<u16, usize> {
        self.0.lock().unwrap().clone()
    }
    /// Asserts that every answer is `expected` or 503, and that at least
    /// one is `expected`.
    fn assert_only(&self, kind: &str, expected: u16) {
        let counts = self.counts();
        assert!(
            counts.keys().all(|&s| s == expected || s == 503),
            "{kind}: {counts:?}"
        );
        assert!(
            counts.get(&expected).copied().unwrap_or(0) > 0,
            "{kind}: no {expected} at all: {counts:?}"
        );
    }
}

/// Raises this test's own soft limit of open files to the hard limit:
/// the flood needs more than a thousand sockets at once.
fn raise_own_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the struct given.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        limit.rlim_cur = limit.rlim_max.min(65536);
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
    }
    limit.rlim_cur
}

/// Sends `raw` on `stream` and reads the reply. The server may answer
/// and close before it has all of `raw` (a request line too long), so a
/// failed write still reads what came.
fn send(mut stream: TcpStream, raw: &[u8]) -> Option<Reply> {
    let _ = stream.write_all(raw);
    Reply::parse(&read_all(&mut stream))
}

#[test]
fn the_preview_survives_a_flood_of_hostile_requests_and_recovers() {
    let own_limit = raise_own_open_file_limit();
    assert!(
        own_limit as usize > FLOOD + SLOW + 200,
        "the test needs {} open files, the hard limit is {own_limit}",
        FLOOD + SLOW + 200
    );
    let site = new_site();
    let mut server = Server::start_with(
        &site,
        Start {
            open_files: Some(256),
            ..Start::default()
        },
    );
    let pid = server.child.id();
    let rss = || proc_status_kb(pid, "VmRSS");

    // Warm up: pages, assets, a live-reload stream, as an editor would.
    for path in [
        "/",
        "/chapters/",
        "/css/site.css",
        "/js/search.js",
        "/404.html",
    ] {
        for _ in 0..10 {
            assert_eq!(server.get(path).status, 200, "{path}");
        }
    }
    drop((server.events(), server.events()));
    // A browser loads a page's assets side by side.
    std::thread::scope(|scope| {
        for _ in 0..16 {
            scope.spawn(|| {
                for path in ["/", "/css/site.css"] {
                    assert_eq!(server.get(path).status, 200);
                }
            });
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    let baseline = rss();

    let peak = AtomicU64::new(baseline);
    let attacking = AtomicBool::new(true);
    let flood = Tally::default();
    let slow = Tally::default();
    let slow_longest = Mutex::new(Duration::ZERO);
    let hosts = Tally::default();
    let methods = Tally::default();
    let endless = Tally::default();
    let long_lines = Tally::default();
    let attack_started = Instant::now();
    let slow_done = AtomicBool::new(false);
    let slow_left = std::sync::atomic::AtomicUsize::new(SLOW);
    // A wrong host, methods the preview does not take, endless header
    // lines and huge request lines: each kind again and again while
    // the half-sent requests hold their places, and until it got its
    // own answer a few times.
    let hostile =
        |tally: &'_ Tally, expected: u16, attempt: &(dyn Fn(usize) -> Option<Reply> + Sync)| {
            let mut n = 0;
            loop {
                tally.add(attempt(n));
                n += 1;
                let answered = tally.counts().get(&expected).copied().unwrap_or(0);
                let done = slow_done.load(Ordering::Acquire) && answered >= 3;
                if done || attack_started.elapsed() > HEAD_TIMEOUT + SLACK * 2 {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        };
    let wrong_host = |n: usize| {
        let host = format!("rebind-{n}.attacker.example");
        send(
            server.connect(),
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        )
    };
    let wrong_method = |n: usize| {
        let method = ["POST", "PUT", "DELETE", "TRACE", "X-EVIL"][n % 5];
        send(
            server.connect(),
            format!("{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi")
                .as_bytes(),
        )
    };
    let endless_header = |_: usize| server.endless_header(ENDLESS_BYTES).0;
    let long_line = |_: usize| {
        let line = format!(
            "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "a".repeat(1 << 20)
        );
        send(server.connect(), line.as_bytes())
    };
    std::thread::scope(|scope| {
        // Memory, every 20 ms while the attack lasts.
        scope.spawn(|| {
            while attacking.load(Ordering::Acquire) {
                peak.fetch_max(rss(), Ordering::AcqRel);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let mut attackers = Vec::new();
        // 1,000 connections, each sending a good request at once and
        // reading nothing until all of them are open.
        for _ in 0..FLOOD_THREADS {
            attackers.push(scope.spawn(|| {
                let mut open = Vec::new();
                for _ in 0..FLOOD / FLOOD_THREADS {
                    let mut stream = server.connect();
                    let _ = stream.write_all(
                        b"GET /chapters/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    );
                    open.push(stream);
                }
                for mut stream in open {
                    flood.add(Reply::parse(&read_all(&mut stream)));
                }
            }));
        }
        // Half-sent requests: one byte at a time, never finished.
        for _ in 0..SLOW {
            attackers.push(scope.spawn(|| {
                let mut stream = server.connect();
                stream.set_nonblocking(true).unwrap();
                let started = Instant::now();
                let head = b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow and ever slower";
                let mut received = Vec::new();
                let mut buffer = [0u8; 4096];
                'sending: for byte in head.iter().cycle() {
                    // Stop when the server answered or closed.
                    loop {
                        match std::io::Read::read(&mut stream, &mut buffer) {
                            Ok(0) => break 'sending,
                            Ok(n) => received.extend_from_slice(&buffer[..n]),
                            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                            Err(_) => break 'sending,
                        }
                    }
                    if stream.write_all(std::slice::from_ref(byte)).is_err() {
                        break;
                    }
                    assert!(
                        started.elapsed() < HEAD_TIMEOUT + SLACK,
                        "a half-sent request was held for {:?}",
                        started.elapsed()
                    );
                    std::thread::sleep(SLOW_PAUSE);
                }
                stream.set_nonblocking(false).unwrap();
                received.extend(read_all(&mut stream));
                let mut longest = slow_longest.lock().unwrap();
                *longest = (*longest).max(started.elapsed());
                slow.add(Reply::parse(&received));
                if slow_left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    slow_done.store(true, Ordering::Release);
                }
            }));
        }
        for _ in 0..HOSTILE_THREADS {
            attackers.push(scope.spawn(|| hostile(&hosts, 403, &wrong_host)));
            attackers.push(scope.spawn(|| hostile(&methods, 405, &wrong_method)));
            attackers.push(scope.spawn(|| hostile(&endless, 431, &endless_header)));
            attackers.push(scope.spawn(|| hostile(&long_lines, 414, &long_line)));
        }
        for attacker in attackers {
            attacker.join().unwrap();
        }
        attacking.store(false, Ordering::Release);
    });
    let attack_time = attack_started.elapsed();

    // Every connection of the attack is closed: pages are served again.
    let recovery_started = Instant::now();
    let mut busy_answers = 0;
    loop {
        let reply = server.get("/");
        if reply.status == 200 {
            break;
        }
        assert_eq!(reply.status, 503, "{}", reply.text());
        busy_answers += 1;
        assert!(
            recovery_started.elapsed() < Duration::from_secs(10),
            "no page within 10 s after the attack"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let recovery = recovery_started.elapsed();

    // Memory comes back (idle threads of the HTTP library end within 5 s).
    let memory_started = Instant::now();
    let mut after = rss();
    while after * 10 > baseline * 12 && memory_started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(100));
        after = rss();
    }
    let peak_rss = peak
        .load(Ordering::Acquire)
        .max(proc_status_kb(pid, "VmHWM"));

    eprintln!(
        "serve load test (open-file limit 256):\n  \
         flood of {FLOOD} connections: {:?} (status: count; 0 = closed unanswered)\n  \
         {SLOW} half-sent requests: {:?}, the longest held {:.1} s\n  \
         wrong host: {:?}; wrong method: {:?}\n  \
         endless header: {:?}; 1 MB request line: {:?}\n  \
         attack took {:.1} s; first page after it in {} ms ({busy_answers} busy answers)\n  \
         memory (VmRSS): {} kB before, {} kB peak, {} kB after ({:+.1} %, settled in {:.1} s)",
        flood.counts(),
        slow.counts(),
        slow_longest.lock().unwrap().as_secs_f64(),
        hosts.counts(),
        methods.counts(),
        endless.counts(),
        long_lines.counts(),
        attack_time.as_secs_f64(),
        recovery.as_millis(),
        baseline,
        peak_rss,
        after,
        (after as f64 / baseline as f64 - 1.0) * 100.0,
        memory_started.elapsed().as_secs_f64(),
    );

    flood.assert_only("flood", 200);
    slow.assert_only("half-sent requests", 408);
    hosts.assert_only("wrong host", 403);
    methods.assert_only("wrong method", 405);
    endless.assert_only("endless header", 431);
    long_lines.assert_only("huge request line", 414);
    assert!(
        recovery < Duration::from_secs(1),
        "the first page after the attack took {recovery:?}"
    );
    assert!(
        after * 10 <= baseline * 12,
        "memory did not come back: {baseline} kB before, {after} kB after"
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the preview is still running"
    );
    let stderr = server.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
