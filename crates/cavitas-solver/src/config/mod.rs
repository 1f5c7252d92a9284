//! Loading scenario files: TOML, `--set` overrides, typed parameters, and range checks whose
//! errors name the file, the key and the allowed range.

mod document;
mod error;
mod validate;

pub use document::ConfigDocument;
pub use error::{ConfigError, ConfigOrigin};
pub use validate::{Validate, Validator};
