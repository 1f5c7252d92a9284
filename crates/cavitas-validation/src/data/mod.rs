//! Real data in: a researcher's digitised measurements (CSV), cine series as PNG frames or
//! DICOM (read and written), a GIF to look at, and the comparison of a simulated series
//! with an observed one.

pub mod cine_gif;
pub mod dicom_frames;
pub mod digitised_csv;
pub mod frame_encoding;
pub mod png_frames;
pub mod series_comparison;
