//! The private way from the gate ([`super::gate`]) to the HTTP library
//! (`tiny_http`) that answers its requests: on Unix a socket in a folder
//! only this user can enter, which no browser can reach; elsewhere a
//! loopback port. Every request the gate hands over carries a
//! [`Ticket`]: a secret of this process, so that on a loopback port
//! nothing but the gate is answered, and a number the handler returns,
//! so the gate knows that the library still takes requests.
//!
//! The folder of the socket is removed when the preview stops: when it
//! returns ([`Cleanup`]), when it gives up ([`super::give_up`]), and on Ctrl-C,
//! `SIGTERM` and `SIGHUP` (a signal handler removes it, then lets the
//! signal end the process as it would have).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::gate::Slot;

/// The header that carries a request's ticket from the gate to the
/// handler; whatever a client sends under this name is dropped.
pub(crate) const TICKET_HEADER: &str = "X-Drehbuch-Ticket";

/// The stream from the gate to the HTTP library.
#[cfg(unix)]
pub(crate) type HandoffStream = std::os::unix::net::UnixStream;
/// The stream from the gate to the HTTP library.
#[cfg(not(unix))]
pub(crate) type HandoffStream = std::net::TcpStream;

/// Where the HTTP library listens, privately.
pub(crate) struct Handoff {
    /// The socket.
    #[cfg(unix)]
    socket: std::path::PathBuf,
    /// The loopback address.
    #[cfg(not(unix))]
    address: std::net::SocketAddr,
}

/// A random number from the standard library's randomly keyed hasher,
/// which takes its key from the system's random source.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(now);
    hasher.write_u32(std::process::id());
    hasher.finish()
}

impl Handoff {
    /// Opens the private listener and starts the HTTP library on it.
    #[cfg(unix)]
    pub(crate) fn open() -> Result<(Handoff, tiny_http::Server), String> {
        use std::os::unix::fs::DirBuilderExt;
        let temp = std::env::temp_dir();
        let mut attempts = 0;
        let folder = loop {
            let folder = temp.join(format!(
                "drehbuch-serve-{}-{:016x}",
                std::process::id(),
                random()
            ));
            // Created anew (never an existing folder or link), for this
            // user alone.
            match std::fs::DirBuilder::new().mode(0o700).create(&folder) {
                Ok(()) => break folder,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 8 => {
                    attempts += 1;
                }
                Err(e) => {
                    return Err(format!(
                        "cannot create a private folder in {} for the preview's socket ({e}); \
                         set TMPDIR to a folder you can write",
                        temp.display()
                    ));
                }
            }
        };
        let socket = folder.join("http.sock");
        cleanup::register(&folder, &socket);
        let listener = std::os::unix::net::UnixListener::bind(&socket).map_err(|e| {
            cleanup::remove();
            format!(
                "cannot listen on {} ({e}); set TMPDIR to a shorter path",
                socket.display()
            )
        })?;
        let server = tiny_http::Server::from_listener(listener, None).map_err(|e| {
            cleanup::remove();
            format!("cannot start the HTTP server: {e}")
        })?;
        Ok((Handoff { socket }, server))
    }

    /// Opens the private listener and starts the HTTP library on it.
    #[cfg(not(unix))]
    pub(crate) fn open() -> Result<(Handoff, tiny_http::Server), String> {
        let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .map_err(|e| format!("cannot listen on a loopback port: {e}"))?;
        let address = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on a loopback port: {e}"))?;
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| format!("cannot start the HTTP server: {e}"))?;
        Ok((Handoff { address }, server))
    }

    /// A new connection to the HTTP library.
    pub(crate) fn connect(&self) -> std::io::Result<HandoffStream> {
        #[cfg(unix)]
        return HandoffStream::connect(&self.socket);
        #[cfg(not(unix))]
        return HandoffStream::connect(self.address);
    }
}

impl std::fmt::Display for Handoff {
    /// Where the HTTP library listens, for messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(unix)]
        return write!(f, "{}", self.socket.display());
        #[cfg(not(unix))]
        return write!(f, "{}", self.address);
    }
}

/// Removes the private folder when dropped: `serve` holds one until it
/// returns (the gate's thread holds the [`Handoff`] itself for good).
pub(crate) struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        remove_private_folder();
    }
}

/// Removes the private folder of the current process, when it has one
/// (also from a signal handler).
pub(crate) fn remove_private_folder() {
    #[cfg(unix)]
    cleanup::remove();
}

#[cfg(unix)]
mod cleanup {
    //! The socket's folder, removed however the preview ends that lets
    //! it run code. Only `unlink`, `rmdir`, `signal` and `raise` are
    //! called from the signal handler: they are async-signal-safe.

    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::sync::OnceLock;

    /// The socket and its folder, as C strings made before any signal.
    static PATHS: OnceLock<(CString, CString)> = OnceLock::new();

    /// Signals that end the preview and after which the folder goes.
    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// Records the folder and installs the signal handlers.
    pub(super) fn register(folder: &Path, socket: &Path) {
        let (Ok(folder), Ok(socket)) = (
            CString::new(folder.as_os_str().as_bytes()),
            CString::new(socket.as_os_str().as_bytes()),
        ) else {
            return;
        };
        if PATHS.set((socket, folder)).is_err() {
            return;
        }
        for signal in SIGNALS {
            // SAFETY: `on_signal` only makes async-signal-safe calls and
            // reads `PATHS`, which is set before the handler is installed
            // and never changes afterwards. A signal the process ignores
            // (Ctrl-C for a job in the background) stays ignored.
            unsafe {
                let mut previous: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut previous) != 0
                    || previous.sa_sigaction == libc::SIG_IGN
                {
                    continue;
                }
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_RESETHAND;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    }

    /// Removes the socket and its folder (once it is empty).
    pub(super) fn remove() {
        if let Some((socket, folder)) = PATHS.get() {
            // SAFETY: both are valid NUL-terminated strings that live as
            // long as the process.
            unsafe {
                libc::unlink(socket.as_ptr());
                libc::rmdir(folder.as_ptr());
            }
        }
    }

    /// Removes the folder, then ends the process by the same signal, as
    /// if no handler had been there (`SA_RESETHAND` restored it).
    extern "C" fn on_signal(signal: libc::c_int) {
        remove();
        // SAFETY: raise is async-signal-safe; the default action of these
        // signals ends the process.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

/// The tickets the gate hands out with requests and the handler
/// returns. Each holds the gate's connection [`Slot`] while its request
/// is answered, so a connection counts until the handler is done with
/// it, even after the client left (a live-reload stream notices that
/// only at its next write).
pub(crate) struct Tickets {
    /// The secret every ticket carries (hex).
    secret: String,
    /// The number of the next ticket.
    next: AtomicU64,
    /// Tickets handed out and not yet returned, with their slots.
    out: Mutex<HashMap<u64, Slot>>,
}

/// A request's ticket, as the gate holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket(u64);

impl Default for Tickets {
    fn default() -> Tickets {
        Tickets {
            secret: format!("{:016x}{:016x}", random(), random()),
            next: AtomicU64::new(1),
            out: Mutex::new(HashMap::new()),
        }
    }
}

impl Tickets {
    /// A new ticket holding a share of the connection's slot.
    pub(crate) fn issue(&self, slot: Slot) -> Ticket {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut out) = self.out.lock() {
            out.insert(number, slot);
        }
        Ticket(number)
    }

    /// The header value that carries `ticket`.
    pub(crate) fn header_value(&self, ticket: Ticket) -> String {
        format!("{} {}", self.secret, ticket.0)
    }

    /// Takes a ticket back from a request (the value of its
    /// [`TICKET_HEADER`]): the slot to hold while answering it, or `None`
    /// when the request did not come from this gate.
    pub(crate) fn redeem(&self, value: &str) -> Option<Slot> {
        let (secret, number) = value.split_once(' ')?;
        // The same time for every wrong secret of this length.
        let same = secret.len() == self.secret.len()
            && secret
                .bytes()
                .zip(self.secret.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return None;
        }
        let number: u64 = number.parse().ok()?;
        self.out.lock().ok()?.remove(&number)
    }

    /// Whether the handler has taken `ticket` back.
    pub(crate) fn redeemed(&self, ticket: Ticket) -> bool {
        self.out
            .lock()
            .map(|out| !out.contains_key(&ticket.0))
            .unwrap_or(true)
    }

    /// Forgets a ticket the handler never took back.
    pub(crate) fn discard(&self, ticket: Ticket) {
        if let Ok(mut out) = self.out.lock() {
            out.remove(&ticket.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tickets_of_this_process_are_taken_back_and_only_once() {
        let tickets = Tickets::default();
        let slots = super::super::gate::Slots::new(4);
        let ticket = tickets.issue(slots.take().unwrap());
        let value = tickets.header_value(ticket);
        assert!(!tickets.redeemed(ticket));
        let other = Tickets::default();
        assert!(other.redeem(&value).is_none(), "another secret");
        let (secret, number) = value.split_once(' ').unwrap();
        assert!(tickets.redeem(&format!("{secret} 999")).is_none());
        assert!(
            tickets
                .redeem(&format!("{} {number}", &secret[1..]))
                .is_none()
        );
        assert!(tickets.redeem(&value).is_some());
        assert!(tickets.redeemed(ticket));
        assert!(tickets.redeem(&value).is_none(), "once only");
    }
}
