//! `cavitas merge`: one file of HDF5 virtual datasets over the shard files of
//! a sweep, stacked along a new leading shard axis.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rust_hdf5::{H5File, Hyperslab, HyperslabBlock, Selection};

use crate::backend_call::{backend_call, io_err, rename_durably};
use crate::file_kind::FileKind;
use crate::h5_access::{ensure_group, set_dataset_attr};
use crate::integrity::{CHECKSUM_ATTR, CHECKSUMS_ATTR, hash_strings};
use crate::output_error::{OutputError, Result};
use crate::provenance::Provenance;
use crate::run_paths::RunPaths;
use crate::run_reader::RunReader;
use crate::sha256::Sha256;
use crate::sweep_table::SweepTable;
use crate::{SCHEMA_VERSION, SWEEP_FORMAT};

/// What an int32 virtual dataset reads where a shard has no row.
const INT_FILL: i32 = -1;

/// Group attributes copied from the first shard to the merged file.
const GROUP_ATTRS: [&str; 4] = ["kind", "columns", "fields", "item_shape"];

/// Merge finished shard run files into `output`.
///
/// Every f64 dataset `/g/d` of shape `[rows, rest...]` in the shards becomes a
/// virtual dataset `/g/d` of shape `[n_shards, max_rows, rest...]` mapping
/// shard `s` onto `[s, 0..rows_s, ...]`; rows a shard does not have read as
/// NaN. Each has the shard's `units` and `description` plus `rows_per_shard`.
/// `/events` is copied (small) with a `shard` column. Shard paths are stored
/// relative to the output's directory when they lie under it, so the sweep
/// directory can be moved as a whole.
///
/// All shards must be complete runs of this schema version with the same
/// datasets and the same trailing shapes. `output` is refused if it exists,
/// unless `force`; it is written under a temporary name and renamed.
pub fn merge_shards(inputs: &[PathBuf], output: &Path, force: bool) -> Result<PathBuf> {
    if inputs.is_empty() {
        return Err(OutputError::Merge {
            detail: "no shard files given".into(),
        });
    }
    merge(inputs, output, force, None).map(|(path, _)| path)
}

/// Merge the finished run files of a parameter sweep's cases into `output`, as
/// [`merge_shards`] does (row `s` of the leading axis is `inputs[s]`), and add the
/// `/sweep` table (one row per case; see [`SweepTable`]).
///
/// Unlike shards, cases may differ in shape (a sweep over the bubble count): when the
/// files do not stack, the merged file holds the `/sweep` table, `/shards` and `/events`
/// but no virtual datasets, and the root attribute `virtual_datasets` says why (it reads
/// `stacked` otherwise). `inputs` may be empty (every case failed).
///
/// Returns the output path and `None` when the run files were stacked, or the reason they
/// were not.
pub fn merge_sweep(
    inputs: &[PathBuf],
    table: &SweepTable,
    output: &Path,
    force: bool,
) -> Result<(PathBuf, Option<String>)> {
    table.check()?;
    merge(inputs, output, force, Some(table))
}

fn merge(
    inputs: &[PathBuf],
    output: &Path,
    force: bool,
    table: Option<&SweepTable>,
) -> Result<(PathBuf, Option<String>)> {
    if output.exists() && !force {
        return Err(OutputError::Exists {
            path: output.to_path_buf(),
        });
    }
    // A shard that is not there is the caller's mistake, not a failure to read.
    if let Some(missing) = inputs.iter().find(|p| !p.is_file()) {
        return Err(OutputError::Merge {
            detail: format!("{}: no such shard file", missing.display()),
        });
    }
    let readers = inputs
        .iter()
        .map(|p| RunReader::open(p))
        .collect::<Result<Vec<_>>>()?;
    // Every shard's checksums before anything is written: a damaged shard is
    // refused with its damaged datasets named.
    for r in &readers {
        r.verify()?.into_result()?;
    }
    if let Some(r) = readers.iter().find(|r| r.kind() != FileKind::Run) {
        return Err(OutputError::Merge {
            detail: format!("{} is a merged sweep, not a run shard", r.path().display()),
        });
    }
    let (paths, shapes, unstacked) = match stackable(&readers) {
        Ok((paths, shapes)) => (paths, shapes, None),
        Err(OutputError::Merge { detail }) if table.is_some() => {
            (Vec::new(), Vec::new(), Some(detail))
        }
        Err(e) => return Err(e),
    };
    let out_dir = output
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out_dir_abs = out_dir.canonicalize().map_err(io_err(out_dir))?;
    let mut stored_names = Vec::with_capacity(inputs.len());
    for p in inputs {
        let abs = p.canonicalize().map_err(io_err(p))?;
        let name = abs
            .strip_prefix(&out_dir_abs)
            .map(Path::to_path_buf)
            .unwrap_or(abs.clone());
        stored_names.push(name.to_string_lossy().to_string());
    }

    let tmp = RunPaths::new(output).partial;
    if tmp.exists() {
        std::fs::remove_file(&tmp).map_err(io_err(&tmp))?;
    }
    let h5 = backend_call(&tmp, "creating the merged file", || H5File::create(&tmp))?;
    let version = match readers.first() {
        Some(first) => first.provenance()?.cavitas_version,
        None => env!("CARGO_PKG_VERSION").to_string(),
    };
    let n = readers.len();
    backend_call(&tmp, "writing root attributes", || {
        h5.set_attr_string("format", SWEEP_FORMAT)?;
        h5.set_attr_string("schema_version", &SCHEMA_VERSION.to_string())?;
        h5.set_attr_string("cavitas_version", &version)?;
        h5.set_attr_string("n_shards", &n.to_string())?;
        h5.set_attr_string("shards", &stored_names.join("\n"))?;
        h5.set_attr_string("start_time", &Provenance::utc_now_iso8601())?;
        h5.set_attr_string("complete", "true")?;
        h5.set_attr_string(CHECKSUMS_ATTR, "sha256")?;
        if table.is_some() {
            let stacked = match &unstacked {
                None => "stacked".to_string(),
                Some(why) => format!("none: the case files do not stack: {why}"),
            };
            h5.set_attr_string("virtual_datasets", &stacked)?;
        }
        Ok(())
    })?;
    let mut groups = BTreeSet::new();
    if let Some(table) = table {
        table.write(&tmp, &h5, &mut groups)?;
    }
    let shards_group = ensure_group(&tmp, &h5, &mut groups, "shards")?;
    let mut hashes = Vec::with_capacity(n);
    let mut revisions = Vec::with_capacity(n);
    for r in &readers {
        let p = r.provenance()?;
        hashes.push(p.config_hash());
        revisions.push(p.git_revision);
    }
    let tables = [
        (
            "path",
            &stored_names,
            "shard file, relative to this file's directory when under it",
        ),
        (
            "config_hash",
            &hashes,
            "sha256 of the shard's resolved config",
        ),
        (
            "git_revision",
            &revisions,
            "source revision that wrote the shard",
        ),
    ];
    for (name, values, description) in tables {
        // An empty string dataset cannot be written: a sweep whose every case failed.
        if values.is_empty() {
            continue;
        }
        let ds = crate::h5_access::write_strings(&tmp, &shards_group, name, values)?;
        set_dataset_attr(&tmp, &ds, "units", "")?;
        set_dataset_attr(&tmp, &ds, "description", description)?;
        let mut h = Sha256::new();
        hash_strings(&mut h, values);
        set_dataset_attr(&tmp, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
    }

    let mut attributed = BTreeSet::new();
    for (p, per_shard) in paths.iter().zip(&shapes) {
        // Datasets to stack exist only when there are files.
        let Some(first) = readers.first() else { break };
        let (group_path, name) = p.rsplit_once('/').unwrap_or(("", p.as_str()));
        let group = if group_path.is_empty() {
            h5.root_group()
        } else {
            let g = ensure_group(&tmp, &h5, &mut groups, group_path)?;
            // Once per group, even one made earlier as the parent of another
            // (`bubbles` of `bubbles/final/...`, which sorts first).
            if attributed.insert(group_path.to_string()) {
                for attr in GROUP_ATTRS {
                    if let Some(v) = first.group_attribute(group_path, attr)? {
                        backend_call(&tmp, "copying group attributes", || {
                            g.set_attr_string(attr, &v)
                        })?;
                    }
                }
                backend_call(&tmp, "writing group attributes", || {
                    g.set_attr_string("layout", "[shard, row, ...] over the shard files")
                })?;
            }
            g
        };
        let rows: Vec<u64> = per_shard.iter().map(|s| s[0] as u64).collect();
        let max_rows = per_shard.iter().map(|s| s[0]).max().unwrap_or(0);
        let rest = &per_shard[0][1..];
        let mut shape = vec![n, max_rows];
        shape.extend_from_slice(rest);
        // int32 datasets (category codes, axis indices) stay int32; rows a
        // shard does not have read as -1 there, NaN in float64 datasets.
        let int = first.access().is_int32(p)?;
        let mut builder = group
            .new_dataset::<f64>()
            .shape(&shape)
            .fill_value(f64::NAN);
        let mut int_builder = group
            .new_dataset::<i32>()
            .shape(&shape)
            .fill_value(INT_FILL);
        for (s, (src, dims)) in stored_names.iter().zip(per_shard).enumerate() {
            if dims[0] == 0 {
                continue;
            }
            let mut start = vec![s as u64, 0];
            start.extend(rest.iter().map(|_| 0u64));
            let mut end = vec![s as u64, dims[0] as u64 - 1];
            end.extend(rest.iter().map(|&d| d as u64 - 1));
            let virtual_sel = Selection::Hyperslab {
                rank: shape.len(),
                form: Hyperslab::Blocks(vec![HyperslabBlock { start, end }]),
            };
            if int {
                int_builder =
                    int_builder.virtual_mapping(virtual_sel, src, &format!("/{p}"), Selection::All);
            } else {
                builder =
                    builder.virtual_mapping(virtual_sel, src, &format!("/{p}"), Selection::All);
            }
        }
        let ds = backend_call(&tmp, &format!("creating virtual /{p}"), || {
            if int {
                int_builder.create(name)
            } else {
                builder.create(name)
            }
        })?;
        let unit = first.dataset_attribute(p, "units")?.unwrap_or_default();
        let description = first
            .dataset_attribute(p, "description")?
            .unwrap_or_default();
        set_dataset_attr(&tmp, &ds, "units", &unit)?;
        set_dataset_attr(&tmp, &ds, "description", &description)?;
        // The checksum of what the virtual dataset reads: each shard's rows,
        // then NaN (the fill value) up to the longest shard.
        let mut h = Sha256::new();
        let per_row: usize = rest.iter().product::<usize>().max(1);
        for (r, dims) in readers.iter().zip(per_shard) {
            let values = r.array(p)?.values;
            let pad = (max_rows - dims[0]) * per_row;
            if int {
                for v in values
                    .iter()
                    .map(|&v| v as i32)
                    .chain(std::iter::repeat_n(INT_FILL, pad))
                {
                    h.update(&v.to_le_bytes());
                }
            } else {
                h.update_f64(&values);
                h.update_f64(&vec![f64::NAN; pad]);
            }
        }
        if let Some(c) = first.categories(p)? {
            let codes: Vec<i32> = c.iter().map(|(code, _)| *code).collect();
            let meanings: Vec<&str> = c.iter().map(|(_, m)| m.as_str()).collect();
            backend_call(&tmp, "writing flag_values", || {
                ds.new_attr::<i32>()
                    .shape([codes.len()])
                    .create("flag_values")?
                    .write_array(&codes)
            })?;
            set_dataset_attr(&tmp, &ds, "flag_meanings", &meanings.join(" "))?;
        }
        set_dataset_attr(&tmp, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
        backend_call(&tmp, "writing rows_per_shard", || {
            ds.new_attr::<u64>()
                .shape([n])
                .create("rows_per_shard")?
                .write_array(&rows)
        })?;
    }

    // Events: small, copied as real data with the shard index.
    let mut shard_col = Vec::new();
    let mut t = Vec::new();
    let mut v = Vec::new();
    let mut kinds = Vec::new();
    for (s, r) in readers.iter().enumerate() {
        for e in r.events()? {
            shard_col.push(s as u64);
            t.push(e.t);
            v.push(e.value);
            kinds.push(e.kind);
        }
    }
    let ev = ensure_group(&tmp, &h5, &mut groups, "events")?;
    let units = [
        ("t", "s", "time of the event"),
        (
            "value",
            "SI (per kind, see SCHEMA.md)",
            "value of the event",
        ),
    ];
    for ((name, unit, desc), data) in units.iter().zip([&t, &v]) {
        let ds = backend_call(&tmp, "creating merged events", || {
            let ds = ev
                .new_dataset::<f64>()
                .shape([0usize])
                .chunk(&[256])
                .max_shape(&[None])
                .create(name)?;
            if !data.is_empty() {
                ds.append(data)?;
            }
            Ok(ds)
        })?;
        set_dataset_attr(&tmp, &ds, "units", unit)?;
        set_dataset_attr(&tmp, &ds, "description", desc)?;
        let mut h = Sha256::new();
        h.update_f64(data);
        set_dataset_attr(&tmp, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
    }
    let ds = backend_call(&tmp, "creating merged events", || {
        let ds = ev
            .new_dataset::<u64>()
            .shape([0usize])
            .chunk(&[256])
            .max_shape(&[None])
            .create("shard")?;
        if !shard_col.is_empty() {
            ds.append(&shard_col)?;
        }
        Ok(ds)
    })?;
    set_dataset_attr(&tmp, &ds, "units", "")?;
    set_dataset_attr(
        &tmp,
        &ds,
        "description",
        "index of the shard (row of /shards/path)",
    )?;
    let mut h = Sha256::new();
    h.update_u64(&shard_col);
    set_dataset_attr(&tmp, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
    let kind_ds = backend_call(&tmp, "creating merged events", || {
        ev.create_appendable_vlen_dataset("kind", 256, None)
    })?;
    set_dataset_attr(&tmp, &kind_ds, "units", "")?;
    set_dataset_attr(
        &tmp,
        &kind_ds,
        "description",
        "kind of the event (UTF-8 string)",
    )?;
    if !kinds.is_empty() {
        let refs: Vec<&str> = kinds.iter().map(String::as_str).collect();
        backend_call(&tmp, "writing merged event kinds", || {
            h5.append_vlen_strings("events/kind", &refs)
        })?;
    }
    let mut h = Sha256::new();
    hash_strings(&mut h, &kinds);
    set_dataset_attr(&tmp, &kind_ds, CHECKSUM_ATTR, &h.hex_so_far())?;
    drop(kind_ds);
    drop(readers);
    backend_call(&tmp, "closing the merged file", || h5.close())?;
    crate::run_file::seal_attributes(&tmp)?;
    crate::integrity::verify(&tmp)?.into_result()?;
    rename_durably(&tmp, output)?;
    Ok((output.to_path_buf(), unstacked))
}

/// The datasets (other than `/events`) every reader has, with each reader's shape of each;
/// a merge error when the files hold different datasets or trailing shapes.
#[allow(clippy::type_complexity)]
fn stackable(readers: &[RunReader]) -> Result<(Vec<String>, Vec<Vec<Vec<usize>>>)> {
    let Some(first) = readers.first() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let paths: Vec<String> = first
        .dataset_paths()?
        .into_iter()
        .filter(|p| !p.starts_with("events/"))
        .collect();
    // Shapes per dataset per shard; check the shards agree.
    let mut shapes: Vec<Vec<Vec<usize>>> = Vec::with_capacity(paths.len());
    for p in &paths {
        let mut per_shard = Vec::with_capacity(readers.len());
        for r in readers {
            let s = r.shape(p).map_err(|e| OutputError::Merge {
                detail: format!("{}: {e}", r.path().display()),
            })?;
            if s.is_empty() || (!per_shard.is_empty() && s[1..] != per_shard_first(&per_shard)[1..])
            {
                return Err(OutputError::Merge {
                    detail: format!(
                        "/{p} has shape {s:?} in {}, unlike the first shard",
                        r.path().display()
                    ),
                });
            }
            per_shard.push(s);
        }
        shapes.push(per_shard);
    }
    for r in &readers[1..] {
        let theirs: BTreeSet<String> = r
            .dataset_paths()?
            .into_iter()
            .filter(|p| !p.starts_with("events/"))
            .collect();
        let ours: BTreeSet<String> = paths.iter().cloned().collect();
        if theirs != ours {
            return Err(OutputError::Merge {
                detail: format!(
                    "{} has different datasets than {}",
                    r.path().display(),
                    first.path().display()
                ),
            });
        }
    }

    Ok((paths, shapes))
}

fn per_shard_first(per_shard: &[Vec<usize>]) -> &[usize] {
    &per_shard[0]
}
