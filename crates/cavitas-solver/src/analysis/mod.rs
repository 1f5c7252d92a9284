//! Analytic reference solutions and signal analysis shared by reports and tests.

pub mod reference;
pub mod spectrum;
