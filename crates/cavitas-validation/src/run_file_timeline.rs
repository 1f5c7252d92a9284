//! The one place that reads a coupled run file for the images: `/joint`, `/events`,
//! `/capsule` and `/bubbles` (schema in `crates/cavitas-hdf5/SCHEMA.md`, "Coupled joint
//! runs") turned into a [`SampledTimeline`]. Kept thin and alone on purpose: when the run
//! schema moves into its own library crate, only this file is re-pointed.

use std::path::Path;

use cavitas_hdf5::RunReader;
use cavitas_output::joint_schema::joint_column;

use crate::scene::bone_surface::BoneSurface;
use crate::scene::gas_cavity::GasCavity;
use crate::scene::joint_anatomy::JointAnatomy;
use crate::scene::sampled_timeline::{SampledTimeline, bracket};
use crate::validation_error::ValidationError;

/// Reads the finished coupled run `path` as a timeline of the joint.
///
/// - Anatomy: the solver's joint is two flat cylindrical bone ends; their radius is
///   `[capsule.geometry] rim_radius_m`, the cartilage `[joint.contact] layer_thickness_m`
///   (solver default 1 mm when absent), the capsule wall `[capsule] thickness_m`, all read
///   from the root attribute `config_text`; the rest is [`JointAnatomy::default`].
/// - Gap: `/joint/t`, `/joint/gap`.
/// - Capsule: `/capsule/nodes_ref + /capsule/displacement[s]` at `/capsule/t[s]`.
/// - Cavities: `/bubbles/radius[s, i]` at `/bubbles/t[s]`, centred at
///   `/bubbles/final/position[i]`. Bubbles made later by tribonucleation have no snapshots;
///   the volume of `/joint/cavity_volume` they hold (vapour and gas: what the images see
///   dark) is shown as one more cavity at the first of them (or on the axis at mid-gap), so
///   that the images hold the whole cavity.
/// - Events: `/events`.
pub fn read_run_timeline(path: &Path) -> Result<SampledTimeline, ValidationError> {
    let reader = RunReader::open(path)?;
    let groups = reader.groups()?;
    let has = |g: &str| groups.iter().any(|x| x == g);
    let content = |detail: String| ValidationError::file(path, detail);

    let anatomy = anatomy_from_config(&reader.attribute("config_text")?.unwrap_or_default())
        .map_err(|e| content(format!("root attribute config_text: {e}")))?;
    let times = reader
        .column(joint_column::GROUP, joint_column::TIME)?
        .values;
    let gaps = reader
        .column(joint_column::GROUP, joint_column::GAP)?
        .values;
    let gas = reader
        .column(joint_column::GROUP, joint_column::CAVITY_VOLUME)?
        .values;
    let mut timeline = SampledTimeline::new(anatomy, times.clone(), gaps.clone())
        .map_err(|e| content(format!("/joint: {e}")))?;

    if has("capsule") {
        let rest = reader.array("capsule/nodes_ref")?;
        let t = reader.array("capsule/t")?.values;
        let disp = reader.array("capsule/displacement")?;
        let k = rest.shape.first().copied().unwrap_or(0);
        if rest.shape != [k, 2] || disp.shape != [t.len(), k, 2] {
            return Err(content(format!(
                "/capsule: nodes_ref {:?} and displacement {:?} do not match {} snapshots",
                rest.shape,
                disp.shape,
                t.len()
            )));
        }
        if !t.is_empty() && k >= 2 {
            let nodes = (0..t.len())
                .map(|s| {
                    (0..k)
                        .map(|n| {
                            let d = &disp.values[(s * k + n) * 2..][..2];
                            [rest.values[2 * n] + d[0], rest.values[2 * n + 1] + d[1]]
                        })
                        .collect()
                })
                .collect();
            timeline = timeline
                .with_capsule(t, nodes)
                .map_err(|e| content(format!("/capsule: {e}")))?;
        }
    }

    if has("bubbles") {
        let t = reader.array("bubbles/t")?.values;
        let radius = reader.array("bubbles/radius")?;
        // A run that never had a bubble writes no `/bubbles/final`.
        let position = match reader.array("bubbles/final/position") {
            Ok(p) => p,
            Err(cavitas_hdf5::OutputError::Missing { .. }) => cavitas_hdf5::ArrayData {
                shape: vec![0, 3],
                unit: "m".into(),
                description: String::new(),
                values: Vec::new(),
            },
            Err(e) => return Err(e.into()),
        };
        let n = radius.shape.get(1).copied().unwrap_or(0);
        let b = position.shape.first().copied().unwrap_or(0);
        if radius.shape != [t.len(), n] || position.shape != [b, 3] {
            return Err(content(format!(
                "/bubbles: radius {:?}, final/position {:?} and {} snapshots do not match",
                radius.shape,
                position.shape,
                t.len()
            )));
        }
        // A run whose scenario drew no nuclei writes one NaN column and no centre.
        let n = n.min(b);
        let mut centres: Vec<[f64; 3]> = (0..n)
            .map(|i| {
                [
                    position.values[3 * i],
                    position.values[3 * i + 1],
                    position.values[3 * i + 2],
                ]
            })
            .collect();
        let mut radii: Vec<Vec<f64>> = (0..t.len())
            .map(|s| radius.values[s * radius.shape[1]..][..n].to_vec())
            .collect();
        // Gas held by bubbles without snapshots (tribonucleated): one more cavity.
        let missing: Vec<f64> = t
            .iter()
            .zip(&radii)
            .map(|(&ts, row)| {
                let (i, j, w) = bracket(&times, ts);
                let total = gas[i] + w * (gas[j] - gas[i]);
                let seen: f64 = row
                    .iter()
                    .filter(|r| r.is_finite())
                    .map(|&r| {
                        GasCavity {
                            centre_m: [0.0; 3],
                            radius_m: r,
                        }
                        .volume_m3()
                    })
                    .sum();
                (total - seen).max(0.0)
            })
            .collect();
        if b > n && missing.iter().any(|&v| v > 0.0) {
            centres.push([
                position.values[3 * n],
                position.values[3 * n + 1],
                position.values[3 * n + 2],
            ]);
            for (row, v) in radii.iter_mut().zip(&missing) {
                row.push(GasCavity::radius_for_volume(*v));
            }
        }
        if !t.is_empty() && !centres.is_empty() {
            timeline = timeline
                .with_cavities(centres, t, radii)
                .map_err(|e| content(format!("/bubbles: {e}")))?;
        }
    }

    let events = reader
        .events()?
        .into_iter()
        .map(|e| (e.kind, e.t))
        .collect();
    Ok(timeline.with_events(events))
}

/// The solver's joint geometry from the resolved scenario text.
fn anatomy_from_config(config_text: &str) -> Result<JointAnatomy, String> {
    let value: toml::Table = if config_text.trim().is_empty() {
        toml::Table::new()
    } else {
        config_text.parse().map_err(|e| format!("not TOML: {e}"))?
    };
    let get = |path: &[&str]| -> Result<Option<f64>, String> {
        let mut v = toml::Value::Table(value.clone());
        for key in path {
            match v.get(key) {
                Some(next) => v = next.clone(),
                None => return Ok(None),
            }
        }
        v.as_float()
            .or_else(|| v.as_integer().map(|i| i as f64))
            .map(Some)
            .ok_or_else(|| format!("{} is not a number", path.join(".")))
    };
    let defaults = JointAnatomy::default();
    let bone = BoneSurface {
        rim_radius_m: get(&["capsule", "geometry", "rim_radius_m"])?
            .unwrap_or(defaults.proximal.rim_radius_m),
        cartilage_thickness_m: get(&["joint", "contact", "layer_thickness_m"])?
            .unwrap_or(defaults.proximal.cartilage_thickness_m),
        ..BoneSurface::default()
    };
    let anatomy = JointAnatomy {
        proximal: bone,
        distal: bone,
        capsule_thickness_m: get(&["capsule", "thickness_m"])?
            .unwrap_or(defaults.capsule_thickness_m),
        capsule_attachment_offset_m: get(&["capsule", "geometry", "attachment_offset_m"])?
            .unwrap_or(defaults.capsule_attachment_offset_m),
        finger_radius_m: defaults.finger_radius_m.max(bone.rim_radius_m + 2.5e-3),
    };
    anatomy.validate().map_err(|e| e.to_string())?;
    Ok(anatomy)
}
