//! Synthetic cine MRI: the protocol, the scanner, the images and phantoms.

pub mod cine_series;
pub mod mri_protocol;
pub mod phantom;
pub mod slice_geometry;
pub mod slice_image;
pub mod synthetic_scanner;
pub mod tissue_intensities;
