//! `cavitas info`: the adapters wgpu finds.

use cavitas_solver::gpu::list_adapters;

use crate::cli::InfoArgs;

pub fn run(args: &InfoArgs) -> anyhow::Result<()> {
    let adapters = list_adapters();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "adapters": adapters }))?
        );
        return Ok(());
    }
    if adapters.is_empty() {
        println!("no GPU adapter found; the CPU backend will run");
    }
    for a in &adapters {
        println!(
            "{} ({}, {}{})",
            a.name,
            a.backend,
            a.device_type,
            if a.emulated { ", emulated" } else { "" }
        );
        println!("  driver                 {} {}", a.driver, a.driver_info);
        println!("  shader f64             {}", a.shader_f64);
        println!(
            "  max storage binding    {} MiB",
            a.max_storage_buffer_binding_size >> 20
        );
        println!("  max buffer             {} MiB", a.max_buffer_size >> 20);
        println!(
            "  storage buffers/stage  {}",
            a.max_storage_buffers_per_shader_stage
        );
        println!(
            "  workgroups/dimension   {}",
            a.max_compute_workgroups_per_dimension
        );
        println!(
            "  invocations/workgroup  {}",
            a.max_compute_invocations_per_workgroup
        );
        println!(
            "  workgroup storage      {} KiB",
            a.max_compute_workgroup_storage_size >> 10
        );
    }
    Ok(())
}
