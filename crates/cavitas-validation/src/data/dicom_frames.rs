//! Cine series as DICOM files, read and written with the pure-Rust `dicom` crates.

use std::path::{Path, PathBuf};

use dicom_core::value::PrimitiveValue;
use dicom_core::{DataElement, Tag, VR};
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileMetaTableBuilder, InMemDicomObject, open_file};
use dicom_pixeldata::{ConvertOptions, ModalityLutOption, PixelDecoder};

use super::frame_encoding::FrameEncoding;
use crate::mri::cine_series::CineSeries;
use crate::mri::slice_image::SliceImage;
use crate::validation_error::ValidationError;

/// UID root of the files cavitas writes (a UUID-derived `2.25.` root, ITU-T X.667).
const UID_ROOT: &str = "2.25.2406189411729915128207";

/// Writes `series` into `dir` as one MR Image Storage file per frame (`frame_0000.dcm`,
/// …; explicit VR little endian; 16-bit unsigned counts by `encoding`, written as
/// Rescale Slope / Intercept; Pixel Spacing in mm; Trigger Time = the frame's time in ms;
/// Instance Number from 1). Returns the paths. Synthetic data: no patient is named.
pub fn write_dicom_series(
    dir: &Path,
    series: &CineSeries,
    encoding: &FrameEncoding,
    slice_thickness_m: f64,
) -> Result<Vec<PathBuf>, ValidationError> {
    std::fs::create_dir_all(dir).map_err(|e| ValidationError::io(dir, e))?;
    let series_uid = format!("{UID_ROOT}.1");
    let study_uid = format!("{UID_ROOT}.2");
    let mut paths = Vec::with_capacity(series.len());
    for (k, (frame, &t)) in series.frames.iter().zip(&series.times_s).enumerate() {
        let path = dir.join(format!("frame_{k:04}.dcm"));
        let instance_uid = format!("{UID_ROOT}.3.{}", k + 1);
        let mut obj = InMemDicomObject::new_empty();
        let mut put = |tag: Tag, vr: VR, value: PrimitiveValue| {
            obj.put(DataElement::new(tag, vr, value));
        };
        let text = |s: &str| PrimitiveValue::from(s.to_string());
        let ds = |v: f64| PrimitiveValue::from(FrameEncoding::decimal_string(v));
        put(tags::SOP_CLASS_UID, VR::UI, text(uids::MR_IMAGE_STORAGE));
        put(tags::SOP_INSTANCE_UID, VR::UI, text(&instance_uid));
        put(tags::STUDY_INSTANCE_UID, VR::UI, text(&study_uid));
        put(tags::SERIES_INSTANCE_UID, VR::UI, text(&series_uid));
        put(tags::MODALITY, VR::CS, text("MR"));
        put(tags::PATIENT_NAME, VR::PN, text("SYNTHETIC^CAVITAS"));
        put(tags::PATIENT_ID, VR::LO, text("SYNTHETIC"));
        put(
            tags::SERIES_DESCRIPTION,
            VR::LO,
            text("cavitas synthetic cine MRI"),
        );
        put(tags::INSTANCE_NUMBER, VR::IS, text(&(k + 1).to_string()));
        put(tags::TRIGGER_TIME, VR::DS, ds(t * 1e3));
        put(tags::SLICE_THICKNESS, VR::DS, ds(slice_thickness_m * 1e3));
        put(
            tags::PIXEL_SPACING,
            VR::DS,
            text(&format!(
                "{}\\{}",
                FrameEncoding::decimal_string(frame.pixel_size_m[1] * 1e3),
                FrameEncoding::decimal_string(frame.pixel_size_m[0] * 1e3)
            )),
        );
        put(tags::SAMPLES_PER_PIXEL, VR::US, PrimitiveValue::from(1u16));
        put(
            tags::PHOTOMETRIC_INTERPRETATION,
            VR::CS,
            text("MONOCHROME2"),
        );
        put(tags::ROWS, VR::US, PrimitiveValue::from(frame.rows as u16));
        put(
            tags::COLUMNS,
            VR::US,
            PrimitiveValue::from(frame.columns as u16),
        );
        put(tags::BITS_ALLOCATED, VR::US, PrimitiveValue::from(16u16));
        put(tags::BITS_STORED, VR::US, PrimitiveValue::from(16u16));
        put(tags::HIGH_BIT, VR::US, PrimitiveValue::from(15u16));
        put(
            tags::PIXEL_REPRESENTATION,
            VR::US,
            PrimitiveValue::from(0u16),
        );
        put(tags::RESCALE_SLOPE, VR::DS, ds(encoding.rescale_slope));
        put(
            tags::RESCALE_INTERCEPT,
            VR::DS,
            ds(encoding.rescale_intercept),
        );
        put(tags::RESCALE_TYPE, VR::LO, text("US"));
        let counts: Vec<u16> = frame.values.iter().map(|&v| encoding.count(v)).collect();
        put(tags::PIXEL_DATA, VR::OW, PrimitiveValue::U16(counts.into()));
        let file = obj
            .with_meta(FileMetaTableBuilder::new().transfer_syntax(uids::EXPLICIT_VR_LITTLE_ENDIAN))
            .map_err(|e| ValidationError::file(&path, e.to_string()))?;
        file.write_to_file(&path)
            .map_err(|e| ValidationError::file(&path, e.to_string()))?;
        paths.push(path);
    }
    Ok(paths)
}

/// Reads a cine series from DICOM: `path` is one file (single- or multi-frame) or a
/// directory whose files are all DICOM (sorted by Instance Number). Signal = stored value
/// × Rescale Slope + Rescale Intercept (1 and 0 when absent). Pixel size from Pixel
/// Spacing (mm). Frame times: Trigger Time (ms) of each single-frame file; for a
/// multi-frame file, frame `k` at `k ×` Frame Time (ms) after its Trigger Time (or 0).
/// Missing attributes are errors naming the file and the tag.
pub fn read_dicom_series(path: &Path) -> Result<CineSeries, ValidationError> {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .map_err(|e| ValidationError::io(path, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    if files.is_empty() {
        return Err(ValidationError::file(
            path,
            "no DICOM files in the directory",
        ));
    }
    let mut frames: Vec<(i64, f64, SliceImage)> = Vec::new();
    for file in &files {
        frames.extend(read_dicom_file(file)?);
    }
    frames.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let times: Vec<f64> = frames.iter().map(|f| f.1).collect();
    let period = CineSeries::median_interval_s(&times).unwrap_or(1.0);
    CineSeries::new(frames.into_iter().map(|f| f.2).collect(), times, period)
        .map_err(|e| ValidationError::file(path, e.to_string()))
}

/// The frames of one file: `(instance number, time in s, image)`.
fn read_dicom_file(path: &Path) -> Result<Vec<(i64, f64, SliceImage)>, ValidationError> {
    let err = |detail: String| ValidationError::file(path, detail);
    let obj = open_file(path).map_err(|e| err(format!("not a readable DICOM file: {e}")))?;
    let number = |tag: Tag, name: &str| -> Result<Option<f64>, ValidationError> {
        match obj.element_opt(tag).map_err(|e| err(e.to_string()))? {
            None => Ok(None),
            Some(e) => e
                .to_float64()
                .map(Some)
                .map_err(|e| err(format!("{name} {tag}: {e}"))),
        }
    };
    let spacing = obj
        .element_opt(tags::PIXEL_SPACING)
        .map_err(|e| err(e.to_string()))?
        .ok_or_else(|| err(format!("no Pixel Spacing {}", tags::PIXEL_SPACING)))?
        .to_multi_float64()
        .map_err(|e| err(format!("Pixel Spacing {}: {e}", tags::PIXEL_SPACING)))?;
    if spacing.len() != 2 || !spacing.iter().all(|s| s.is_finite() && *s > 0.0) {
        return Err(err(format!(
            "Pixel Spacing {spacing:?} mm is not two positive numbers"
        )));
    }
    // DICOM gives (between rows, between columns); SliceImage wants (along a row, down).
    let pixel = [spacing[1] / 1000.0, spacing[0] / 1000.0];
    let instance = number(tags::INSTANCE_NUMBER, "Instance Number")?.unwrap_or(0.0) as i64;
    let trigger_ms = number(tags::TRIGGER_TIME, "Trigger Time")?;
    let frame_time_ms = number(tags::FRAME_TIME, "Frame Time")?;
    let decoded = obj
        .decode_pixel_data()
        .map_err(|e| err(format!("pixel data: {e}")))?;
    let count = decoded.number_of_frames();
    if count > 1 && frame_time_ms.is_none() {
        return Err(err(format!(
            "{count} frames but no Frame Time {}: the frame times are unknown",
            tags::FRAME_TIME
        )));
    }
    if count == 1 && trigger_ms.is_none() {
        return Err(err(format!(
            "no Trigger Time {}: the frame's time is unknown",
            tags::TRIGGER_TIME
        )));
    }
    let rescale = decoded.rescale().map_err(|e| err(e.to_string()))?.to_vec();
    let raw = ConvertOptions::new().with_modality_lut(ModalityLutOption::None);
    let (columns, rows) = (decoded.columns() as usize, decoded.rows() as usize);
    (0..count)
        .map(|k| {
            let stored: Vec<f64> = decoded
                .to_vec_frame_with_options(k, &raw)
                .map_err(|e| err(format!("pixel data, frame {k}: {e}")))?;
            let r = rescale.get(k as usize).or(rescale.first()).copied();
            let encoding = FrameEncoding {
                rescale_slope: r.map_or(1.0, |r| r.slope),
                rescale_intercept: r.map_or(0.0, |r| r.intercept),
            };
            let values = stored.iter().map(|&c| encoding.signal(c)).collect();
            let t_ms = trigger_ms.unwrap_or(0.0) + k as f64 * frame_time_ms.unwrap_or(0.0);
            let image =
                SliceImage::new(columns, rows, pixel, values).map_err(|e| err(e.to_string()))?;
            Ok((instance, t_ms / 1000.0, image))
        })
        .collect()
}
