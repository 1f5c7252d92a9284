//! The bubble field: many gas bubbles obeying Keller–Miksis dynamics with per-species gas
//! transfer, integrated with per-bubble adaptive Dormand–Prince steps inside macro intervals.
//!
//! The CPU path ([`cpu`]) is the reference, generic over f32/f64; the GPU path lives in
//! [`crate::gpu`] and runs the same algorithm in WGSL.

pub mod backend;
pub mod bench_case;
pub mod checkpoint;
pub mod coefficients;
pub mod cpu;
pub mod dormand_prince;
pub mod field;
pub mod gas_tensions;
pub mod keller_miksis;
pub mod liquid;
pub mod model;
pub mod near_field;
pub mod nuclei;
pub mod observer;
pub mod per_species;
pub mod pressure_protocol;
pub mod run;
pub mod scales;
pub mod scenario;
pub mod species;
pub mod state;
pub mod study;
pub mod workload;
