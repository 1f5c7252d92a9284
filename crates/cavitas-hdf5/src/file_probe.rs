//! Cheap checks on the raw bytes of a file before the HDF5 backend sees it:
//! is it HDF5 at all, and is it as long as its superblock says.

use std::io::Read;
use std::path::Path;

use crate::backend_call::io_err;
use crate::output_error::{OutputError, Result};

/// The HDF5 format signature, `\x89HDF\r\n\x1a\n`.
const SIGNATURE: [u8; 8] = [0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];

/// What the superblock of a file says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileProbe {
    /// Byte offset of the superblock (0, or after a user block: 512, 1024, ...).
    pub superblock_offset: u64,
    /// Superblock version 0–3.
    pub version: u8,
    /// End-of-file address recorded in the superblock (relative to the base
    /// address, which is the superblock offset for files we meet).
    pub eof_address: Option<u64>,
    /// Length of the file in bytes.
    pub file_len: u64,
}

impl FileProbe {
    /// Read the superblock of `path` and check the signature and length.
    pub(crate) fn check(path: &Path) -> Result<Self> {
        let mut file = std::fs::File::open(path).map_err(io_err(path))?;
        let file_len = file.metadata().map_err(io_err(path))?.len();
        // The superblock is at 0 or at a power of two >= 512 (user block).
        let mut head = Vec::new();
        file.by_ref()
            .take(1 << 16)
            .read_to_end(&mut head)
            .map_err(io_err(path))?;
        let mut offset = 0usize;
        let found = loop {
            if offset + 8 > head.len() {
                break None;
            }
            if head[offset..offset + 8] == SIGNATURE {
                break Some(offset);
            }
            offset = if offset == 0 { 512 } else { offset * 2 };
        };
        let Some(offset) = found else {
            if file_len < 8 {
                return Err(OutputError::Truncated {
                    path: path.to_path_buf(),
                    expected: 8,
                    actual: file_len,
                });
            }
            return Err(OutputError::NotHdf5 {
                path: path.to_path_buf(),
            });
        };
        let sb = &head[offset..];
        let version = sb.get(8).copied().unwrap_or(u8::MAX);
        // Superblock layout (HDF5 file format specification, section II.A):
        // v0/v1: the sizeof-offsets byte is at 13 and the addresses start at
        // 24 (v0) or 28 (v1); v2/v3: sizeof-offsets at 9, addresses at 12.
        // The end-of-file address is the third address in both layouts.
        let (sizeof_at, addresses_at) = match version {
            0 => (13, 24),
            1 => (13, 28),
            2 | 3 => (9, 12),
            _ => {
                return Err(OutputError::NotHdf5 {
                    path: path.to_path_buf(),
                });
            }
        };
        let sizeof_offsets = sb.get(sizeof_at).copied().unwrap_or(0) as usize;
        let eof_address = if matches!(sizeof_offsets, 2 | 4 | 8) {
            let pos = addresses_at + 2 * sizeof_offsets;
            sb.get(pos..pos + sizeof_offsets).map(|bytes| {
                let mut v = [0u8; 8];
                v[..sizeof_offsets].copy_from_slice(bytes);
                u64::from_le_bytes(v)
            })
        } else {
            None
        };
        if let Some(eof) = eof_address {
            let needed = eof.saturating_add(offset as u64);
            if eof != u64::MAX && needed > file_len {
                return Err(OutputError::Truncated {
                    path: path.to_path_buf(),
                    expected: needed,
                    actual: file_len,
                });
            }
        }
        Ok(Self {
            superblock_offset: offset as u64,
            version,
            eof_address,
            file_len,
        })
    }
}
