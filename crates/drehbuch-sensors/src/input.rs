//! Opening inputs: plain, gzip or zip; hashing; identical files; read-ahead;
//! counting the bytes read.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use super::SensorError;

/// What kind of container a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Plain,
    Gzip,
    Zip,
}

pub(crate) fn container_of(path: &Path) -> Result<Container, SensorError> {
    let mut f = File::open(path).map_err(|e| SensorError::io(path, e))?;
    let mut magic = [0u8; 4];
    let mut n = 0;
    while n < 4 {
        match f.read(&mut magic[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(SensorError::io(path, e)),
        }
    }
    Ok(if n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
        Container::Gzip
    } else if n == 4 && &magic == b"PK\x03\x04" {
        Container::Zip
    } else {
        Container::Plain
    })
}

/// First bytes of the (decompressed) content, for format detection.
pub(crate) fn head(path: &Path, container: Container, max: usize) -> Result<Vec<u8>, SensorError> {
    let f = File::open(path).map_err(|e| SensorError::io(path, e))?;
    let mut out = Vec::new();
    let r: Box<dyn Read> = match container {
        Container::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(f))),
        _ => Box::new(f),
    };
    r.take(max as u64)
        .read_to_end(&mut out)
        .map_err(|e| SensorError::Input {
            path: path.display().to_string(),
            line: 0,
            message: format!("cannot read: {e}"),
            hint: "is the download complete? a .gz file must be a valid gzip stream".into(),
        })?;
    Ok(out)
}

/// SHA-256 of a whole file, hex.
pub(crate) fn sha256_file(path: &Path) -> Result<(String, u64), SensorError> {
    let mut f = File::open(path).map_err(|e| SensorError::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SensorError::io(path, e)),
        };
        total += n as u64;
        h.update(&buf[..n]);
    }
    Ok((hex(&h.finalize()), total))
}

/// An input whose content equals an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identical {
    /// Index of the first input with this content.
    pub earlier: usize,
    /// SHA-256 (hex) and size of the content.
    pub sha256: String,
    pub bytes: u64,
}

/// For each input, the earlier input with identical content, if any (same
/// size and SHA-256). Only files whose size occurs more than once are
/// hashed, so a run without such files reads nothing extra.
pub(crate) fn identical_to_earlier(
    paths: &[PathBuf],
) -> Result<Vec<Option<Identical>>, SensorError> {
    let mut sizes: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    let mut size_of = Vec::with_capacity(paths.len());
    for p in paths {
        let len = std::fs::metadata(p)
            .map_err(|e| SensorError::io(p, e))?
            .len();
        *sizes.entry(len).or_default() += 1;
        size_of.push(len);
    }
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(paths.len());
    for (i, p) in paths.iter().enumerate() {
        if sizes.get(&size_of[i]).copied().unwrap_or(0) < 2 {
            out.push(None);
            continue;
        }
        let (sha, bytes) = sha256_file(p)?;
        match first.get(&sha) {
            Some(&earlier) => out.push(Some(Identical {
                earlier,
                sha256: sha,
                bytes,
            })),
            None => {
                first.insert(sha, i);
                out.push(None);
            }
        }
    }
    Ok(out)
}

/// Do `a` and `b` name the same existing file (also through links)?
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Hashes and counts the raw bytes flowing through it.
struct Tap<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
    progress: Arc<AtomicU64>,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        self.progress.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

const BLOCK: usize = 1 << 20;

/// Reads (and decompresses) a file on a separate thread, handing over 1 MiB blocks.
/// Read blocks go back to the reading thread to be filled again: a block
/// allocated on one thread and freed on another is memory the allocator
/// reclaims late (mimalloc kept some 80 MB more of them than glibc).
pub(crate) struct ReadAhead {
    rx: Option<Receiver<io::Result<Vec<u8>>>>,
    /// Blocks read, back to the reading thread.
    back: SyncSender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    handle: Option<JoinHandle<(String, u64)>>,
}

impl ReadAhead {
    pub(crate) fn open(
        path: &Path,
        container: Container,
        progress: Arc<AtomicU64>,
    ) -> Result<ReadAhead, SensorError> {
        let f = File::open(path).map_err(|e| SensorError::io(path, e))?;
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(4);
        let (back, returned) = sync_channel::<Vec<u8>>(4);
        let handle = std::thread::spawn(move || {
            let mut tap = Tap {
                inner: f,
                hash: Sha256::new(),
                bytes: 0,
                progress,
            };
            {
                let mut src: Box<dyn Read + '_> = match container {
                    Container::Gzip => Box::new(flate2::read::MultiGzDecoder::new(
                        BufReader::with_capacity(1 << 16, &mut tap),
                    )),
                    _ => Box::new(&mut tap),
                };
                loop {
                    let mut buf = returned.try_recv().unwrap_or_default();
                    buf.resize(BLOCK, 0);
                    let mut filled = 0;
                    let mut err = None;
                    while filled < BLOCK {
                        match src.read(&mut buf[filled..]) {
                            Ok(0) => break,
                            Ok(n) => filled += n,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => {
                                err = Some(e);
                                break;
                            }
                        }
                    }
                    buf.truncate(filled);
                    let end = filled == 0;
                    if filled > 0 && tx.send(Ok(buf)).is_err() {
                        break;
                    }
                    if let Some(e) = err {
                        let _ = tx.send(Err(e));
                        break;
                    }
                    if end {
                        break;
                    }
                }
            }
            // Make sure the hash covers the whole file even if decoding stopped early.
            let mut rest = vec![0u8; 1 << 16];
            while let Ok(n) = tap.read(&mut rest) {
                if n == 0 {
                    break;
                }
            }
            (hex(&tap.hash.finalize()), tap.bytes)
        });
        Ok(ReadAhead {
            rx: Some(rx),
            back,
            cur: Vec::new(),
            pos: 0,
            handle: Some(handle),
        })
    }

    /// Stop reading and return (sha256, bytes) of the whole file.
    pub(crate) fn finish(mut self) -> (String, u64) {
        self.rx = None; // the reader thread stops at its next send
        self.handle
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ReadAhead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.cur.len() {
            let Some(rx) = self.rx.as_ref() else {
                return Ok(&[]);
            };
            match rx.recv() {
                Ok(Ok(b)) => {
                    let read = std::mem::replace(&mut self.cur, b);
                    // Full or closed: the block is simply freed.
                    let _ = self.back.try_send(read);
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => {
                    self.cur.clear();
                    self.pos = 0;
                }
            }
        }
        Ok(&self.cur[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.cur.len());
    }
}

/// Counts decompressed bytes of a zip member, scaled to compressed size, for progress.
pub(crate) struct Scaled<R> {
    pub inner: R,
    pub num: u64,
    pub den: u64,
    pub acc: u64,
    pub progress: Arc<AtomicU64>,
}

impl<R: Read> Read for Scaled<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.acc += n as u64;
        if self.den > 0 && self.acc >= 1 << 16 {
            // Sizes come from the archive and may be anything: no overflow.
            let scaled = u128::from(self.acc) * u128::from(self.num) / u128::from(self.den);
            self.progress
                .fetch_add(u64::try_from(scaled).unwrap_or(u64::MAX), Ordering::Relaxed);
            self.acc = 0;
        }
        Ok(n)
    }
}

/// Expand directories into their files (sorted, not recursive, no hidden files).
pub(crate) fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, SensorError> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| SensorError::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|x| {
                    x.is_file()
                        && !x
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            v.sort();
            out.extend(v);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(SensorError::Input {
                path: p.display().to_string(),
                line: 0,
                message: "no such file".into(),
                hint: "check the path; inputs may be files or folders".into(),
            });
        }
    }
    Ok(out)
}

/// `…_air_temperature.json[.gz]` → `…_relative_humidity.json[.gz]`.
pub(crate) fn humidity_sibling(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    if !name.contains("_air_temperature") {
        return None;
    }
    let p = path.with_file_name(name.replacen("_air_temperature", "_relative_humidity", 1));
    p.is_file().then_some(p)
}

/// `…_relative_humidity.json` → `…_air_temperature.json` if that exists.
pub(crate) fn temperature_sibling(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    if !name.contains("_relative_humidity") {
        return None;
    }
    let p = path.with_file_name(name.replacen("_relative_humidity", "_air_temperature", 1));
    p.is_file().then_some(p)
}

/// Open a small side file (plain or gzip) for reading on this thread.
pub(crate) fn open_side(path: &Path) -> Result<Box<dyn BufRead>, SensorError> {
    let c = container_of(path)?;
    let f = File::open(path).map_err(|e| SensorError::io(path, e))?;
    Ok(match c {
        Container::Gzip => Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
            BufReader::new(f),
        ))),
        _ => Box::new(BufReader::new(f)),
    })
}
