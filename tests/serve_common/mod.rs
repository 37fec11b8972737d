//! Helpers shared by the tests of `drehbuch serve` (tests/serve.rs and
//! tests/serve_load.rs): the real binary on an ephemeral port, real HTTP
//! over TCP.
#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::TestSite;

/// A running `drehbuch serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// Everything the server printed on stderr so far.
    stderr: Arc<Mutex<String>>,
    /// Everything it printed on stdout after its first line (`rebuilt N
    /// pages in … ms`).
    stdout: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM first, as a terminal's Ctrl-C or a service manager would
        // stop it, so the server removes what it created; SIGKILL after.
        #[cfg(unix)]
        {
            // SAFETY: kill(2) with the id of a child this test started.
            unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(5) {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response: status, headers (lowercase names), body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Parses a whole response as read from the socket; `None` when the
    /// server closed the connection without one.
    pub fn parse(raw: &[u8]) -> Option<Reply> {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        // Undo chunked transfer encoding if used.
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        if chunked {
            body = dechunk(&body);
        }
        Some(Reply {
            status,
            headers,
            body,
        })
    }
}

/// Reads until the server closes the connection (or resets it after
/// its answer, which a server may do to a client still sending).
pub fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("reading the reply: {e}"),
        }
    }
    raw
}

/// How a test starts the server.
#[derive(Default)]
pub struct Start<'a> {
    /// Extra arguments after `serve --port 0`.
    pub args: &'a [&'a str],
    /// The open-file limit (soft and hard) the server runs under.
    pub open_files: Option<u64>,
    /// Extra environment variables (`DREHBUCH_TIMINGS`, which reports the
    /// path each edit took).
    pub env: &'a [(&'a str, &'a str)],
}

impl Server {
    pub fn start(site: &TestSite) -> Server {
        Server::start_with(site, Start::default())
    }

    pub fn start_with(site: &TestSite, start: Start<'_>) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_drehbuch"));
        command
            .args(["serve", "--port", "0"])
            .args(start.args)
            .current_dir(&site.root)
            .env("NO_COLOR", "1")
            // Check every skipped output against its full fingerprint.
            .env("DREHBUCH_SERVE_VERIFY", "1")
            .envs(start.env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(limit) = start.open_files {
            limit_open_files(&mut command, limit);
        }
        let mut child = command.spawn().expect("drehbuch serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let stderr = Arc::clone(&stderr);
            let pipe = child.stderr.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let mut all = stderr.lock().unwrap();
                    all.push_str(&line);
                    all.push('\n');
                }
            });
        }
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let first = match lines.next() {
            Some(Ok(line)) => line,
            _ => {
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                panic!("serve did not start: {}", stderr.lock().unwrap());
            }
        };
        let port: u16 = first
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no URL in {first}"));
        // Keep reading stdout so the server never blocks on a full pipe.
        let stdout = Arc::new(Mutex::new(String::new()));
        {
            let stdout = Arc::clone(&stdout);
            std::thread::spawn(move || {
                for line in lines.map_while(Result::ok) {
                    let mut all = stdout.lock().unwrap();
                    all.push_str(&line);
                    all.push('\n');
                }
            });
        }
        Server {
            child,
            port,
            stderr,
            stdout,
        }
    }

    /// What the server printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// What the server printed on stdout so far, after its first line.
    #[allow(dead_code)]
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// What the server printed on stderr once `done` holds for it (or after
    /// 20 s): the server may write a line just after it answered, and the
    /// pipe is read on another thread.
    #[allow(dead_code)]
    pub fn stderr_when(&self, done: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.stderr();
            if done(&text) || std::time::Instant::now() > deadline {
                return text;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// Sends `raw` as it is and reads the reply; `None` when the server
    /// closed the connection without answering.
    pub fn exchange(&self, raw: &[u8]) -> Option<Reply> {
        let mut stream = self.connect();
        // The server may answer and close before it has read everything
        // (a request too large); its answer is read all the same.
        let _ = stream.write_all(raw);
        Reply::parse(&read_all(&mut stream))
    }

    /// Sends a raw request line (the path exactly as given) and reads the reply.
    pub fn request(&self, method: &str, path: &str) -> Reply {
        self.request_for_host(method, path, "localhost")
    }

    /// A request with this `Host:` header.
    pub fn request_for_host(&self, method: &str, path: &str, host: &str) -> Reply {
        self.exchange(
            format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .expect("a complete response")
    }

    /// Sends a request whose last header line never ends, up to `limit`
    /// bytes of it, while reading the answer on this thread: the answer
    /// (if any) and how many bytes of the line were sent before the
    /// server closed the connection.
    pub fn endless_header(&self, limit: usize) -> (Option<Reply>, usize) {
        let mut stream = self.connect();
        let mut writer = stream.try_clone().unwrap();
        let sender = std::thread::spawn(move || {
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0;
            if writer
                .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Endless: ")
                .is_err()
            {
                return sent;
            }
            while sent < limit {
                match writer.write(&chunk) {
                    Ok(n) => sent += n,
                    Err(_) => break,
                }
            }
            sent
        });
        let reply = Reply::parse(&read_all(&mut stream));
        drop(stream);
        (reply, sender.join().unwrap())
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    /// Opens the event stream; events that happen after this call arrive.
    /// The problems the preview's panel shows, from its endpoint: whether
    /// the checks of the latest pages are still running, and each problem's
    /// `location`, `severity` and `message`, one line per problem.
    pub fn problems_panel(&self) -> (bool, Vec<String>) {
        let reply = self.get("/__drehbuch/problems");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        let checking = json["checking"].as_bool().unwrap();
        let problems = json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{} {}: {}",
                    p["location"].as_str().unwrap(),
                    p["severity"].as_str().unwrap(),
                    p["message"].as_str().unwrap()
                )
            })
            .collect();
        (checking, problems)
    }

    pub fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET /__drehbuch/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        // Skip the response head.
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Events { reader }
    }
}

pub fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
    out
}

/// A connection to the event stream.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event: (name, data). Comments (keep-alive pings) are skipped.
    pub fn next(&mut self) -> (String, String) {
        let mut name = String::new();
        let mut data = String::new();
        let mut line = String::new();
        // Keep-alive pings arrive more often than the read timeout, so a
        // rebuild that never comes must be noticed here.
        let started = Instant::now();
        loop {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no event within 60 s"
            );
            line.clear();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("an event before the timeout");
            assert!(n > 0, "the event stream closed");
            let trimmed = line.trim_end_matches(['\r', '\n']);
            if trimmed.is_empty() {
                if !name.is_empty() {
                    return (name, data);
                }
                continue;
            }
            if let Some(v) = trimmed.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = trimmed.strip_prefix("data: ") {
                data.push_str(v);
            }
        }
    }

    /// Waits for events until `done` holds for one (an edit can arrive as
    /// two batches). An unexpected `errors` event fails the test at once.
    pub fn until(&mut self, done: impl Fn(&str, &str) -> bool) -> (String, String) {
        let started = Instant::now();
        loop {
            let (name, data) = self.next();
            if done(&name, &data) {
                return (name, data);
            }
            assert_ne!(name, "errors", "the rebuild failed: {data}");
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no matching event"
            );
        }
    }

    /// Waits for rebuilds until `holds` is true. Edits of several files
    /// may arrive in more than one rebuild (the watcher debounces bursts,
    /// but a slow writer can straddle two), and a state halfway through
    /// may even fail to build.
    pub fn settle(&mut self, holds: impl Fn() -> bool) {
        let started = Instant::now();
        while !holds() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the preview never showed the edit"
            );
            self.next();
        }
    }
}

/// The page without the live-reload snippet the preview adds.
pub fn without_live_reload(html: &str) -> String {
    let Some(start) = html.find("<script>window.__drehbuch=") else {
        return html.to_string();
    };
    let end_tag = "/__drehbuch/live.js\" defer></script>";
    match html[start..].find(end_tag) {
        Some(end) => format!("{}{}", &html[..start], &html[start + end + end_tag.len()..]),
        None => html.to_string(),
    }
}

pub static SITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A new site made by `drehbuch init` in its own temporary folder: one
/// language (English), a home page, a section and a chapter.
pub fn new_site() -> TestSite {
    let n = SITES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let root = std::env::temp_dir().join(format!(
        "drehbuch-test-{}-serve-init-{n}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&root);
    let output = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .arg("init")
        .arg(&root)
        .output()
        .expect("drehbuch init runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    TestSite { root }
}

/// Runs the command with this open-file limit (soft and hard), as
/// `ulimit -n` in a shell would.
#[cfg(unix)]
pub fn limit_open_files(command: &mut Command, limit: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and
    // calls only setrlimit, which is async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
pub fn limit_open_files(_: &mut Command, _: u64) {
    panic!("open-file limits are a Unix feature");
}

/// A figure (in kB) from the server's /proc status, e.g. `VmHWM`.
#[cfg(target_os = "linux")]
pub fn proc_status_kb(pid: u32, key: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {key} in {status}"))
}
