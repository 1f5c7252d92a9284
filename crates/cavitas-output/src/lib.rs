//! The run-file schema of cavitas, between the solver and the HDF5 layer.
//!
//! - [`table`]: a dataset declared once — name, unit, description, and how to compute it.
//! - [`joint_schema`], [`bubble_field_schema`]: the tables of each kind of run.
//! - [`RunWriter`]: the run's observer that streams it into an HDF5 file, checkpoints it
//!   and finishes it; [`ResumedRun`] reopens a killed run at its last checkpoint.
//! - [`provenance`](mod@provenance): where a file came from.
//!
//! The on-disk layout is documented in `crates/cavitas-hdf5/SCHEMA.md`; its tables of
//! the datasets declared here are checked against these declarations by a test.

mod bubble_field_writer;
mod crack_writer;
mod resume;
mod run_writer;
mod write_error;
mod written;

pub mod bubble_field_schema;
pub mod joint_schema;
pub mod provenance;
pub mod schema_doc;
pub mod table;

pub use bubble_field_writer::EVENT_LIMIT;
pub use resume::{BACKEND_REQUEST, ResumedRun};
pub use run_writer::RunWriter;
pub use write_error::{InputError, WriteError};
pub use written::Written;
