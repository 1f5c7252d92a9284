//! Frames as 16-bit grayscale PNG files, and a real cine series read from a directory of
//! PNG frames with a frame-time list.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use super::frame_encoding::FrameEncoding;
use crate::mri::cine_series::CineSeries;
use crate::mri::slice_image::SliceImage;
use crate::validation_error::ValidationError;

/// `tEXt` keyword of the rescale slope.
pub const SLOPE_KEY: &str = "cavitas:rescale_slope";
/// `tEXt` keyword of the rescale intercept.
pub const INTERCEPT_KEY: &str = "cavitas:rescale_intercept";
/// Name of the frame-time list in a directory of frames.
pub const FRAME_TIMES_FILE: &str = "frame_times.csv";

/// Writes `image` as a 16-bit grayscale PNG: counts by `encoding` (stored as `tEXt`), the
/// pixel size as `pHYs` (pixels per metre, rounded).
pub fn write_png16(
    path: &Path,
    image: &SliceImage,
    encoding: &FrameEncoding,
) -> Result<(), ValidationError> {
    let io = |e: std::io::Error| ValidationError::io(path, e);
    let png_err = |e: png::EncodingError| ValidationError::file(path, e.to_string());
    let file = File::create(path).map_err(io)?;
    let mut encoder = png::Encoder::new(
        BufWriter::new(file),
        image.columns as u32,
        image.rows as u32,
    );
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Sixteen);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: (1.0 / image.pixel_size_m[0]).round() as u32,
        yppu: (1.0 / image.pixel_size_m[1]).round() as u32,
        unit: png::Unit::Meter,
    }));
    encoder
        .add_text_chunk(
            SLOPE_KEY.into(),
            FrameEncoding::decimal_string(encoding.rescale_slope),
        )
        .map_err(png_err)?;
    encoder
        .add_text_chunk(
            INTERCEPT_KEY.into(),
            FrameEncoding::decimal_string(encoding.rescale_intercept),
        )
        .map_err(png_err)?;
    let mut writer = encoder.write_header().map_err(png_err)?;
    let bytes: Vec<u8> = image
        .values
        .iter()
        .flat_map(|&v| encoding.count(v).to_be_bytes())
        .collect();
    writer.write_image_data(&bytes).map_err(png_err)?;
    writer.finish().map_err(png_err)
}

/// Writes 8-bit grayscale PNG of `image`, `window` = (black, white) signal levels: for
/// viewing, not for measuring.
pub fn write_png8(
    path: &Path,
    image: &SliceImage,
    window: [f64; 2],
) -> Result<(), ValidationError> {
    let png_err = |e: png::EncodingError| ValidationError::file(path, e.to_string());
    let file = File::create(path).map_err(|e| ValidationError::io(path, e))?;
    let mut encoder = png::Encoder::new(
        BufWriter::new(file),
        image.columns as u32,
        image.rows as u32,
    );
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(png_err)?;
    writer
        .write_image_data(&to_gray8(image, window))
        .map_err(png_err)?;
    writer.finish().map_err(png_err)
}

/// 8-bit gray levels of `image` under the window (black, white).
pub fn to_gray8(image: &SliceImage, window: [f64; 2]) -> Vec<u8> {
    let span = (window[1] - window[0]).max(f64::MIN_POSITIVE);
    image
        .values
        .iter()
        .map(|&v| {
            ((f64::from(v) - window[0]) / span * 255.0)
                .round()
                .clamp(0.0, 255.0) as u8
        })
        .collect()
}

/// Reads a PNG as a signal image. Gray levels (any bit depth; colour is reduced to its
/// Rec. 601 luma; alpha ignored) are decoded with the file's `cavitas:rescale_slope` /
/// `_intercept` if present, else scaled to 0–1 of full range. The pixel size comes from
/// `pixel_size_m` if given, else from the file's `pHYs` in pixels per metre; without
/// either it is an error naming the file.
pub fn read_png(
    path: &Path,
    pixel_size_m: Option<[f64; 2]>,
) -> Result<SliceImage, ValidationError> {
    let file = File::open(path).map_err(|e| ValidationError::io(path, e))?;
    let bad =
        |e: png::DecodingError| ValidationError::file(path, format!("not a readable PNG: {e}"));
    let mut decoder = png::Decoder::new(BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().map_err(bad)?;
    let info = reader.info();
    let text = |key: &str| {
        info.uncompressed_latin1_text
            .iter()
            .find(|t| t.keyword == key)
            .map(|t| t.text.clone())
    };
    let parse = |key: &str| -> Result<Option<f64>, ValidationError> {
        text(key)
            .map(|s| {
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| {
                        ValidationError::file(path, format!("tEXt {key} = {s:?} is not a number"))
                    })
            })
            .transpose()
    };
    let slope = parse(SLOPE_KEY)?;
    let intercept = parse(INTERCEPT_KEY)?.unwrap_or(0.0);
    let pixel = match (pixel_size_m, info.pixel_dims) {
        (Some(p), _) => p,
        (None, Some(d)) if d.unit == png::Unit::Meter && d.xppu > 0 && d.yppu > 0 => {
            [1.0 / f64::from(d.xppu), 1.0 / f64::from(d.yppu)]
        }
        _ => {
            return Err(ValidationError::file(
                path,
                "no pixel size: the PNG has no pHYs chunk in pixels per metre; give the pixel size",
            ));
        }
    };
    let mut buffer = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let out = reader.next_frame(&mut buffer).map_err(bad)?;
    let (columns, rows) = (out.width as usize, out.height as usize);
    let channels = out.color_type.samples();
    let sixteen = out.bit_depth == png::BitDepth::Sixteen;
    let full = if sixteen { 65535.0 } else { 255.0 };
    let sample = |i: usize, c: usize| -> f64 {
        let k = i * channels + c;
        if sixteen {
            f64::from(u16::from_be_bytes([buffer[2 * k], buffer[2 * k + 1]]))
        } else {
            f64::from(buffer[k])
        }
    };
    let encoding = FrameEncoding {
        rescale_slope: slope.unwrap_or(1.0 / full),
        rescale_intercept: intercept,
    };
    let values = (0..columns * rows)
        .map(|i| {
            let count = match out.color_type {
                png::ColorType::Rgb | png::ColorType::Rgba => {
                    0.299 * sample(i, 0) + 0.587 * sample(i, 1) + 0.114 * sample(i, 2)
                }
                _ => sample(i, 0),
            };
            encoding.signal(count)
        })
        .collect();
    SliceImage::new(columns, rows, pixel, values)
        .map_err(|e| ValidationError::file(path, e.to_string()))
}

/// Writes `series` into `dir` as `frame_0000.png`, … (16-bit) and `frame_times.csv`
/// (column `time_s`); returns the PNG paths.
pub fn write_png_series(
    dir: &Path,
    series: &CineSeries,
    encoding: &FrameEncoding,
) -> Result<Vec<PathBuf>, ValidationError> {
    std::fs::create_dir_all(dir).map_err(|e| ValidationError::io(dir, e))?;
    let mut paths = Vec::with_capacity(series.len());
    for (k, frame) in series.frames.iter().enumerate() {
        let path = dir.join(format!("frame_{k:04}.png"));
        write_png16(&path, frame, encoding)?;
        paths.push(path);
    }
    let times: String = std::iter::once("time_s".to_string())
        .chain(series.times_s.iter().map(|t| format!("{t}")))
        .map(|l| l + "\n")
        .collect();
    let list = dir.join(FRAME_TIMES_FILE);
    std::fs::write(&list, times).map_err(|e| ValidationError::io(&list, e))?;
    Ok(paths)
}

/// Reads a cine series from `dir`: its `*.png` files in name order, and the frame times
/// from `frame_times.csv` in the same directory (a header `time_s` or `time_ms`, then one
/// time per frame, in frame order). Pixel size as in [`read_png`].
pub fn read_png_series(
    dir: &Path,
    pixel_size_m: Option<[f64; 2]>,
) -> Result<CineSeries, ValidationError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ValidationError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("png")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ValidationError::file(
            dir,
            "no *.png frames in the directory",
        ));
    }
    let times = read_frame_times(&dir.join(FRAME_TIMES_FILE))?;
    if times.len() != files.len() {
        return Err(ValidationError::file(
            dir.join(FRAME_TIMES_FILE),
            format!("{} times for {} PNG frames", times.len(), files.len()),
        ));
    }
    let frames = files
        .iter()
        .map(|p| read_png(p, pixel_size_m))
        .collect::<Result<Vec<_>, _>>()?;
    let period = CineSeries::median_interval_s(&times).unwrap_or(1.0);
    CineSeries::new(frames, times, period).map_err(|e| ValidationError::file(dir, e.to_string()))
}

/// Reads a frame-time list: a CSV with one column `time_s` or `time_ms`.
pub fn read_frame_times(path: &Path) -> Result<Vec<f64>, ValidationError> {
    let text = std::fs::read_to_string(path).map_err(|e| ValidationError::io(path, e))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let csv_err = |line: usize, name: &str, detail: String| ValidationError::Csv {
        path: path.to_path_buf(),
        line: line as u64 + 1,
        column: 1,
        name: name.to_string(),
        detail,
    };
    let Some((hl, header)) = lines.next() else {
        return Err(ValidationError::file(
            path,
            "empty: expected a header time_s or time_ms",
        ));
    };
    let header = header.trim();
    let factor = match header {
        "time_s" => 1.0,
        "time_ms" => 1e-3,
        other => {
            return Err(csv_err(
                hl,
                other,
                "the header must be time_s or time_ms".into(),
            ));
        }
    };
    lines
        .map(|(l, s)| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(|v| v * factor)
                .ok_or_else(|| csv_err(l, header, format!("{:?} is not a number", s.trim())))
        })
        .collect()
}
