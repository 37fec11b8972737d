//! Which host names the preview answers to, against DNS rebinding: a web
//! page on `attacker.example` can point that name at 127.0.0.1 and then
//! read whatever the preview serves (drafts, error messages with source
//! lines) as its own origin. Its requests still say
//! `Host: attacker.example`, so that is where they are stopped.
//!
//! Answered are the names of this computer (`localhost` and names under
//! `.localhost`, which browsers resolve to loopback themselves), IP
//! addresses (an address is no name that DNS could rebind: a page can
//! only reach it under its own origin, which another site cannot read),
//! and the names given with `--allowed-host`, as Vite and
//! webpack-dev-server do.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::head::Refusal;

/// A host name as it appears in a `Host` header.
#[derive(Debug, PartialEq, Eq)]
enum HostName {
    /// An IP address (`127.0.0.1`, `[::1]`).
    Address(IpAddr),
    /// A DNS name, lowercase, without a trailing dot.
    Name(String),
}

/// The longest DNS name.
const MAX_NAME: usize = 253;

/// A DNS name (lowercase, without a trailing dot) or an IPv4 address
/// written as a name, if `text` is one.
fn name(text: &str) -> Option<HostName> {
    let text = text.strip_suffix('.').unwrap_or(text);
    if let Ok(address) = text.parse::<Ipv4Addr>() {
        return Some(HostName::Address(address.into()));
    }
    let valid = !text.is_empty()
        && text.len() <= MAX_NAME
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    valid.then(|| HostName::Name(text.to_ascii_lowercase()))
}

/// The host in a `Host` header's value (`name`, `name:port`,
/// `[v6]:port`), or `None` when it is not one.
fn host_name(value: &str) -> Option<HostName> {
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let address: Ipv6Addr = inside.parse().ok()?;
        let port = match after {
            "" => "",
            _ => after.strip_prefix(':')?,
        };
        (HostName::Address(address.into()), port)
    } else {
        let (host, port) = value.split_once(':').unwrap_or((value, ""));
        (name(host)?, port)
    };
    (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())).then_some(host)
}

/// The host names the preview answers to besides the built-in ones.
#[derive(Clone, Debug, Default)]
pub(crate) struct HostPolicy {
    /// Lowercase names; one starting with `.` stands for that domain and
    /// every name under it.
    allowed: Vec<String>,
}

impl HostPolicy {
    /// The policy with the names given with `--allowed-host`; an error
    /// (a sentence) for one that is no host name.
    pub(crate) fn new(allowed: &[String]) -> Result<HostPolicy, String> {
        let allowed = allowed
            .iter()
            .map(|given| {
                let domain = given.strip_prefix('.');
                match name(domain.unwrap_or(given)) {
                    Some(HostName::Name(name)) if domain.is_some() => Ok(format!(".{name}")),
                    Some(HostName::Name(name)) => Ok(name),
                    // Addresses are answered anyway.
                    Some(HostName::Address(address)) => Ok(address.to_string()),
                    None => Err(format!(
                        "--allowed-host `{given}` is not a host name; give a name without \
                         port or scheme, such as `preview.example`, or `.example` for every \
                         name under example"
                    )),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(HostPolicy { allowed })
    }

    /// Whether a request with this `Host` value is answered: `Ok`, or
    /// the refusal (403 for a name not allowed, 400 for no host name).
    pub(crate) fn check(&self, host: &str) -> Result<(), Refusal> {
        let name = match host_name(host) {
            None => return Err(Refusal::Malformed("its Host is not a host name")),
            Some(HostName::Address(_)) => return Ok(()),
            Some(HostName::Name(name)) => name,
        };
        let under = |domain: &str| {
            name == domain
                || name
                    .strip_suffix(domain)
                    .is_some_and(|head| head.ends_with('.'))
        };
        if under("localhost") {
            return Ok(());
        }
        let allowed = self.allowed.iter().any(|a| match a.strip_prefix('.') {
            Some(domain) => under(domain),
            None => name == *a,
        });
        if allowed {
            Ok(())
        } else {
            Err(Refusal::Host(name))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_addresses_and_allowed_names_are_answered() {
        let policy =
            HostPolicy::new(&["Preview.Test".to_string(), ".team.test".to_string()]).unwrap();
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "localhost:",
            "app.localhost",
            "a.b.localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "192.168.1.20:1111",
            "[::1]",
            "[::1]:1111",
            "[fe80::1]:80",
            "preview.test",
            "preview.test:1111",
            "team.test",
            "docs.team.test",
        ] {
            assert_eq!(policy.check(host), Ok(()), "{host}");
        }
        for (host, name) in [
            ("attacker.example", "attacker.example"),
            ("Attacker.Example:1111", "attacker.example"),
            ("localhost.attacker.example", "localhost.attacker.example"),
            ("xlocalhost", "xlocalhost"),
            ("evilteam.test", "evilteam.test"),
            ("preview.test.evil", "preview.test.evil"),
            ("127.0.0.1.nip.io", "127.0.0.1.nip.io"),
            ("2130706433", "2130706433"),
        ] {
            assert_eq!(
                policy.check(host),
                Err(Refusal::Host(name.to_string())),
                "{host}"
            );
        }
        for host in [
            "",
            "a b",
            "<script>",
            "a..b",
            "user@localhost",
            "localhost:80:80",
            "localhost:123456",
            "[::1",
            "[localhost]",
            "::1",
            "a/b",
        ] {
            assert!(
                matches!(policy.check(host), Err(Refusal::Malformed(_))),
                "{host}"
            );
        }
    }

    #[test]
    fn allowed_hosts_must_be_host_names() {
        for bad in ["a/b", "http://x.test", "x.test:8080", "", ".", "a b"] {
            let error = HostPolicy::new(&[bad.to_string()]).unwrap_err();
            assert!(
                error.starts_with(&format!("--allowed-host `{bad}`")),
                "{error}"
            );
        }
        assert!(HostPolicy::new(&["10.0.0.2".to_string()]).is_ok());
    }
}
