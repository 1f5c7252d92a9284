//! Measuring images as a reader would: the joint space from the edges of the intensity
//! profile along the axis, the dark cavity by segmentation, events dated to frames.

pub mod cavity_segmentation;
pub mod cine_reader;
pub mod joint_space;
pub mod measurement_series;
pub mod otsu;
pub mod profile_line;
pub mod roi_mask;
