//! The joint imaged by the synthetic scanner and measured by the reader: the joint space
//! of a still, motion blur over a frame, and the frames that date a crack.

use cavitas_validation::{
    CapsuleMeridian, EventRules, GasCavity, JointAnatomy, JointScene, JointTimeline, MriProtocol,
    ReaderSettings, SampledTimeline, SyntheticScanner, Tissue,
};

#[test]
fn the_scene_puts_each_tissue_where_it_belongs() {
    let scene = JointScene::new(JointAnatomy::default(), 0.2e-3)
        .unwrap()
        .with_cavities(vec![GasCavity {
            centre_m: [0.0, 0.0, 0.1e-3],
            radius_m: 2.0e-3,
        }]);
    // Axis: marrow below -1 mm, cartilage to 0, film (here gas) to 0.2 mm, cartilage to
    // 1.2 mm, marrow above.
    assert_eq!(scene.tissue_at([0.0, 0.0, -1.5e-3]), Tissue::Marrow);
    assert_eq!(scene.tissue_at([0.0, 0.0, -0.5e-3]), Tissue::Cartilage);
    assert_eq!(scene.tissue_at([0.0, 0.0, 0.1e-3]), Tissue::Gas);
    assert_eq!(scene.tissue_at([3.0e-3, 0.0, 0.1e-3]), Tissue::Fluid);
    assert_eq!(scene.tissue_at([0.0, 0.0, 0.7e-3]), Tissue::Cartilage);
    assert_eq!(scene.tissue_at([0.0, 0.0, 1.5e-3]), Tissue::Marrow);
    // The capsule runs straight from (7.5, -1.5) to (7.5, 1.7) mm, 1 mm thick: its wall,
    // the recess inside it, soft tissue outside, air beyond the finger.
    assert_eq!(scene.tissue_at([7.6e-3, 0.0, 0.1e-3]), Tissue::Capsule);
    assert_eq!(scene.tissue_at([8.5e-3, 0.0, 0.1e-3]), Tissue::SoftTissue);
    assert_eq!(scene.tissue_at([0.0, 11.0e-3, 0.0]), Tissue::Air);
    assert!((scene.joint_space_m() - 2.2e-3).abs() < 1e-15);
    // A capsule bulging out to r = 10 mm at mid-span holds a recess of fluid outside the
    // bone rims, its wall from 9.5 to 10.5 mm.
    let bulging = JointScene {
        capsule: CapsuleMeridian::new(vec![[7.5e-3, -1.5e-3], [10.0e-3, 0.1e-3], [7.5e-3, 1.7e-3]])
            .unwrap(),
        anatomy: JointAnatomy {
            finger_radius_m: 12e-3,
            ..JointAnatomy::default()
        },
        ..scene
    };
    assert_eq!(bulging.tissue_at([0.0, 8.5e-3, 0.1e-3]), Tissue::Fluid);
    assert_eq!(
        bulging.tissue_at([0.0, 9.0e-3, -1.4e-3]),
        Tissue::SoftTissue
    );
    assert_eq!(bulging.tissue_at([0.0, 9.9e-3, 0.1e-3]), Tissue::Capsule);
    assert_eq!(
        bulging.tissue_at([0.0, 11.0e-3, 0.1e-3]),
        Tissue::SoftTissue
    );
}

#[test]
fn a_still_of_the_joint_measures_its_joint_space() {
    let protocol = MriProtocol::default();
    let scanner = SyntheticScanner::new(protocol).unwrap();
    let reader = ReaderSettings::for_protocol(&protocol, 7.5e-3);
    for (k, anatomy) in [JointAnatomy::default(), JointAnatomy::mcp_curved()]
        .into_iter()
        .enumerate()
    {
        for gap in [0.2e-3, 0.9e-3] {
            let scene = JointScene::new(anatomy, gap).unwrap();
            let image = scanner.still(&scene, k as u64);
            let m = reader.measure_frame(&image);
            let space = m.joint_space.expect("joint space found");
            let error_px = (space.width_m - scene.joint_space_m()) / protocol.slice.pixel_size_m;
            println!(
                "anatomy {k}, gap {gap}: joint space {:.3} mm of {:.3} ({error_px:+.3} px)",
                space.width_m * 1e3,
                scene.joint_space_m() * 1e3
            );
            // One pixel is the brief's tolerance; the edge level sits half-way between
            // marrow and cartilage, so what fills the joint does not move it. A quarter
            // pixel covers the noise (see the band phantom).
            assert!(error_px.abs() < 0.25, "{error_px} px");
            assert_eq!(m.cavity.unwrap().pixels, 0, "no gas, no cavity");
        }
    }
}

/// A gap that opens at constant speed: a frame averages its window, so its joint space is
/// the one at the window's middle.
#[test]
fn a_frame_averages_the_motion_over_its_acquisition_window() {
    let protocol = MriProtocol {
        snr: f64::INFINITY,
        ..MriProtocol::default()
    };
    let scanner = SyntheticScanner::new(protocol).unwrap();
    let reader = ReaderSettings::for_protocol(&protocol, 7.5e-3);
    // 0.2 mm to 2.2 mm over 1.25 s: 0.5 mm (one pixel) per frame.
    let timeline = SampledTimeline::new(
        JointAnatomy::default(),
        vec![0.0, 1.25],
        vec![0.2e-3, 2.2e-3],
    )
    .unwrap();
    let series = scanner.cine(&timeline, 0.0, 1.25).unwrap();
    assert_eq!(series.len(), 4);
    let m = reader.measure_series(&series).unwrap();
    for (k, (&t, js)) in series.times_s.iter().zip(&m.joint_space_m).enumerate() {
        assert!(
            (t - (k as f64 + 0.5) * 0.3125).abs() < 1e-12,
            "frame {k} at {t} s"
        );
        let truth = timeline.scene_at(t).joint_space_m();
        let error_px = (js.unwrap() - truth) / protocol.slice.pixel_size_m;
        println!(
            "frame {k}: {:.3} mm, at mid-window {:.3} mm ({error_px:+.3} px)",
            js.unwrap() * 1e3,
            truth * 1e3
        );
        // Noise-free. Linear interpolation between box-averaged pixels misplaces a step
        // by up to ~0.09 px depending on where it falls in its pixel (and the edge here
        // falls at the same phase every frame); the blur of the moving edge is symmetric
        // about its mid-window position. A fifth of a pixel.
        assert!(error_px.abs() < 0.2, "frame {k}: {error_px} px");
    }
}

/// The crack: at 1.0 s the gap jumps from 0.2 to 1.5 mm and a cavity of 3 mm radius
/// appears in the film, then stays. Frame 3 acquires over [0.9375, 1.25) s.
#[test]
fn the_frames_of_a_crack_date_the_jump_and_the_cavity() {
    let protocol = MriProtocol::default();
    let scanner = SyntheticScanner::new(protocol).unwrap();
    let reader = ReaderSettings::for_protocol(&protocol, 7.5e-3);
    let times = vec![0.0, 0.999, 1.0, 2.5];
    let timeline = SampledTimeline::new(
        JointAnatomy::default(),
        times.clone(),
        vec![0.2e-3, 0.2e-3, 1.5e-3, 1.5e-3],
    )
    .unwrap()
    .with_cavities(
        vec![[0.0, 0.0, 0.75e-3]],
        times,
        vec![vec![0.0], vec![0.0], vec![3.0e-3], vec![3.0e-3]],
    )
    .unwrap();
    let series = scanner.cine(&timeline, 0.0, 2.5).unwrap();
    assert_eq!(series.len(), 8);
    let m = reader.measure_series(&series).unwrap();
    for k in 0..m.len() {
        println!(
            "frame {k} at {:.4} s: joint space {:?} mm, cavity {:?} mm²",
            m.times_s[k],
            m.joint_space_m[k].map(|v| v * 1e3),
            m.cavity_area_m2[k].map(|v| v * 1e6)
        );
    }
    let rules = EventRules::default();
    let jump = m.gap_jump(&rules).expect("a jump");
    let cavity = m.first_cavity(&rules).expect("a cavity");
    // The jump happens 0.0625 s into frame 3's window: three quarters of its instants see
    // the open joint, and the jump is dated to frame 3. The gas in those instants is
    // averaged with the cartilage and bone that filled its place in the first quarter:
    // grey, not black, in frame 3; black from frame 4. Cavity and jump fall within one
    // frame of each other, the study's "between two consecutive frames".
    assert_eq!(jump.frame, 3);
    assert!(cavity.frame == 3 || cavity.frame == 4, "{}", cavity.frame);
    assert_eq!(jump.uncertainty_s, 0.3125);
    // Before the crack no frame shows a cavity. After it, at least the lens of gas filling
    // the 1.5 mm film across the 6 mm sphere (about 9 mm² in the slice); on T1 images the
    // fluid of the film around it is dark too and the outline takes it in where it touches
    // the gas, so at most the whole film across the 15 mm articular width (22.5 mm²).
    assert!(m.cavity_area_m2[..3].iter().all(|a| *a == Some(0.0)));
    for a in &m.cavity_area_m2[4..] {
        let a = a.unwrap();
        assert!(a > 8.0e-6 && a < 22.5e-6, "{a}");
    }
}

/// The one call a validation case makes: a study read from TOML images a timeline,
/// measures it, and hands back what the run file's `/imaging` group holds.
#[test]
fn an_imaging_study_from_toml_images_measures_and_compares() {
    use cavitas_validation::ImagingStudy;
    use std::path::Path;
    let text = "end_s = 1.25\n[mri]\nsnr = 30.0\ntime_samples_per_frame = 2\n\
                [mri.slice]\nfield_of_view_m = [0.02, 0.02]\n[events]\nmin_gap_jump_m = 2e-4\n";
    let study = ImagingStudy::from_toml_str(text, Path::new("case.toml")).unwrap();
    assert_eq!(study.mri.snr, 30.0);
    assert_eq!(study.mri.frame_rate_hz, 3.2);
    let timeline = SampledTimeline::new(
        JointAnatomy::default(),
        vec![0.0, 2.0],
        vec![0.2e-3, 0.2e-3],
    )
    .unwrap();
    let result = study.image(&timeline).unwrap();
    assert_eq!(result.series.len(), 4);
    assert_eq!(result.frames().shape, [4, 40, 40]);
    assert_eq!(result.frames().values.len(), 4 * 40 * 40);
    assert_eq!(result.pre_still.columns, 40);
    assert!(
        result
            .gap_measured_m()
            .iter()
            .all(|g| (g - 2.2e-3).abs() < 0.25 * 0.5e-3)
    );
    assert!(result.cavity_area_m2().iter().all(|&a| a == 0.0));
    let c = study.compare(&result, &result.measurements).unwrap();
    assert_eq!(c.gap_rms_error_m, Some(0.0));
    // Unknown keys and bad values are refused, naming the file and the key.
    let e = ImagingStudy::from_toml_str("[mri]\nframe_rate = 3.2\n", Path::new("case.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("case.toml") && e.contains("frame_rate"), "{e}");
    let e = ImagingStudy::from_toml_str("[mri]\nsnr = -1.0\n", Path::new("case.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("mri.snr"), "{e}");
}

/// A cavity 4 mm off the axis along y: outside a 3 mm coronal slice through the axis
/// (normal y), inside a sagittal one (normal x), where it shows 4 mm from the image centre.
#[test]
fn the_slice_orientation_decides_what_is_seen() {
    let scene = JointScene::new(JointAnatomy::default(), 2.0e-3)
        .unwrap()
        .with_cavities(vec![GasCavity {
            centre_m: [0.0, 4.0e-3, 1.0e-3],
            radius_m: 1.2e-3,
        }]);
    let mut protocol = MriProtocol::default();
    let reader = |p: &MriProtocol| ReaderSettings::for_protocol(p, 7.5e-3);
    let coronal = SyntheticScanner::new(protocol).unwrap().still(&scene, 0);
    let seen = reader(&protocol).measure_frame(&coronal).cavity.unwrap();
    assert_eq!(seen.pixels, 0);
    protocol.slice.azimuth_deg = 90.0;
    let sagittal = SyntheticScanner::new(protocol).unwrap().still(&scene, 0);
    let seen = reader(&protocol).measure_frame(&sagittal).cavity.unwrap();
    assert!(seen.pixels > 0);
    // Where it shows: the darkness below the fluid level (noise-free image) within the
    // joint (rows 28–35 around the 2 mm film at the centre, columns within 6.5 mm of
    // the axis, clear of the capsule wall at 7–8 mm; air and capsule are dark too) is
    // centred 4 mm = 8 pixels right of the image centre (column 31.5); a tenth of a pixel
    // covers the sampling.
    protocol.snr = f64::INFINITY;
    let clean = SyntheticScanner::new(protocol).unwrap().still(&scene, 0);
    let fluid = protocol.intensities.fluid as f32;
    let (mut sum, mut weight) = (0.0, 0.0);
    for (k, &v) in clean.values.iter().enumerate() {
        let (row, column) = (k / clean.columns, k % clean.columns);
        if !(28..36).contains(&row) || !(19..45).contains(&column) {
            continue;
        }
        let w = f64::from((fluid - v).max(0.0));
        sum += w * (k % clean.columns) as f64;
        weight += w;
    }
    let centroid = sum / weight;
    assert!((centroid - 39.5).abs() < 0.1, "{centroid}");
}
