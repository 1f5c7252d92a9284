//! The synthetic scanner: images a joint (or any object) the way the cine MRI did.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64;

use super::cine_series::CineSeries;
use super::mri_protocol::MriProtocol;
use super::slice_image::SliceImage;
use crate::scene::joint_scene::JointScene;
use crate::scene::joint_timeline::JointTimeline;
use crate::validation_error::ValidationError;

/// Images a slice of a 3-D object: each pixel averages the signal at
/// `in_plane_supersampling²` points over its area and `through_slice_samples` points
/// through the slice thickness (partial volume; a rectangular slice profile \[A\]); a cine
/// frame further averages `time_samples_per_frame` instants over its acquisition window
/// (motion blur in the image domain \[A\]: a real acquisition blurs in k-space, which also
/// ghosts; the mean signal over the window is what both keep). Noise is added last: the
/// magnitude of the signal plus complex Gaussian noise of standard deviation `σ` per
/// channel (Rician), seeded per frame.
#[derive(Debug, Clone)]
pub struct SyntheticScanner {
    protocol: MriProtocol,
    lut: [f32; 7],
    /// Offsets `(u, v, w)` (m) of the sub-samples of one pixel from its centre.
    offsets: Vec<[f64; 3]>,
}

impl SyntheticScanner {
    /// A scanner for `protocol` (validated).
    pub fn new(protocol: MriProtocol) -> Result<Self, ValidationError> {
        protocol.validate()?;
        let s = &protocol.slice;
        let n = protocol.in_plane_supersampling;
        let m = protocol.through_slice_samples;
        let mut offsets = Vec::with_capacity(n * n * m);
        for a in 0..n {
            for b in 0..n {
                for c in 0..m {
                    offsets.push([
                        ((a as f64 + 0.5) / n as f64 - 0.5) * s.pixel_size_m,
                        ((b as f64 + 0.5) / n as f64 - 0.5) * s.pixel_size_m,
                        ((c as f64 + 0.5) / m as f64 - 0.5) * s.thickness_m,
                    ]);
                }
            }
        }
        Ok(Self {
            lut: protocol.intensities.as_array().map(|v| v as f32),
            protocol,
            offsets,
        })
    }

    /// The protocol.
    pub fn protocol(&self) -> &MriProtocol {
        &self.protocol
    }

    /// Noise-free image of the signal `signal(u, v, w)` given in slice coordinates (m):
    /// in-plane `(u, v)` from the image centre, `w` along the normal from the slice's
    /// middle.
    pub fn image_slice_function(&self, signal: impl Fn(f64, f64, f64) -> f32) -> SliceImage {
        let s = &self.protocol.slice;
        let (columns, rows) = (s.columns(), s.rows());
        let norm = 1.0 / self.offsets.len() as f32;
        let mut values = Vec::with_capacity(rows * columns);
        for row in 0..rows {
            for column in 0..columns {
                let (u, v) = s.pixel_centre(row, column);
                let sum: f32 = self
                    .offsets
                    .iter()
                    .map(|o| signal(u + o[0], v + o[1], o[2]))
                    .sum();
                values.push(sum * norm);
            }
        }
        SliceImage {
            columns,
            rows,
            pixel_size_m: [s.pixel_size_m; 2],
            values,
        }
    }

    /// `z` of the image centre for a joint `scene` imaged first.
    pub fn centre_z_m(&self, first: &JointScene) -> f64 {
        self.protocol
            .slice
            .centre_z_m
            .unwrap_or_else(|| first.mid_joint_z_m())
    }

    /// Noise-free image of `scene`, the image centre at `z = centre_z_m` (m).
    pub fn image_scene(&self, scene: &JointScene, centre_z_m: f64) -> SliceImage {
        let slice = self.protocol.slice;
        self.image_slice_function(|u, v, w| {
            self.lut[scene.tissue_at(slice.point(centre_z_m, u, v, w)).index()]
        })
    }

    /// A static image of `scene` (the pre- or post-traction still), centred on its own
    /// joint space unless the slice fixes the centre, with noise from stream `stream`.
    pub fn still(&self, scene: &JointScene, stream: u64) -> SliceImage {
        let mut image = self.image_scene(scene, self.centre_z_m(scene));
        self.add_noise(&mut image, stream);
        image
    }

    /// Adds Rician noise at the protocol's SNR from the noise stream `stream`.
    pub fn add_noise(&self, image: &mut SliceImage, stream: u64) {
        let sigma = self.protocol.noise_sigma();
        if sigma == 0.0 {
            return;
        }
        let mut rng = Pcg64::seed_from_u64(
            self.protocol
                .seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(stream.wrapping_mul(0xD1B5_4A32_D192_ED03)),
        );
        for v in &mut image.values {
            let n_re: f64 = StandardNormal.sample(&mut rng);
            let n_im: f64 = StandardNormal.sample(&mut rng);
            let re = f64::from(*v) + sigma * n_re;
            let im = sigma * n_im;
            *v = re.hypot(im) as f32;
        }
    }

    /// A cine series of `timeline` from `start_s` to `end_s` (s): frame `k` acquires over
    /// `[start + k T, start + k T + window]` (`T` the frame period) and is stamped with the
    /// middle of that window; frames continue while their window ends by `end_s`. The
    /// image centre stays where the first frame put it (the slice does not follow the
    /// joint).
    pub fn cine(
        &self,
        timeline: &dyn JointTimeline,
        start_s: f64,
        end_s: f64,
    ) -> Result<CineSeries, ValidationError> {
        let period = self.protocol.frame_period_s();
        let window = self.protocol.acquisition_window_s();
        if !(start_s.is_finite() && end_s.is_finite() && end_s - start_s >= window * (1.0 - 1e-9)) {
            return Err(ValidationError::data(
                "cine acquisition",
                format!(
                    "from {start_s} s to {end_s} s does not hold one acquisition window of {window} s"
                ),
            ));
        }
        let count = ((end_s - start_s - window) / period + 1e-9).floor() as usize + 1;
        let centre_z = self.centre_z_m(&timeline.scene_at(start_s));
        let m = self.protocol.time_samples_per_frame;
        let mut frames = Vec::with_capacity(count);
        let mut times = Vec::with_capacity(count);
        for k in 0..count {
            let t0 = start_s + k as f64 * period;
            let mut sum: Option<SliceImage> = None;
            for j in 0..m {
                let t = t0 + (j as f64 + 0.5) / m as f64 * window;
                let image = self.image_scene(&timeline.scene_at(t), centre_z);
                match &mut sum {
                    None => sum = Some(image),
                    Some(acc) => acc
                        .values
                        .iter_mut()
                        .zip(&image.values)
                        .for_each(|(a, b)| *a += b),
                }
            }
            let mut frame = sum.expect("at least one time sample");
            frame.values.iter_mut().for_each(|v| *v /= m as f32);
            self.add_noise(&mut frame, k as u64);
            frames.push(frame);
            times.push(t0 + 0.5 * window);
        }
        CineSeries::new(frames, times, period)
    }
}
