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
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
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
    /// dotted path.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ConfigError> {
        let value = toml::Value::Table(self.table.clone());
        serde_path_to_error::deserialize(value).map_err(|e| {
            // Report keys in the `--set` form (`group.0.pressure`), not serde's `group[0]`.
            let key = e.path().to_string().replace('[', ".").replace(']', "");
            let message = e.into_inner().to_string();
            ConfigError::Key {
                origin: self.origin.clone(),
                key: if key == "." { "<root>".into() } else { key },
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

    #[test]
    fn malformed_override_is_an_error() {
        let r = ConfigDocument::from_text(ConfigOrigin::BuiltIn("t"), "", &["novalue".into()]);
        assert!(matches!(r, Err(ConfigError::Override { .. })));
    }
}
