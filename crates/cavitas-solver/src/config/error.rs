//! Errors for bad input: every message names the file, the key and what is allowed.

use std::path::PathBuf;

/// Where a configuration came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    /// A TOML file on disk.
    File(PathBuf),
    /// A configuration built into the binary (the default scenario).
    BuiltIn(&'static str),
}

impl std::fmt::Display for ConfigOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "{}", path.display()),
            Self::BuiltIn(name) => write!(f, "<built-in {name}>"),
        }
    }
}

/// A configuration that cannot be used. The CLI maps every variant to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{origin}: cannot read the file: {source}")]
    Read {
        origin: ConfigOrigin,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}: not valid TOML: {message}")]
    Syntax {
        origin: ConfigOrigin,
        message: String,
    },
    #[error("{origin}: key `{key}`: {message}")]
    Key {
        origin: ConfigOrigin,
        key: String,
        message: String,
    },
    #[error("{origin}: key `{key}` = {value} is out of range; allowed: {allowed}")]
    OutOfRange {
        origin: ConfigOrigin,
        key: String,
        value: String,
        allowed: String,
    },
    #[error("--set `{assignment}`: {message}")]
    Override { assignment: String, message: String },
}
