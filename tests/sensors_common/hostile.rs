//! Hostile inputs for the limit tests, generated on the fly and streamed to
//! disk: zip and gzip files that expand a thousandfold.
//!
//! A deflate stream may be cut into blocks; a block ends on a byte boundary
//! after a sync flush, and a block compressed by a fresh compressor refers to
//! nothing before it. So the compressed form of a 1 MiB chunk can simply be
//! repeated: 4095 copies of about 1 KB make a 4 MB file that expands to
//! 4 GiB, written in milliseconds. The CRC-32 of the whole is combined from
//! the chunk's CRC without touching the expanded bytes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use flate2::{Compress, Compression, Crc, FlushCompress};

/// Raw deflate blocks of `data`, byte-aligned (sync flush), not final.
fn deflate_blocks(data: &[u8]) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() + 1024);
    c.compress_vec(data, &mut out, FlushCompress::Sync)
        .expect("deflate");
    assert_eq!(c.total_in() as usize, data.len(), "output buffer too small");
    out
}

/// The final (empty) deflate block.
fn deflate_end() -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(64);
    c.compress_vec(&[], &mut out, FlushCompress::Finish)
        .expect("deflate");
    out
}

fn crc_of(data: &[u8]) -> Crc {
    let mut c = Crc::new();
    c.update(data);
    c
}

/// What a bomb expands to.
pub struct Expanded {
    /// CRC-32 of the expanded bytes.
    pub crc: u32,
    /// Number of expanded bytes.
    pub size: u64,
    /// Number of compressed bytes written.
    pub compressed: u64,
}

/// Write the raw deflate stream of `prefix` followed by `chunk` × `reps`.
fn write_deflate(w: &mut impl Write, prefix: &[u8], chunk: &[u8], reps: u64) -> Expanded {
    let head = deflate_blocks(prefix);
    let body = deflate_blocks(chunk);
    let end = deflate_end();
    w.write_all(&head).unwrap();
    for _ in 0..reps {
        w.write_all(&body).unwrap();
    }
    w.write_all(&end).unwrap();
    let mut crc = crc_of(prefix);
    let one = crc_of(chunk);
    for _ in 0..reps {
        crc.combine(&one);
    }
    Expanded {
        crc: crc.sum(),
        size: prefix.len() as u64 + chunk.len() as u64 * reps,
        compressed: (head.len() + body.len() * reps as usize + end.len()) as u64,
    }
}

/// A zip archive with one deflated member `name` holding `prefix` + `chunk` × `reps`
/// (expanded size below 4 GiB, so no zip64 records are needed).
pub fn zip_bomb(path: &Path, name: &str, prefix: &[u8], chunk: &[u8], reps: u64) -> Expanded {
    let size = prefix.len() as u64 + chunk.len() as u64 * reps;
    assert!(size < u64::from(u32::MAX), "keep below 4 GiB: no zip64");
    // The data goes to a scratch file first: the local header needs its CRC and sizes.
    let data_path = path.with_extension("deflate");
    let e = {
        let mut w = BufWriter::new(File::create(&data_path).unwrap());
        let e = write_deflate(&mut w, prefix, chunk, reps);
        w.flush().unwrap();
        e
    };
    let mut w = BufWriter::new(File::create(path).unwrap());
    let date: u16 = ((2024 - 1980) << 9) | (1 << 5) | 1;
    let mut local = Vec::new();
    local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    local.extend_from_slice(&20u16.to_le_bytes()); // version needed
    local.extend_from_slice(&0u16.to_le_bytes()); // flags
    local.extend_from_slice(&8u16.to_le_bytes()); // deflate
    local.extend_from_slice(&0u16.to_le_bytes()); // time
    local.extend_from_slice(&date.to_le_bytes());
    local.extend_from_slice(&e.crc.to_le_bytes());
    local.extend_from_slice(&(e.compressed as u32).to_le_bytes());
    local.extend_from_slice(&(e.size as u32).to_le_bytes());
    local.extend_from_slice(&(name.len() as u16).to_le_bytes());
    local.extend_from_slice(&0u16.to_le_bytes()); // extra
    local.extend_from_slice(name.as_bytes());
    w.write_all(&local).unwrap();
    std::io::copy(&mut File::open(&data_path).unwrap(), &mut w).unwrap();
    std::fs::remove_file(&data_path).unwrap();
    let cd_offset = local.len() as u64 + e.compressed;
    let mut cd = Vec::new();
    cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    cd.extend_from_slice(&20u16.to_le_bytes()); // made by
    cd.extend_from_slice(&local[4..30]); // version needed … name length, extra length
    cd.extend_from_slice(&0u16.to_le_bytes()); // comment
    cd.extend_from_slice(&0u16.to_le_bytes()); // disk
    cd.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    cd.extend_from_slice(&0u32.to_le_bytes()); // external attributes
    cd.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    cd.extend_from_slice(name.as_bytes());
    w.write_all(&cd).unwrap();
    let mut eocd = Vec::new();
    eocd.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    eocd.extend_from_slice(&[0, 0, 0, 0]); // disk numbers
    eocd.extend_from_slice(&1u16.to_le_bytes());
    eocd.extend_from_slice(&1u16.to_le_bytes());
    eocd.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    eocd.extend_from_slice(&(cd_offset as u32).to_le_bytes());
    eocd.extend_from_slice(&0u16.to_le_bytes());
    w.write_all(&eocd).unwrap();
    w.flush().unwrap();
    e
}

/// A gzip file holding `prefix` + `chunk` × `reps`.
pub fn gzip_bomb(path: &Path, prefix: &[u8], chunk: &[u8], reps: u64) -> Expanded {
    let mut w = BufWriter::new(File::create(path).unwrap());
    w.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
        .unwrap();
    let e = write_deflate(&mut w, prefix, chunk, reps);
    w.write_all(&e.crc.to_le_bytes()).unwrap();
    w.write_all(&(e.size as u32).to_le_bytes()).unwrap();
    w.flush().unwrap();
    e
}
