//! Config fuzzing: mutants of every shipped scenario are loaded as a user's file would be.
//! None may panic; an unknown key is never accepted; a mistyped or out-of-range value is
//! refused with the full dotted key of the value that was changed.
//!
//! The mutants are drawn from a fixed seed, so a failure reproduces. Hangs are excluded by
//! construction here (loading does no physics); that absurd values cannot start a run that
//! never ends is the job of the ranges, every one of which has an upper bound
//! (`config/validate.rs`), and this test sends values past them.

mod common;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use cavitas_solver::config::{ConfigDocument, ConfigError, ConfigOrigin};
use cavitas_solver::driver::Scenario;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// Every shipped scenario that loads (the `configs/joint/` presets are parts, not runs).
fn shipped() -> Vec<(PathBuf, toml::Table)> {
    let mut out = Vec::new();
    for path in common::shipped_config_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = ConfigDocument::from_text(ConfigOrigin::File(path.clone()), &text, &[]).unwrap();
        if Scenario::from_document(&doc).is_ok() {
            out.push((path, doc.table().clone()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every leaf (a value that is not a table or an array of tables) with its dotted key.
fn leaves(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => leaves(t, &path, out),
            toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
                for (i, item) in items.iter().enumerate() {
                    leaves(item.as_table().unwrap(), &format!("{path}.{i}"), out);
                }
            }
            _ => out.push(path),
        }
    }
}

/// Every table's dotted key (the root is "").
fn tables(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_string());
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => tables(t, &path, out),
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(t) = item.as_table() {
                        tables(t, &format!("{path}.{i}"), out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The parent table of `key` (handles `group.0.x`) and the last segment.
fn parent_of<'a>(table: &'a mut toml::Table, key: &str) -> (&'a mut toml::Table, String) {
    let segments: Vec<&str> = key.split('.').collect();
    let (last, parents) = segments.split_last().unwrap();
    let mut current = table;
    let mut i = 0;
    while i < parents.len() {
        current = match current.get_mut(parents[i]).unwrap() {
            toml::Value::Table(t) => t,
            toml::Value::Array(items) => {
                i += 1;
                let index: usize = parents[i].parse().unwrap();
                items[index].as_table_mut().unwrap()
            }
            other => panic!("{} is {other:?}", parents[i]),
        };
        i += 1;
    }
    (current, (*last).to_string())
}

/// What a mutant must give.
#[derive(Debug)]
enum Expect {
    /// Refused, naming exactly this key.
    RefusedAt(String),
    /// Loaded or refused with a clear message; no panic either way.
    Either,
}

/// One mutation of `table`.
fn mutate(table: &mut toml::Table, rng: &mut Pcg64) -> (String, Expect) {
    let mut leaf_keys = Vec::new();
    leaves(table, "", &mut leaf_keys);
    let mut table_keys = Vec::new();
    tables(table, "", &mut table_keys);
    match rng.random_range(0..5) {
        0 => {
            // An unknown key in any table.
            let at = &table_keys[rng.random_range(0..table_keys.len())];
            let (parent, _) = if at.is_empty() {
                (&mut *table, String::new())
            } else {
                let (p, last) = parent_of(table, &format!("{at}.x"));
                (p, last)
            };
            parent.insert("no_such_key".into(), toml::Value::Float(1.0));
            let key = if at.is_empty() {
                "no_such_key".to_string()
            } else {
                format!("{at}.no_such_key")
            };
            (format!("unknown key {key}"), Expect::RefusedAt(key))
        }
        1 => {
            // A number replaced by a string, or a string by a number.
            let key = leaf_keys[rng.random_range(0..leaf_keys.len())].clone();
            let (parent, last) = parent_of(table, &key);
            let old = parent.get(&last).unwrap().clone();
            let replacement = match old {
                toml::Value::String(_) => toml::Value::Float(3.5),
                _ => toml::Value::String("abc".into()),
            };
            parent.insert(last, replacement.clone());
            (
                format!("{key}: {old} -> {replacement}"),
                Expect::RefusedAt(key),
            )
        }
        2 => {
            // A number pushed past any physical range, or to NaN, infinity, a negative.
            let numeric: Vec<&String> = leaf_keys
                .iter()
                .filter(|k| {
                    let mut copy = table.clone();
                    let (parent, last) = parent_of(&mut copy, k);
                    parent.get(&last).unwrap().is_float()
                })
                .collect();
            if numeric.is_empty() {
                return ("nothing numeric".into(), Expect::Either);
            }
            let key = numeric[rng.random_range(0..numeric.len())].clone();
            let value = [1e308, f64::NAN, f64::INFINITY, -1e308, 1e30][rng.random_range(0..5)];
            let (parent, last) = parent_of(table, &key);
            parent.insert(last, toml::Value::Float(value));
            // -1e308 and 1e30 may be refused by a check that spans tables (it names its own
            // key) or, for a signed quantity, pass; NaN and infinities never pass.
            let expect = if value.is_finite() {
                Expect::Either
            } else {
                Expect::RefusedAt(key.clone())
            };
            (format!("{key} = {value}"), expect)
        }
        3 => {
            // A key removed: a default applies, or a required key is named missing.
            let key = leaf_keys[rng.random_range(0..leaf_keys.len())].clone();
            let (parent, last) = parent_of(table, &key);
            parent.remove(&last);
            (format!("removed {key}"), Expect::Either)
        }
        _ => {
            // A value made an array or a table.
            let key = leaf_keys[rng.random_range(0..leaf_keys.len())].clone();
            let (parent, last) = parent_of(table, &key);
            let old = parent.get(&last).unwrap().clone();
            if old.is_array() {
                parent.insert(last, toml::Value::Boolean(true));
            } else {
                parent.insert(last, toml::Value::Array(vec![old.clone(), old]));
            }
            (format!("{key} made another shape"), Expect::RefusedAt(key))
        }
    }
}

#[test]
fn five_hundred_config_mutants_never_panic_and_name_the_key() {
    let configs = shipped();
    assert!(configs.len() >= 8, "found {} scenarios", configs.len());
    let mut rng = Pcg64::seed_from_u64(0x5eed_cafe);
    let (mut refused, mut loaded) = (0, 0);
    for round in 0..600 {
        let (path, original) = &configs[round % configs.len()];
        let mut table = original.clone();
        let (what, expect) = mutate(&mut table, &mut rng);
        let text = toml::to_string(&table).unwrap();
        let origin = ConfigOrigin::File(path.clone());
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let doc = ConfigDocument::from_text(origin, &text, &[])?;
            Scenario::from_document(&doc).map(|_| ())
        }));
        let context = format!("{} mutant {round} ({what})", path.display());
        let result = result.unwrap_or_else(|_| panic!("{context}: panicked"));
        match (&expect, &result) {
            (Expect::RefusedAt(key), Err(e)) => {
                let named = match e {
                    ConfigError::Key { key: k, .. } | ConfigError::OutOfRange { key: k, .. } => {
                        k.clone()
                    }
                    other => panic!("{context}: unexpected error {other}"),
                };
                // A mistyped tag (`shape = 3.5`) is reported at the tagged table's field,
                // the same key; anything else must be exactly the mutated key.
                assert_eq!(&named, key, "{context}: error names {named}: {e}");
                let message = e.to_string();
                assert!(message.contains(&path.display().to_string()), "{message}");
            }
            (Expect::RefusedAt(_), Ok(())) => panic!("{context}: accepted"),
            (Expect::Either, Err(e)) => {
                let message = e.to_string();
                assert!(
                    message.contains(&path.display().to_string()) && message.contains('`'),
                    "{context}: the error names neither file nor key: {message}"
                );
            }
            (Expect::Either, Ok(())) => {}
        }
        match result {
            Ok(()) => loaded += 1,
            Err(_) => refused += 1,
        }
    }
    eprintln!("600 mutants: {refused} refused, {loaded} loaded");
    assert!(refused > 300, "most mutants are invalid: {refused}");
}

#[test]
fn unreadable_config_sources_are_refused_quickly() {
    // /dev/zero never ends; the bound on a config's size stops the read.
    let result = ConfigDocument::load(Some(std::path::Path::new("/dev/zero")), ("d", ""), &[]);
    let message = result.unwrap_err().to_string();
    assert!(message.contains("/dev/zero"), "{message}");
    let result = ConfigDocument::load(Some(std::path::Path::new("/dev/urandom")), ("d", ""), &[]);
    let message = result.unwrap_err().to_string();
    assert!(message.contains("/dev/urandom"), "{message}");
}
