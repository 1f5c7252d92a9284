//! Range checks for parameters, reporting the dotted key and the allowed range.

use super::error::{ConfigError, ConfigOrigin};

/// Collects the first range violation found while a parameter tree validates itself.
#[derive(Debug)]
pub struct Validator<'a> {
    origin: &'a ConfigOrigin,
    prefix: Vec<String>,
    error: Option<ConfigError>,
}

/// Implemented by every parameter struct read from a configuration.
pub trait Validate {
    /// Checks every field against its allowed range.
    fn validate(&self, v: &mut Validator<'_>);
}

impl<'a> Validator<'a> {
    /// A validator whose errors name `origin`.
    pub fn new(origin: &'a ConfigOrigin) -> Self {
        Self {
            origin,
            prefix: Vec::new(),
            error: None,
        }
    }

    /// Validates `item` and returns the first violation.
    pub fn check(origin: &ConfigOrigin, item: &impl Validate) -> Result<(), ConfigError> {
        let mut v = Validator::new(origin);
        item.validate(&mut v);
        v.finish()
    }

    /// Validates a nested table under `key`.
    pub fn nested(&mut self, key: impl Into<String>, item: &impl Validate) {
        self.prefix.push(key.into());
        item.validate(self);
        self.prefix.pop();
    }

    /// The first violation, if any.
    pub fn finish(self) -> Result<(), ConfigError> {
        self.error.map_or(Ok(()), Err)
    }

    fn key(&self, key: &str) -> String {
        let mut parts = self.prefix.clone();
        parts.push(key.to_string());
        parts.join(".")
    }

    /// Records a violation unless `ok`.
    pub fn require(&mut self, ok: bool, key: &str, value: impl std::fmt::Display, allowed: &str) {
        if !ok && self.error.is_none() {
            self.error = Some(ConfigError::OutOfRange {
                origin: self.origin.clone(),
                key: self.key(key),
                value: value.to_string(),
                allowed: allowed.to_string(),
            });
        }
    }

    /// `value` must lie in `(0, max]`. Every quantity has a physical upper bound: a value past
    /// it is a typo or a unit slip, and would otherwise run for hours without output.
    pub fn positive(&mut self, key: &str, value: f64, max: f64) {
        self.require(
            value.is_finite() && value > 0.0 && value <= max,
            key,
            value,
            &format!("a number in (0, {max:e}]"),
        );
    }

    /// `value` must lie in `[0, max]`.
    pub fn non_negative(&mut self, key: &str, value: f64, max: f64) {
        self.require(
            value.is_finite() && (0.0..=max).contains(&value),
            key,
            value,
            &format!("a number in [0, {max:e}]"),
        );
    }

    /// `value` must be finite.
    pub fn finite(&mut self, key: &str, value: f64) {
        self.require(value.is_finite(), key, value, "a finite number");
    }

    /// `value` must lie in the closed interval `[lo, hi]`.
    pub fn within(&mut self, key: &str, value: f64, lo: f64, hi: f64) {
        self.require(
            value.is_finite() && (lo..=hi).contains(&value),
            key,
            value,
            &format!("a number in [{lo:e}, {hi:e}]"),
        );
    }
}
