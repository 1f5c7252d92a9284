//! A cine series as an animated GIF, for looking at.

use std::borrow::Cow;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use super::png_frames::to_gray8;
use crate::mri::cine_series::CineSeries;
use crate::validation_error::ValidationError;

/// Writes `series` as a looping GIF: gray levels under `window` = (black, white) signal,
/// each pixel enlarged to `scale × scale`, each frame shown for the frame period
/// (rounded to the GIF's hundredths of a second).
pub fn write_cine_gif(
    path: &Path,
    series: &CineSeries,
    window: [f64; 2],
    scale: usize,
) -> Result<(), ValidationError> {
    let scale = scale.clamp(1, 16);
    let f0 = &series.frames[0];
    let (w, h) = (f0.columns * scale, f0.rows * scale);
    if w > usize::from(u16::MAX) || h > usize::from(u16::MAX) {
        return Err(ValidationError::parameter(
            "gif scale",
            scale,
            &format!("makes a {w} x {h} GIF; at most 65535 a side"),
        ));
    }
    let gif_err = |e: gif::EncodingError| ValidationError::file(path, e.to_string());
    let file = File::create(path).map_err(|e| ValidationError::io(path, e))?;
    let palette: Vec<u8> = (0..=255u8).flat_map(|g| [g, g, g]).collect();
    let mut encoder =
        gif::Encoder::new(BufWriter::new(file), w as u16, h as u16, &palette).map_err(gif_err)?;
    encoder.set_repeat(gif::Repeat::Infinite).map_err(gif_err)?;
    let delay = (series.frame_period_s * 100.0).round().clamp(1.0, 65535.0) as u16;
    for frame in &series.frames {
        let gray = to_gray8(frame, window);
        let mut big = Vec::with_capacity(w * h);
        for row in 0..h {
            for col in 0..w {
                big.push(gray[(row / scale) * frame.columns + col / scale]);
            }
        }
        let gif_frame = gif::Frame {
            width: w as u16,
            height: h as u16,
            delay,
            buffer: Cow::Owned(big),
            ..gif::Frame::default()
        };
        encoder.write_frame(&gif_frame).map_err(gif_err)?;
    }
    Ok(())
}
