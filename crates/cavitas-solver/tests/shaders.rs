//! Every WGSL shader parses and validates with naga, on the CPU, without an adapter.

#[test]
fn every_shader_parses_and_validates() {
    for (name, source) in cavitas_solver::gpu::SHADERS {
        let module = naga::front::wgsl::parse_str(source)
            .unwrap_or_else(|e| panic!("{name}.wgsl: {}", e.emit_to_string(source)));
        naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            naga::valid::Capabilities::empty(),
        )
        .validate(&module)
        .unwrap_or_else(|e| panic!("{name}.wgsl does not validate: {e:?}"));
        assert!(
            module.entry_points.iter().any(|e| e.name == "main"),
            "{name}.wgsl has a `main` entry point"
        );
        assert!(
            !source.contains("f64"),
            "{name}.wgsl stays in f32 (portable)"
        );
    }
}

/// The shader files on disk are the ones compiled in, one per kernel host file.
#[test]
fn every_shader_file_is_paired_with_host_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shaders");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wgsl"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut compiled: Vec<String> = cavitas_solver::gpu::SHADERS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    compiled.sort();
    assert_eq!(on_disk, compiled);
    for name in compiled {
        let host =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/gpu/{name}.rs"));
        assert!(
            host.exists(),
            "{} pairs with shaders/{name}.wgsl",
            host.display()
        );
    }
}

/// WGSL has no includes: the host prepends `shaders/shared/bubble_layout.wgsl` to every
/// kernel. The layouts of its structs, computed by naga, must equal the `#[repr(C)]` host
/// structs, and every kernel must be compiled with it.
#[test]
fn shared_struct_layouts_match_the_host() {
    use cavitas_solver::gpu::{GROUP_BYTES, STEP_PARAMS_BYTES};
    let shared = include_str!("../../../shaders/shared/bubble_layout.wgsl");
    for (name, source) in cavitas_solver::gpu::SHADERS {
        assert!(
            source.starts_with(shared),
            "{name}.wgsl is compiled after the shared layout"
        );
        let module = naga::front::wgsl::parse_str(source).unwrap();
        let mut layouter = naga::proc::Layouter::default();
        layouter.update(module.to_ctx()).unwrap();
        let mut seen = 0;
        for (handle, ty) in module.types.iter() {
            let expected = match ty.name.as_deref() {
                Some("StepParams") => STEP_PARAMS_BYTES,
                Some("Group") => GROUP_BYTES,
                _ => continue,
            };
            seen += 1;
            assert_eq!(
                layouter[handle].size, expected,
                "{name}.wgsl: {:?}",
                ty.name
            );
        }
        assert!(seen >= 1, "{name}.wgsl declares the shared StepParams");
    }
}
