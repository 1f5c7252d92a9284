//! Where the imaged slice is, how thick, and its pixels.

use serde::{Deserialize, Serialize};

use crate::validation_error::{ValidationError, check_above, check_range};

/// The imaged slice (`[mri.slice]`). By default a coronal slice through the joint axis:
/// image columns along `x`, rows along `z` (distal bone up), centred on the middle of the
/// joint space. Image coordinates: pixel `(row, column)` has its centre at in-plane
/// `u = (column + ½ − columns/2) · pixel`, `v = (rows/2 − row − ½) · pixel`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceGeometry {
    /// Angle of the image's horizontal axis from `x` about the joint axis (degrees).
    /// Default 0 (coronal); 90 is sagittal. Range: [−360, 360].
    #[serde(default)]
    pub azimuth_deg: f64,
    /// Tilt of the slice about its horizontal axis (degrees): 0 contains the joint axis.
    /// Default 0. Range: [−89, 89].
    #[serde(default)]
    pub tilt_deg: f64,
    /// Offset of the slice along its normal from the joint axis (m). Default 0 (mid-joint).
    /// Range: [−0.05, 0.05].
    #[serde(default)]
    pub offset_m: f64,
    /// `z` of the image centre (m). Default: the middle of the joint space of the first
    /// imaged instant. Range: [−0.1, 0.1].
    #[serde(default)]
    pub centre_z_m: Option<f64>,
    /// Slice thickness (m), a rectangular slice profile. Default 3e-3 \[A\] (typical of
    /// real-time cine MRI; the study's value is not available). Range: (0, 0.02].
    #[serde(default = "d_thickness")]
    pub thickness_m: f64,
    /// Side of the square pixels (m). Default 0.5e-3 \[A\]. Range: (0, 0.01].
    #[serde(default = "d_pixel")]
    pub pixel_size_m: f64,
    /// Field of view, width × height (m). Default 32 mm × 32 mm \[A\]: the knuckle and
    /// some bone each side. Range of each: (0, 0.5]; at most 4096 pixels a side.
    #[serde(default = "d_fov")]
    pub field_of_view_m: [f64; 2],
}

fn d_thickness() -> f64 {
    3.0e-3
}
fn d_pixel() -> f64 {
    0.5e-3
}
fn d_fov() -> [f64; 2] {
    [32.0e-3, 32.0e-3]
}

impl Default for SliceGeometry {
    fn default() -> Self {
        Self {
            azimuth_deg: 0.0,
            tilt_deg: 0.0,
            offset_m: 0.0,
            centre_z_m: None,
            thickness_m: d_thickness(),
            pixel_size_m: d_pixel(),
            field_of_view_m: d_fov(),
        }
    }
}

impl SliceGeometry {
    /// Image width in pixels.
    pub fn columns(&self) -> usize {
        (self.field_of_view_m[0] / self.pixel_size_m)
            .round()
            .max(1.0) as usize
    }

    /// Image height in pixels.
    pub fn rows(&self) -> usize {
        (self.field_of_view_m[1] / self.pixel_size_m)
            .round()
            .max(1.0) as usize
    }

    /// Unit vectors of the image's horizontal axis `u`, vertical axis `v` and the slice
    /// normal `n`, in the joint's frame.
    pub fn axes(&self) -> [[f64; 3]; 3] {
        let (sa, ca) = self.azimuth_deg.to_radians().sin_cos();
        let (st, ct) = self.tilt_deg.to_radians().sin_cos();
        let u = [ca, sa, 0.0];
        let n0 = [-sa, ca, 0.0];
        let v = [st * n0[0], st * n0[1], ct];
        let n = [ct * n0[0], ct * n0[1], -st];
        [u, v, n]
    }

    /// The point (m) at in-plane `(u, v)` and `w` along the normal (m), the image centre
    /// being at `z = centre_z_m` on the axis, moved by `offset_m` along the normal.
    pub fn point(&self, centre_z_m: f64, u: f64, v: f64, w: f64) -> [f64; 3] {
        let [eu, ev, en] = self.axes();
        let off = self.offset_m + w;
        std::array::from_fn(|i| {
            let c = if i == 2 { centre_z_m } else { 0.0 };
            c + u * eu[i] + v * ev[i] + off * en[i]
        })
    }

    /// In-plane coordinates `(u, v)` (m) of the centre of pixel `(row, column)`.
    pub fn pixel_centre(&self, row: usize, column: usize) -> (f64, f64) {
        let p = self.pixel_size_m;
        (
            (column as f64 + 0.5 - self.columns() as f64 / 2.0) * p,
            (self.rows() as f64 / 2.0 - row as f64 - 0.5) * p,
        )
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_range("mri.slice.azimuth_deg", self.azimuth_deg, -360.0, 360.0)?;
        check_range("mri.slice.tilt_deg", self.tilt_deg, -89.0, 89.0)?;
        check_range("mri.slice.offset_m", self.offset_m, -0.05, 0.05)?;
        if let Some(z) = self.centre_z_m {
            check_range("mri.slice.centre_z_m", z, -0.1, 0.1)?;
        }
        check_above("mri.slice.thickness_m", self.thickness_m, 0.0, 0.02)?;
        check_above("mri.slice.pixel_size_m", self.pixel_size_m, 0.0, 0.01)?;
        check_above(
            "mri.slice.field_of_view_m[0]",
            self.field_of_view_m[0],
            0.0,
            0.5,
        )?;
        check_above(
            "mri.slice.field_of_view_m[1]",
            self.field_of_view_m[1],
            0.0,
            0.5,
        )?;
        if self.columns() > 4096 || self.rows() > 4096 {
            return Err(ValidationError::parameter(
                "mri.slice.field_of_view_m",
                format!("{:?}", self.field_of_view_m),
                &format!(
                    "gives {} x {} pixels of {} m; at most 4096 a side",
                    self.columns(),
                    self.rows(),
                    self.pixel_size_m
                ),
            ));
        }
        Ok(())
    }
}
