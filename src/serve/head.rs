//! The request head as the preview's gate ([`super::gate`]) reads it:
//! its end found in the bytes as they arrive, with a limit on every part
//! ([`HeadScanner`]), then parsed strictly ([`parse`]). Whatever is
//! wrong with a request becomes a [`Refusal`], which knows its status
//! and the error page that explains it. Plain functions over bytes, so
//! every rule has a unit test.

/// The longest request line (method, path and version) the preview
/// reads; a longer one gets 414.
pub(crate) const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The longest header line; a longer one gets 431. Cookies of other
/// programs on `localhost` arrive here too, so this is not tight.
pub(crate) const MAX_HEADER_LINE: usize = 16 * 1024;
/// The longest head (request line and header lines together); 431.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// The most header lines; more get 431.
pub(crate) const MAX_HEADERS: usize = 100;
/// How long a client may take to send the whole head; then 408.
pub(crate) const HEAD_SECONDS: u64 = 10;

/// Why the preview refuses a request. Each is answered with its status
/// and a short page that says what happened and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// 400: the head is not HTTP/1.x as the preview reads it.
    Malformed(&'static str),
    /// 403: a host name the preview does not answer to (DNS rebinding).
    Host(String),
    /// 405: a method other than GET and HEAD.
    Method(String),
    /// 408: the head did not arrive in time.
    Timeout,
    /// 414: the request line is too long.
    RequestLineTooLong,
    /// 431: a header line, or the whole head, is too long.
    HeaderTooLarge,
    /// 503: as many connections are open as the preview takes; the
    /// number is that limit.
    Busy(usize),
    /// 505: an HTTP version other than 1.0 and 1.1.
    Version,
}

impl Refusal {
    /// The status code and its reason phrase.
    pub(crate) fn status(&self) -> (u16, &'static str) {
        match self {
            Refusal::Malformed(_) => (400, "Bad Request"),
            Refusal::Host(_) => (403, "Forbidden"),
            Refusal::Method(_) => (405, "Method Not Allowed"),
            Refusal::Timeout => (408, "Request Timeout"),
            Refusal::RequestLineTooLong => (414, "URI Too Long"),
            Refusal::HeaderTooLarge => (431, "Request Header Fields Too Large"),
            Refusal::Busy(_) => (503, "Service Unavailable"),
            Refusal::Version => (505, "HTTP Version Not Supported"),
        }
    }

    /// What happened and what to do, as HTML paragraphs (names from the
    /// request are escaped).
    fn explanation(&self) -> String {
        let escape = crate::text::escape_html;
        match self {
            Refusal::Malformed(what) => format!(
                "<p>The preview could not read this request: {}.</p>",
                escape(what)
            ),
            Refusal::Host(name) => {
                let name = escape(name);
                format!(
                    "<p>This preview answers only to the names of this computer \
                     (<code>localhost</code>, <code>*.localhost</code>), to IP addresses \
                     such as <code>127.0.0.1</code> and <code>[::1]</code>, and to the names \
                     given with <code>--allowed-host</code>. This request was for \
                     <code>{name}</code>.</p>\
                     <p>A web page can point a name of its own at this computer and then \
                     read the preview, drafts and error messages included, through your \
                     browser (DNS rebinding); so other names are refused.</p>\
                     <p>If you opened the preview under this name yourself, start it with \
                     <code>drehbuch serve --allowed-host {name}</code>.</p>"
                )
            }
            Refusal::Method(method) => format!(
                "<p>The preview only shows the site: it answers GET and HEAD requests, \
                 not <code>{}</code>.</p>",
                escape(method)
            ),
            Refusal::Timeout => {
                format!("<p>The request did not arrive within {HEAD_SECONDS} seconds.</p>")
            }
            Refusal::RequestLineTooLong => format!(
                "<p>The request line is longer than {} KiB.</p>",
                MAX_REQUEST_LINE / 1024
            ),
            Refusal::HeaderTooLarge => format!(
                "<p>The request's header is too large: the preview takes header lines \
                 of up to {} KiB, up to {MAX_HEADERS} of them and {} KiB in all.</p>",
                MAX_HEADER_LINE / 1024,
                MAX_HEAD / 1024
            ),
            Refusal::Busy(limit) => format!(
                "<p>The preview has {limit} connections open, as many as it takes \
                 (the limit follows the open-file limit, <code>ulimit -n</code>). \
                 Try again in a moment.</p>"
            ),
            Refusal::Version => "<p>The preview speaks HTTP/1.0 and HTTP/1.1.</p>".to_string(),
        }
    }

    /// The whole response: status line, headers and (unless the request
    /// was HEAD) the error page. The connection is closed after it.
    pub(crate) fn response(&self, head_only: bool) -> Vec<u8> {
        let (code, reason) = self.status();
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>{code} {reason}</title></head><body><h1>{code} {reason}</h1>{}\
             <p><small>drehbuch serve</small></p></body></html>\n",
            self.explanation()
        );
        let mut head = format!(
            "HTTP/1.1 {code} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
             Content-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            body.len()
        );
        match self {
            Refusal::Method(_) => head.push_str("Allow: GET, HEAD\r\n"),
            Refusal::Busy(_) => head.push_str("Retry-After: 1\r\n"),
            _ => {}
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        if !head_only {
            out.extend_from_slice(body.as_bytes());
        }
        out
    }
}

/// What a look at the bytes received so far found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Scan {
    /// The head is complete: its length, up to and including the empty
    /// line that ends it.
    Complete(usize),
    /// More is to come.
    Incomplete,
    /// A limit is passed.
    Refused(Refusal),
}

/// Finds the end of a request head in bytes as they arrive and refuses
/// it as soon as a limit is passed, so a client can never make the
/// preview hold more than [`MAX_HEAD`] bytes. Each byte is looked at
/// once, however the head is split into reads.
#[derive(Debug, Default)]
pub(crate) struct HeadScanner {
    /// Bytes looked at so far.
    scanned: usize,
    /// Where the line being received starts.
    line_start: usize,
    /// Complete lines so far (the request line and header lines).
    lines: usize,
}

impl HeadScanner {
    /// Looks at what arrived since the last call; `received` is
    /// everything received on the connection so far.
    pub(crate) fn scan(&mut self, received: &[u8]) -> Scan {
        while self.scanned < received.len() {
            let at = self.scanned;
            self.scanned += 1;
            if received[at] != b'\n' {
                continue;
            }
            let end = if at > self.line_start && received[at - 1] == b'\r' {
                at - 1
            } else {
                at
            };
            let length = end - self.line_start;
            self.line_start = at + 1;
            if length == 0 {
                // Empty lines before the request line are skipped, as
                // RFC 9112 (2.2) asks of servers.
                if self.lines == 0 {
                    continue;
                }
                return Scan::Complete(at + 1);
            }
            if let Some(refusal) = self.too_long(length) {
                return Scan::Refused(refusal);
            }
            self.lines += 1;
            if self.lines > MAX_HEADERS + 1 {
                return Scan::Refused(Refusal::HeaderTooLarge);
            }
        }
        if let Some(refusal) = self.too_long(received.len() - self.line_start) {
            return Scan::Refused(refusal);
        }
        if received.len() > MAX_HEAD {
            return Scan::Refused(if self.lines == 0 {
                Refusal::RequestLineTooLong
            } else {
                Refusal::HeaderTooLarge
            });
        }
        Scan::Incomplete
    }

    /// The refusal for a line of this length, if it is too long.
    fn too_long(&self, length: usize) -> Option<Refusal> {
        if self.lines == 0 {
            (length > MAX_REQUEST_LINE).then_some(Refusal::RequestLineTooLong)
        } else {
            (length > MAX_HEADER_LINE).then_some(Refusal::HeaderTooLarge)
        }
    }
}

/// A request head the preview can answer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RequestHead {
    /// The method, exactly as sent (methods are case-sensitive).
    pub(crate) method: String,
    /// The request target (for the preview, a path and query).
    pub(crate) target: String,
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub(crate) minor_version: u8,
    /// The `Host` header's value; only HTTP/1.0 may leave it out.
    pub(crate) host: Option<String>,
}

/// Bytes allowed in a method or header name (RFC 9110 `token`).
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Parses a complete head (as [`HeadScanner`] found it). Only what the
/// standard allows is taken: one space between the parts of the request
/// line, no folded header lines, no control characters, token names,
/// one `Host` header (required in HTTP/1.1). The header lines are read
/// for `Host` only; the gate passes nothing else on.
pub(crate) fn parse(head: &[u8]) -> Result<RequestHead, Refusal> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .skip_while(|line| line.is_empty());
    let request_line = lines
        .next()
        .ok_or(Refusal::Malformed("it has no request line"))?;
    let request_line = std::str::from_utf8(request_line)
        .ok()
        .filter(|line| line.is_ascii())
        .ok_or(Refusal::Malformed("its request line is not ASCII"))?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed(
            "its request line is not `METHOD /path HTTP/1.1`",
        ));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(Refusal::Malformed("its method is not a word"));
    }
    if target.is_empty() || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(Refusal::Malformed("its path is empty or holds spaces"));
    }
    let minor_version = match version {
        "HTTP/1.1" => 1,
        "HTTP/1.0" => 0,
        other
            if other.len() == 8
                && other.starts_with("HTTP/")
                && other.as_bytes()[5].is_ascii_digit()
                && other.as_bytes()[6] == b'.'
                && other.as_bytes()[7].is_ascii_digit() =>
        {
            return Err(Refusal::Version);
        }
        _ => {
            return Err(Refusal::Malformed(
                "its version is not HTTP/1.0 or HTTP/1.1",
            ));
        }
    };
    let mut host = None;
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            return Err(Refusal::Malformed(
                "a header line is folded (it starts with a space)",
            ));
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(Refusal::Malformed("a header line has no colon"));
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| is_token_byte(b)) {
            return Err(Refusal::Malformed("a header name is not a word"));
        }
        let value = line[colon + 1..].trim_ascii();
        if value.iter().any(|&b| (b < b' ' && b != b'\t') || b == 0x7f) {
            return Err(Refusal::Malformed(
                "a header value holds control characters",
            ));
        }
        if name.eq_ignore_ascii_case(b"host") {
            if host.is_some() {
                return Err(Refusal::Malformed("it names more than one Host"));
            }
            let value = std::str::from_utf8(value)
                .ok()
                .filter(|v| v.is_ascii())
                .ok_or(Refusal::Malformed("its Host is not ASCII"))?;
            host = Some(value.to_string());
        }
    }
    if host.is_none() && minor_version == 1 {
        return Err(Refusal::Malformed("an HTTP/1.1 request must name its Host"));
    }
    Ok(RequestHead {
        method: method.to_string(),
        target: target.to_string(),
        minor_version,
        host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans `bytes` delivered in pieces of `step` bytes.
    fn scan_in_steps(bytes: &[u8], step: usize) -> Scan {
        let mut scanner = HeadScanner::default();
        let mut end = 0;
        loop {
            end = (end + step).min(bytes.len());
            match scanner.scan(&bytes[..end]) {
                Scan::Incomplete if end < bytes.len() => {}
                other => return other,
            }
        }
    }

    #[test]
    fn the_end_of_a_head_is_found_however_it_arrives() {
        let head = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\nbody";
        for step in [1, 2, 3, 7, 100] {
            assert_eq!(scan_in_steps(head, step), Scan::Complete(head.len() - 4));
        }
        // Bare line feeds end lines too, and leading empty lines are skipped.
        let bare = b"\r\n\nGET / HTTP/1.0\n\nrest";
        assert_eq!(scan_in_steps(bare, 1), Scan::Complete(bare.len() - 4));
        assert_eq!(
            scan_in_steps(b"GET / HTTP/1.1\r\nHost: x\r\n", 5),
            Scan::Incomplete
        );
    }

    #[test]
    fn every_part_of_a_head_has_a_limit() {
        let line = format!("GET /{} HTTP/1.1", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(
            scan_in_steps(line.as_bytes(), 4096),
            Scan::Refused(Refusal::RequestLineTooLong)
        );
        // Refused before the line ends.
        assert_eq!(
            scan_in_steps(&line.as_bytes()[..MAX_REQUEST_LINE + 1], 4096),
            Scan::Refused(Refusal::RequestLineTooLong)
        );
        let header = format!("GET / HTTP/1.1\r\nX-A: {}", "b".repeat(MAX_HEADER_LINE));
        assert_eq!(
            scan_in_steps(header.as_bytes(), 1000),
            Scan::Refused(Refusal::HeaderTooLarge)
        );
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-A: 1\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(
            scan_in_steps(many.as_bytes(), 1000),
            Scan::Refused(Refusal::HeaderTooLarge)
        );
        let exactly = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: 1\r\n".repeat(MAX_HEADERS));
        assert_eq!(
            scan_in_steps(exactly.as_bytes(), 1000),
            Scan::Complete(exactly.len())
        );
        // Lines each within their limit, together too long.
        let line = format!("X-A: {}\r\n", "c".repeat(MAX_HEADER_LINE - 10));
        let big = format!("GET / HTTP/1.1\r\n{}", line.repeat(5));
        assert_eq!(
            scan_in_steps(big.as_bytes(), 4096),
            Scan::Refused(Refusal::HeaderTooLarge)
        );
        // Endless empty lines before the request line are bounded too.
        let blank = "\r\n".repeat(MAX_HEAD);
        assert_eq!(
            scan_in_steps(blank.as_bytes(), 4096),
            Scan::Refused(Refusal::RequestLineTooLong)
        );
    }

    #[test]
    fn heads_are_parsed_strictly() {
        let head = parse(b"GET /de/?q=1 HTTP/1.1\r\nhost:  Localhost:1111 \r\nAccept: */*\r\n\r\n")
            .unwrap();
        assert_eq!(
            head,
            RequestHead {
                method: "GET".into(),
                target: "/de/?q=1".into(),
                minor_version: 1,
                host: Some("Localhost:1111".into()),
            }
        );
        assert_eq!(parse(b"HEAD / HTTP/1.0\r\n\r\n").unwrap().host, None);
        // Header values may carry bytes beyond ASCII (other programs' cookies).
        assert!(parse(b"GET / HTTP/1.1\r\nHost: x\r\nCookie: a=\xc3\xa4\r\n\r\n").is_ok());
        for bad in [
            &b"GET / HTTP/1.1\r\n\r\n"[..],
            b"GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1 x\r\nHost: x\r\n\r\n",
            b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /\xc3\xa4 HTTP/1.1\r\nHost: x\r\n\r\n",
            b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\rEvil: y\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: \xc3\xa4\r\n\r\n",
            b"GET / FTP/1.1\r\nHost: x\r\n\r\n",
        ] {
            assert!(
                matches!(parse(bad), Err(Refusal::Malformed(_))),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(
            parse(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
            Err(Refusal::Version)
        );
    }

    #[test]
    fn refusals_explain_themselves_and_escape_what_the_request_said() {
        let page = String::from_utf8(Refusal::Host("a<b".into()).response(false)).unwrap();
        assert!(page.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{page}");
        assert!(page.contains("--allowed-host a&lt;b"), "{page}");
        assert!(!page.contains("a<b"), "{page}");
        let (head, body) = page.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        let method = String::from_utf8(Refusal::Method("POST".into()).response(true)).unwrap();
        assert!(method.contains("\r\nAllow: GET, HEAD\r\n"), "{method}");
        assert!(method.ends_with("\r\n\r\n"), "HEAD gets no body: {method}");
        let busy = String::from_utf8(Refusal::Busy(38).response(false)).unwrap();
        assert!(busy.contains("\r\nRetry-After: 1\r\n") && busy.contains("38 connections"));
    }
}
