//! The joint as the scanner sees it, independent of the solver: bones, cartilage, film,
//! capsule, recess fluid and gas, at one instant ([`JointScene`](crate::JointScene)) or over time
//! ([`JointTimeline`](crate::JointTimeline)).

pub mod bone_surface;
pub mod capsule_meridian;
pub mod gas_cavity;
pub mod joint_anatomy;
pub mod joint_scene;
pub mod joint_timeline;
pub mod sampled_timeline;
pub mod surface_shape;
pub mod tissue;
