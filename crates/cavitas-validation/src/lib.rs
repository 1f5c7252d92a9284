//! Validation of cavitas against published observations: the datasets of `validation/`,
//! the metrics a reader of the images makes, and a synthetic cine MRI of the simulated joint.
//!
//! The image pipeline, in the order a validation case calls it:
//!
//! 1. **The joint over time** ([`scene`]), independent of the solver: a [`JointScene`]
//!    (bones, cartilage, film, capsule, recess fluid, gas cavities) and a
//!    [`JointTimeline`] giving it at any time. [`read_run_timeline`] builds one from a
//!    coupled run file; [`SampledTimeline`] from any samples.
//! 2. **Synthetic cine MRI** ([`mri`]): [`SyntheticScanner`] images a slice of the
//!    revolved joint with partial volume, motion blur over each frame's acquisition
//!    window and Rician noise, under an [`MriProtocol`] (3.2 frames/s by default, after
//!    Kawchuk et al. 2015), into a [`CineSeries`]; stills before and after traction.
//! 3. **The reader** ([`measure`]): [`ReaderSettings`] measures each frame — the joint
//!    space from sub-pixel edges of the intensity profile along the axis, the dark-cavity
//!    area by segmentation — into a [`MeasurementSeries`], whose events (first visible
//!    cavity, gap jump) are dated to frames.
//! 4. **Real data in** ([`data`]): a researcher's digitised measurements (CSV), real cine
//!    series as PNG frames or DICOM, measured by the same reader; [`SeriesComparison`]
//!    compares a simulated and an observed series.
//! 5. **Plots and a report** ([`plot`]): PNG plots drawn with an embedded font, an
//!    animated GIF of the frames, and a `report.md` linking them.
//!
//! [`ImagingStudy`] runs steps 2–3 in one call (timeline → cine series, stills and
//! measurements) and compares with observed data: what a validation case calls.
//!
//! Also here: [`joint_record`], a coupled run's joint series read back and sampled at a
//! cine frame rate. The verification of each physical part lives with the part: the
//! bubble field against Rayleigh, Minnaert, Blake and Epstein–Plesset in
//! `cavitas-solver/tests/bubble_analytic.rs`, the capsule against membrane solutions and
//! the facet-capsule data of Little & Khalsa (2005) in `cavitas-solver/tests/capsule_*.rs`,
//! and the crack in `cavitas-solver/tests/crack.rs`.

pub mod data;
pub mod imaging_study;
pub mod joint_record;
pub mod measure;
pub mod mri;
pub mod plot;
pub mod run_file_timeline;
pub mod scene;
pub mod validation_error;

pub use data::cine_gif::write_cine_gif;
pub use data::dicom_frames::{read_dicom_series, write_dicom_series};
pub use data::digitised_csv::{parse_digitised_csv, read_digitised_csv};
pub use data::frame_encoding::FrameEncoding;
pub use data::png_frames::{
    read_frame_times, read_png, read_png_series, write_png_series, write_png8, write_png16,
};
pub use data::series_comparison::SeriesComparison;
pub use imaging_study::{ImagingResult, ImagingStudy};
pub use joint_record::JointRecord;
pub use measure::cavity_segmentation::{
    CavityMeasurement, CavitySettings, CavityThreshold, segment_cavity,
};
pub use measure::cine_reader::{FrameMeasurement, ReaderSettings};
pub use measure::joint_space::{EdgeLevel, JointSpace, JointSpaceSettings, measure_joint_space};
pub use measure::measurement_series::{EventRules, FrameEvent, MeasurementSeries};
pub use measure::otsu::otsu_threshold;
pub use measure::profile_line::{Profile, ProfileLine};
pub use measure::roi_mask::RoiMask;
pub use mri::cine_series::{CineSeries, FrameArray};
pub use mri::mri_protocol::MriProtocol;
pub use mri::phantom::Phantom;
pub use mri::slice_geometry::SliceGeometry;
pub use mri::slice_image::SliceImage;
pub use mri::synthetic_scanner::SyntheticScanner;
pub use mri::tissue_intensities::TissueIntensities;
pub use plot::comparison_plot::plot_comparison;
pub use plot::embedded_font::register_embedded_font;
pub use plot::frame_strip_plot::{frames_around, plot_frame_strip};
pub use plot::plot_file::PlotFile;
pub use plot::spectrum_plot::plot_spectrum;
pub use plot::time_series_plot::{TimeSeriesPanel, plot_time_series};
pub use plot::validation_report::ValidationReport;
pub use run_file_timeline::read_run_timeline;
pub use scene::bone_surface::BoneSurface;
pub use scene::capsule_meridian::{CapsuleMeridian, CapsuleSide};
pub use scene::gas_cavity::GasCavity;
pub use scene::joint_anatomy::JointAnatomy;
pub use scene::joint_scene::JointScene;
pub use scene::joint_timeline::JointTimeline;
pub use scene::sampled_timeline::SampledTimeline;
pub use scene::surface_shape::SurfaceShape;
pub use scene::tissue::Tissue;
pub use validation_error::ValidationError;
