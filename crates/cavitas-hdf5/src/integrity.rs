//! Checksums of what cavitas writes, and [`verify`]: the one check a reader,
//! `merge_shards` and `--resume` run before they trust a file.
//!
//! - every dataset of a finished run or merged sweep carries `sha256`: the
//!   SHA-256 (lower-case hex) of its values as stored, C order, little-endian
//!   (`hashlib.sha256(ds[()].tobytes())` in h5py; strings: each string's UTF-8
//!   bytes followed by one NUL byte);
//! - the root attribute `attrs_sha256` covers every other attribute (see
//!   [`attrs_digest`]);
//! - the root attribute `checksums = "sha256"` says both are there, so a
//!   missing checksum is damage, not an old file.
//!
//! Streamed datasets get their checksum from the values handed to the writer
//! (a running hash, restored on resume from verified data), never from what
//! was read back, so damage on disk cannot be blessed.

use std::path::{Path, PathBuf};

use rust_hdf5::{DatatypeMessage, H5File};

use crate::backend_call::backend_call;
use crate::checkpoint_file::CheckpointFile;
use crate::file_probe::FileProbe;
use crate::h5_access::ReadAccess;
use crate::output_error::{OutputError, Result};
use crate::run_paths::RunPaths;
use crate::sha256::Sha256;

/// Dataset attribute holding the dataset's checksum.
pub(crate) const CHECKSUM_ATTR: &str = "sha256";
/// Root attribute holding the checksum of every other attribute.
pub(crate) const ATTRS_DIGEST_ATTR: &str = "attrs_sha256";
/// Root attribute declaring that the file carries checksums.
pub(crate) const CHECKSUMS_ATTR: &str = "checksums";

/// Attributes left out of [`attrs_digest`]: the checksums themselves and the
/// dimension-scale bookkeeping (object references, written by the backend).
const NOT_DIGESTED: [&str; 7] = [
    CHECKSUM_ATTR,
    ATTRS_DIGEST_ATTR,
    "CLASS",
    "NAME",
    "DIMENSION_LIST",
    "REFERENCE_LIST",
    "_Netcdf4Dimid",
];

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyReport {
    /// The file checked.
    pub path: PathBuf,
    /// Objects whose checksum matched (`/joint/gap`, `attributes`, ...).
    pub verified: Vec<String>,
    /// Damaged objects, each with what is wrong: a dataset whose values do not
    /// match its checksum or cannot be read, `attributes`, or `file structure`
    /// for a file the backend cannot open.
    pub damaged: Vec<(String, String)>,
    /// Datasets that carry no checksum: files written before checksums, and
    /// the streamed datasets of an unfinished run with no checkpoint to check
    /// them against. Not damage.
    pub unchecked: Vec<String>,
}

impl VerifyReport {
    /// No damage found.
    pub fn is_intact(&self) -> bool {
        self.damaged.is_empty()
    }

    /// `Ok(self)` when intact, else [`OutputError::Damaged`] naming every damaged object.
    pub fn into_result(self) -> Result<Self> {
        if self.is_intact() {
            return Ok(self);
        }
        Err(OutputError::Damaged {
            path: self.path.clone(),
            objects: self.damaged.iter().map(|(o, _)| o.clone()).collect(),
            detail: self
                .damaged
                .iter()
                .map(|(o, why)| format!("{o}: {why}"))
                .collect::<Vec<_>>()
                .join("; "),
        })
    }
}

/// Check every checksum of a cavitas file: a finished run, a merged sweep, an
/// unfinished run (`.partial`; its streamed datasets against its checkpoint
/// when there is one) or a checkpoint sidecar (`.ckpt`).
///
/// Returns the report; `Err` only when the file cannot be read at all as a
/// file (missing, permission). Read-only: changes nothing.
pub fn verify(path: &Path) -> Result<VerifyReport> {
    let mut report = VerifyReport {
        path: path.to_path_buf(),
        ..Default::default()
    };
    std::fs::metadata(path).map_err(crate::backend_call::io_err(path))?;
    if let Err(e) = FileProbe::check(path) {
        report
            .damaged
            .push(("file structure".into(), e.to_string()));
        return Ok(report);
    }
    let h5 = match backend_call(path, "opening", || H5File::open(path)) {
        Ok(h5) => h5,
        Err(e) => {
            report
                .damaged
                .push(("file structure".into(), e.to_string()));
            return Ok(report);
        }
    };
    let r = ReadAccess {
        file: path,
        h5: &h5,
    };
    // The root attributes must be readable: they say what the file is and
    // whether it carries checksums, so damage there is damage, not an old file.
    if let Err(e) = backend_call(path, "listing root attributes", || h5.attr_names()) {
        report.damaged.push(("attributes".into(), e.to_string()));
        return Ok(report);
    }
    let root = |name: &str| r.group_attr("", name).ok().flatten();
    if root("format").is_none() {
        report.damaged.push((
            "attributes".into(),
            "no readable root attribute `format` (not a cavitas file, or damaged)".into(),
        ));
        return Ok(report);
    }
    if root("format").as_deref() == Some(crate::CHECKPOINT_FORMAT) {
        drop(h5);
        match CheckpointFile::read(path) {
            Ok(_) => report.verified.push("checkpoint".into()),
            Err(OutputError::Damaged {
                objects, detail, ..
            }) => {
                report
                    .damaged
                    .extend(objects.into_iter().map(|o| (o, detail.clone())));
            }
            Err(e) => report.damaged.push(("checkpoint".into(), e.to_string())),
        }
        return Ok(report);
    }
    let required = root(CHECKSUMS_ATTR).as_deref() == Some("sha256")
        && root("complete").as_deref() == Some("true");
    // An unfinished run: its streamed rows are checked against the checkpoint.
    let stream_digests = if root("complete").as_deref() == Some("false") {
        let ck = RunPaths::new(path).checkpoint;
        match ck.exists().then(|| CheckpointFile::read(&ck)) {
            Some(Ok(c)) => Some(c.streams),
            Some(Err(e)) => {
                report
                    .damaged
                    .push((format!("checkpoint {}", ck.display()), e.to_string()));
                None
            }
            None => None,
        }
    } else {
        None
    };
    let paths = match r.dataset_paths() {
        Ok(p) => p,
        Err(e) => {
            report
                .damaged
                .push(("file structure".into(), e.to_string()));
            return Ok(report);
        }
    };
    for p in &paths {
        let object = format!("/{p}");
        let stored = match r.dataset_attr(p, CHECKSUM_ATTR) {
            Ok(s) => s,
            Err(e) => {
                report.damaged.push((object, e.to_string()));
                continue;
            }
        };
        let (want, rows) = match stored {
            Some(s) => (s, None),
            None => match stream_digests
                .as_ref()
                .and_then(|s| s.iter().find(|s| &s.path == p))
            {
                Some(rec) => (rec.rows_sha256.clone(), Some(rec.rows_on_disk)),
                None if required => {
                    report
                        .damaged
                        .push((object, "no sha256 checksum on a finished file".into()));
                    continue;
                }
                None => {
                    report.unchecked.push(object);
                    continue;
                }
            },
        };
        match dataset_digest(&r, p, rows) {
            Ok(got) if got == want => report.verified.push(object),
            Ok(got) => report.damaged.push((
                object,
                format!("values do not match their checksum (sha256 {got}, stored {want})"),
            )),
            Err(e) => report.damaged.push((object, e.to_string())),
        }
    }
    match root(ATTRS_DIGEST_ATTR) {
        Some(want) => match attrs_digest(&r) {
            Ok(got) if got == want => report.verified.push("attributes".into()),
            Ok(_) => report.damaged.push((
                "attributes".into(),
                "the attributes do not match attrs_sha256".into(),
            )),
            Err(e) => report.damaged.push(("attributes".into(), e.to_string())),
        },
        None if required => report.damaged.push((
            "attributes".into(),
            "no attrs_sha256 on a finished file".into(),
        )),
        None => {}
    }
    Ok(report)
}

/// SHA-256 (hex) of a dataset's values as stored, or of its first `rows` rows
/// (float64 datasets only).
pub(crate) fn dataset_digest(r: &ReadAccess, path: &str, rows: Option<u64>) -> Result<String> {
    Ok(dataset_hasher(r, path, rows)?.hex_so_far())
}

/// The running hash of [`dataset_digest`], to go on hashing rows appended later.
pub(crate) fn dataset_hasher(r: &ReadAccess, path: &str, rows: Option<u64>) -> Result<Sha256> {
    let ds = r.dataset(path)?;
    let op = format!("reading /{path} to check it");
    let dt = backend_call(r.file, &op, || ds.datatype())?;
    let mut h = Sha256::new();
    if matches!(
        dt,
        DatatypeMessage::VarLenString { .. } | DatatypeMessage::FixedString { .. }
    ) {
        let strings = backend_call(r.file, &op, || ds.read_strings())?;
        let n = rows.map_or(strings.len(), |n| (n as usize).min(strings.len()));
        hash_strings(&mut h, &strings[..n]);
        return Ok(h);
    }
    match rows {
        None => {
            let bytes = backend_call(r.file, &op, || ds.read_raw_bytes())?;
            h.update(&bytes);
        }
        Some(0) => {}
        Some(n) => {
            let shape = ds.shape();
            if shape.is_empty() || (shape[0] as u64) < n {
                return Err(OutputError::Shape {
                    path: r.file.to_path_buf(),
                    object: format!("/{path}"),
                    expected: format!("at least {n} rows"),
                    found: shape,
                });
            }
            // In blocks of about 8 MiB, so a large dataset is never read whole.
            let row_len: usize = shape[1..].iter().product::<usize>().max(1);
            let block = (1usize << 20).div_ceil(row_len).max(1);
            let mut start = 0usize;
            while (start as u64) < n {
                let count = block.min(n as usize - start);
                let mut starts = vec![0usize; shape.len()];
                starts[0] = start;
                let mut counts = shape.clone();
                counts[0] = count;
                if matches!(dt, DatatypeMessage::FixedPoint { size: 4, .. }) {
                    let v = backend_call(r.file, &op, || ds.read_slice::<i32>(&starts, &counts))?;
                    for x in v {
                        h.update(&x.to_le_bytes());
                    }
                } else {
                    let v = backend_call(r.file, &op, || ds.read_slice::<f64>(&starts, &counts))?;
                    h.update_f64(&v);
                }
                start += count;
            }
        }
    }
    Ok(h)
}

/// Feed strings the way string checksums are taken: UTF-8 bytes, then a NUL.
pub(crate) fn hash_strings<S: AsRef<str>>(h: &mut Sha256, strings: &[S]) {
    for s in strings {
        h.update(s.as_ref().as_bytes());
        h.update(&[0]);
    }
}

/// SHA-256 (hex) of the attributes: every string attribute of `/` and of the
/// groups, and every attribute of the datasets (strings as UTF-8, numbers as
/// their little-endian bytes), but `sha256`, `attrs_sha256` and the
/// dimension-scale attributes. Entries are sorted by (object path, attribute
/// name), the path without a leading `/` (`""` for the root), and each is fed
/// as `path NUL name NUL len(u64 LE) value`.
pub(crate) fn attrs_digest(r: &ReadAccess) -> Result<String> {
    let mut entries: Vec<(String, String, Vec<u8>)> = Vec::new();
    let root_names = backend_call(r.file, "listing root attributes", || r.h5.attr_names())?;
    for name in root_names {
        if NOT_DIGESTED.contains(&name.as_str()) {
            continue;
        }
        let v = backend_call(r.file, "reading a root attribute", || {
            r.h5.attr_string(&name)
        })?;
        entries.push((String::new(), name, v.into_bytes()));
    }
    let datasets = r.dataset_paths()?;
    let mut groups: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for p in &datasets {
        let mut acc = String::new();
        let parts: Vec<&str> = p.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            groups.insert(acc.clone());
        }
    }
    for g in &groups {
        let op = format!("reading the attributes of /{g}");
        let group = backend_call(r.file, &op, || r.h5.root_group().group(g))?;
        for name in backend_call(r.file, &op, || group.attr_names())? {
            if NOT_DIGESTED.contains(&name.as_str()) {
                continue;
            }
            let v = backend_call(r.file, &op, || group.attr_string(&name))?;
            entries.push((g.clone(), name, v.into_bytes()));
        }
    }
    for p in &datasets {
        let op = format!("reading the attributes of /{p}");
        let ds = r.dataset(p)?;
        for name in backend_call(r.file, &op, || ds.attr_names())? {
            if NOT_DIGESTED.contains(&name.as_str()) {
                continue;
            }
            let bytes = backend_call(r.file, &op, || {
                let a = ds.attr(&name)?;
                match a.datatype()? {
                    DatatypeMessage::VarLenString { .. } | DatatypeMessage::FixedString { .. } => {
                        Ok(a.read_string()?.into_bytes())
                    }
                    _ => a.read_raw(),
                }
            })?;
            entries.push((p.clone(), name, bytes));
        }
    }
    entries.sort();
    let mut h = Sha256::new();
    for (object, name, value) in &entries {
        h.update(object.as_bytes());
        h.update(&[0]);
        h.update(name.as_bytes());
        h.update(&[0]);
        h.update(&(value.len() as u64).to_le_bytes());
        h.update(value);
    }
    Ok(h.hex_so_far())
}

/// SHA-256 (hex) and length of a whole file, read in 1 MiB blocks.
pub(crate) fn file_digest(path: &Path) -> Result<(u64, String)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(crate::backend_call::io_err(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(crate::backend_call::io_err(path))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        len += n as u64;
    }
    Ok((len, h.hex_so_far()))
}
