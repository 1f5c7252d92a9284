//! A TOML configuration with `--set dotted.key=value` overrides applied, ready to be
//! deserialised into typed parameters.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::error::{ConfigError, ConfigOrigin};

/// A parsed configuration document: the origin, the overrides applied, and the resolved table.
#[derive(Debug, Clone)]
pub struct ConfigDocument {
    origin: ConfigOrigin,
    table: toml::Table,
}

impl ConfigDocument {
    /// Reads `path`, or the built-in `default` when `path` is `None`, and applies `overrides`
    /// (each `dotted.key=value`, the value parsed as TOML, or taken as a string if it is not).
    pub fn load(
        path: Option<&Path>,
        default: (&'static str, &'static str),
        overrides: &[String],
    ) -> Result<Self, ConfigError> {
        let (origin, text) = match path {
            Some(path) => {
                let origin = ConfigOrigin::File(path.to_path_buf());
                let text = read_bounded(path).map_err(|source| ConfigError::Read {
                    origin: origin.clone(),
                    source,
                })?;
                (origin, text)
            }
            None => (ConfigOrigin::BuiltIn(default.0), default.1.to_string()),
        };
        Self::from_text(origin, &text, overrides)
    }

    /// Parses `text` as coming from `origin` and applies `overrides`.
    pub fn from_text(
        origin: ConfigOrigin,
        text: &str,
        overrides: &[String],
    ) -> Result<Self, ConfigError> {
        let mut table: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| ConfigError::Syntax {
                    origin: origin.clone(),
                    message: e.to_string().trim_end().to_string(),
                })?;
        for assignment in overrides {
            apply_override(&mut table, assignment)?;
        }
        Ok(Self { origin, table })
    }

    /// Where the document came from.
    pub fn origin(&self) -> &ConfigOrigin {
        &self.origin
    }

    /// The resolved table (file plus overrides).
    pub fn table(&self) -> &toml::Table {
        &self.table
    }

    /// The resolved configuration as TOML text (for provenance and `--json`).
    pub fn resolved_text(&self) -> String {
        toml::to_string(&self.table).unwrap_or_default()
    }

    /// Deserialises the whole document; an unknown or mistyped key is reported with its
    /// full dotted path.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ConfigError> {
        deserialize_table::<T>(&self.table).map_err(|failure| {
            let key = refine_key::<T>(&self.table, &failure);
            ConfigError::Key {
                origin: self.origin.clone(),
                key: if key.is_empty() { "<root>".into() } else { key },
                message: failure.message,
            }
        })
    }
}

/// Largest configuration file read (bytes). Real configurations are a few kB; the bound keeps
/// `/dev/zero`, a pipe that never closes or a mistaken binary from being read forever.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads `path` as UTF-8 text of at most [`MAX_CONFIG_BYTES`].
fn read_bounded(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {MAX_CONFIG_BYTES} bytes, the most a configuration may be"),
        ));
    }
    Ok(text)
}

/// A deserialisation failure: the dotted key serde reached and its one-line message.
#[derive(Debug, PartialEq)]
struct KeyFailure {
    key: String,
    message: String,
}

fn deserialize_table<T: DeserializeOwned>(table: &toml::Table) -> Result<T, KeyFailure> {
    let value = toml::Value::Table(table.clone());
    serde_path_to_error::deserialize(value).map_err(|e| {
        // Report keys in the `--set` form (`group.0.pressure`), not serde's `group[0]`.
        let key = e.path().to_string().replace('[', ".").replace(']', "");
        let message = e.into_inner().to_string();
        KeyFailure {
            key: if key == "." { String::new() } else { key },
            // The deserializer repeats the location on a second line; the key says it.
            message: message
                .lines()
                .next()
                .unwrap_or_default()
                .trim_end()
                .to_string(),
        }
    })
}

/// serde's internally tagged enums (`[capsule.geometry]` with `shape = "…"`) buffer their
/// table before choosing the variant, so an error inside one is reported at the table, not at
/// the field. This finds the field: the one whose removal changes the error (a required field
/// then goes missing, an optional one parses). Where several do, the one whose value the
/// message quotes wins. Runs only on the error path.
fn refine_key<T: DeserializeOwned>(table: &toml::Table, failure: &KeyFailure) -> String {
    const MOST_LEAVES_TRIED: usize = 64;
    let segments: Vec<&str> = failure.key.split('.').filter(|s| !s.is_empty()).collect();
    let Some(inner @ toml::Value::Table(_)) = lookup(table, &segments) else {
        return failure.key.clone();
    };
    // Every leaf under the key, with its path relative to it (tagged tables nest: fibres
    // of a material, each an array element).
    let mut leaves = Vec::new();
    collect_leaves(inner, String::new(), &mut leaves);
    let join = |relative: &str| {
        if failure.key.is_empty() {
            relative.to_string()
        } else {
            format!("{}.{relative}", failure.key)
        }
    };
    // A missing field belongs to the table the key names already.
    if failure.message.starts_with("missing field") || leaves.len() > MOST_LEAVES_TRIED {
        return failure.key.clone();
    }
    if let Some(name) = failure
        .message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        let named: Vec<&(String, &toml::Value)> = leaves
            .iter()
            .filter(|(path, _)| path == name || path.ends_with(&format!(".{name}")))
            .collect();
        return match named.as_slice() {
            [(path, _)] => join(path),
            _ => failure.key.clone(),
        };
    }
    let mut culprits = Vec::new();
    for (relative, value) in &leaves {
        let mut trial = table.clone();
        let full = join(relative);
        let full_segments: Vec<&str> = full.split('.').collect();
        let Some((last, parents)) = full_segments.split_last() else {
            continue;
        };
        match lookup_mut(&mut trial, parents) {
            Some(toml::Value::Table(t)) => {
                t.remove(*last);
            }
            _ if parents.is_empty() => {
                trial.remove(*last);
            }
            _ => continue,
        }
        if deserialize_table::<T>(&trial).err().as_ref() != Some(failure) {
            culprits.push((relative, *value));
        }
    }
    let quoted = |value: &toml::Value| match value {
        toml::Value::String(s) => failure.message.contains(&format!("\"{s}\"")),
        toml::Value::Array(_) => failure.message.contains("sequence"),
        toml::Value::Table(_) => failure.message.contains("map"),
        other => failure.message.contains(&format!("`{other}`")),
    };
    let chosen = culprits
        .iter()
        .find(|(_, value)| quoted(value))
        .or(culprits.first());
    chosen.map_or_else(|| failure.key.clone(), |(relative, _)| join(relative))
}

/// The leaves under `value` (values that are not tables or arrays of tables), with their
/// dotted paths relative to it.
fn collect_leaves<'a>(
    value: &'a toml::Value,
    path: String,
    out: &mut Vec<(String, &'a toml::Value)>,
) {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        toml::Value::Table(t) => {
            for (key, v) in t {
                collect_leaves(v, child(key), out);
            }
        }
        toml::Value::Array(items)
            if !items.is_empty() && items.iter().all(toml::Value::is_table) =>
        {
            for (i, item) in items.iter().enumerate() {
                collect_leaves(item, child(&i.to_string()), out);
            }
        }
        leaf => out.push((path, leaf)),
    }
}

fn lookup<'a>(table: &'a toml::Table, segments: &[&str]) -> Option<&'a toml::Value> {
    let (first, rest) = segments.split_first()?;
    let mut value = table.get(*first)?;
    for segment in rest {
        value = match value {
            toml::Value::Table(t) => t.get(*segment)?,
            toml::Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn lookup_mut<'a>(table: &'a mut toml::Table, segments: &[&str]) -> Option<&'a mut toml::Value> {
    let (first, rest) = segments.split_first()?;
    let mut value = table.get_mut(*first)?;
    for segment in rest {
        value = match value {
            toml::Value::Table(t) => t.get_mut(*segment)?,
            toml::Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn apply_override(table: &mut toml::Table, assignment: &str) -> Result<(), ConfigError> {
    let err = |message: &str| ConfigError::Override {
        assignment: assignment.to_string(),
        message: message.to_string(),
    };
    let (key, raw) = assignment
        .split_once('=')
        .ok_or_else(|| err("expected `dotted.key=value`"))?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(err("the key is empty or has an empty segment"));
    }
    let raw = raw.trim();
    // Parse the value as TOML (numbers, booleans, arrays, inline tables); fall back to a string.
    let value = format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_string()));
    let segments: Vec<&str> = key.split('.').collect();
    let (last, parents) = segments.split_last().expect("non-empty key");
    let mut current = table;
    for (depth, segment) in parents.iter().enumerate() {
        let entry = current
            .entry((*segment).to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = match entry {
            toml::Value::Table(t) => t,
            // `group.0.key` addresses the first element of an array of tables.
            toml::Value::Array(items) => {
                let index_segment = segments.get(depth + 1).copied().unwrap_or_default();
                return apply_into_array(items, index_segment, &segments[depth + 2..], value)
                    .map_err(|m| err(&m));
            }
            _ => return Err(err(&format!("`{segment}` is a value, not a table"))),
        };
    }
    current.insert((*last).to_string(), value);
    Ok(())
}

fn apply_into_array(
    items: &mut [toml::Value],
    index: &str,
    rest: &[&str],
    value: toml::Value,
) -> Result<(), String> {
    let i: usize = index
        .parse()
        .map_err(|_| format!("`{index}` must be an index into the array of tables"))?;
    let len = items.len();
    let item = items
        .get_mut(i)
        .ok_or_else(|| format!("index {i} is past the end of an array of {len} tables"))?;
    let (last, parents) = rest
        .split_last()
        .ok_or("the key ends at an array element")?;
    let mut current = item
        .as_table_mut()
        .ok_or("the array element is not a table")?;
    for segment in parents {
        current = current
            .entry((*segment).to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("`{segment}` is a value, not a table"))?;
    }
    current.insert((*last).to_string(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_set_nested_keys_and_parse_values() {
        let doc = ConfigDocument::from_text(
            ConfigOrigin::BuiltIn("test"),
            "[a]\nb = 1.0\n[[g]]\nx = 1\n",
            &[
                "a.b=2.5".into(),
                "a.c.d=true".into(),
                "g.0.x=7".into(),
                "name=abc".into(),
            ],
        )
        .unwrap();
        let t = doc.table();
        assert_eq!(t["a"]["b"].as_float(), Some(2.5));
        assert_eq!(t["a"]["c"]["d"].as_bool(), Some(true));
        assert_eq!(t["g"][0]["x"].as_integer(), Some(7));
        assert_eq!(t["name"].as_str(), Some("abc"));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        x: f64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        g: Vec<Item>,
    }

    #[test]
    fn key_errors_use_the_override_syntax() {
        let doc = ConfigDocument::from_text(
            ConfigOrigin::BuiltIn("t"),
            "[[g]]\nx = 1.0\n[[g]]\ny = 2\n",
            &[],
        )
        .unwrap();
        match doc.parse::<Doc>() {
            Err(ConfigError::Key { key, message, .. }) => {
                assert_eq!(key, "g.1.y");
                assert!(
                    message.starts_with("unknown field `y`") && !message.contains('\n'),
                    "{message}"
                );
            }
            other => panic!("expected a key error, got {other:?}"),
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(tag = "shape", rename_all = "snake_case", deny_unknown_fields)]
    #[allow(dead_code)]
    enum Shape {
        Cylinder { length_m: f64, radius_m: f64 },
        Sphere { radius_m: f64 },
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        geometry: Shape,
    }

    fn key_of_error(text: &str) -> String {
        let doc = ConfigDocument::from_text(ConfigOrigin::BuiltIn("t"), text, &[]).unwrap();
        match doc.parse::<Outer>() {
            Err(ConfigError::Key { key, .. }) => key,
            other => panic!("expected a key error, got {other:?}"),
        }
    }

    #[test]
    fn errors_inside_tagged_tables_name_the_field() {
        // serde alone reports these at `geometry`.
        let mistyped = "[geometry]\nshape = \"cylinder\"\nlength_m = \"long\"\nradius_m = 1.0\n";
        assert_eq!(key_of_error(mistyped), "geometry.length_m");
        let mistyped_last = "[geometry]\nshape = \"cylinder\"\nlength_m = 1.0\nradius_m = true\n";
        assert_eq!(key_of_error(mistyped_last), "geometry.radius_m");
        let unknown = "[geometry]\nshape = \"sphere\"\nradius_m = 1.0\nlength_m = 2.0\n";
        assert_eq!(key_of_error(unknown), "geometry.length_m");
        let bad_tag = "[geometry]\nshape = \"cube\"\nradius_m = 1.0\n";
        assert_eq!(key_of_error(bad_tag), "geometry.shape");
        // A missing field is the table's: the key stays there.
        assert_eq!(key_of_error("[geometry]\nshape = \"sphere\"\n"), "geometry");
    }

    #[test]
    fn a_config_file_larger_than_the_bound_is_refused() {
        let path = std::env::temp_dir().join(format!("cavitas-big-{}.toml", std::process::id()));
        std::fs::write(&path, vec![b'#'; MAX_CONFIG_BYTES as usize + 1]).unwrap();
        let result = ConfigDocument::load(Some(&path), ("d", ""), &[]);
        std::fs::remove_file(&path).unwrap();
        let message = result.unwrap_err().to_string();
        assert!(message.contains("larger than"), "{message}");
    }

    #[test]
    fn malformed_override_is_an_error() {
        let r = ConfigDocument::from_text(ConfigOrigin::BuiltIn("t"), "", &["novalue".into()]);
        assert!(matches!(r, Err(ConfigError::Override { .. })));
    }
}
