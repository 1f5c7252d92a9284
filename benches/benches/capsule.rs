//! Capsule finite elements: one Newton iteration on a 200-element meridian, and a full
//! quasi-static MCP traction of 1,000 load steps.

use std::hint::black_box;

use cavitas_solver::config::ConfigOrigin;
use cavitas_solver::fem::capsule_config::{CapsuleConfig, CapsuleGeometry};
use cavitas_solver::fem::{CapsuleSolver, ElementKind, LoadCase, NewtonSettings, PressureControl};
use cavitas_solver::joint::{JointConfig, LoadingProtocol, QuasiStaticTraction};
use criterion::{Criterion, criterion_group, criterion_main};

const MCP: &str = include_str!("../../configs/joint/mcp.toml");

#[derive(serde::Deserialize)]
struct Doc {
    capsule: CapsuleConfig,
    joint: JointConfig,
    loading: LoadingProtocol,
}

fn mcp(kind: ElementKind, elements: usize) -> Doc {
    let mut doc: Doc = toml::from_str(MCP).expect("preset parses");
    doc.capsule.mesh.element = kind;
    doc.capsule.mesh.elements = elements;
    doc
}

/// One Newton iteration of the volume-controlled capsule: assemble energy, forces, volume
/// and tangent, factor the banded tangent, and solve the bordered system (two solves).
fn newton_iteration(c: &mut Criterion) {
    for kind in [ElementKind::Linear, ElementKind::Quadratic] {
        let doc = mcp(kind, 200);
        let model = doc.capsule.build_model().unwrap();
        let mut asm = model.new_assembly();
        // A deformed state: the capsule sucked in by 20 kPa at the resting gap.
        let mut solver = CapsuleSolver::new(model.clone(), NewtonSettings::default());
        let mut state = solver.reference_state();
        solver
            .solve(
                &mut state,
                &LoadCase::held(PressureControl::Pressure(-2.0e4)),
            )
            .unwrap();
        let name = format!("capsule/newton_iteration/{kind:?}_200_elements").to_lowercase();
        c.bench_function(&name, |b| {
            b.iter(|| {
                model
                    .populate_assembly(black_box(&state.x), state.dp, true, &mut asm)
                    .unwrap();
                let mut a = asm.force.clone();
                let mut v = asm.volume_gradient.clone();
                for d in model.held_dofs() {
                    asm.tangent.set_identity_row_col(d);
                    a[d] = 0.0;
                    v[d] = 0.0;
                }
                asm.tangent.factor().unwrap();
                asm.tangent.solve_in_place(&mut a);
                asm.tangent.solve_in_place(&mut v);
                black_box((a[1], v[1]))
            })
        });
    }
}

/// The full quasi-static traction of the MCP preset (30 N force ramp) in 1,000 load steps,
/// with the preset mesh (20 quadratic elements) and with 200 linear elements.
fn traction(c: &mut Criterion) {
    let mut group = c.benchmark_group("capsule/mcp_traction_1000_steps");
    group.sample_size(10);
    for (kind, elements) in [(ElementKind::Quadratic, 20), (ElementKind::Linear, 200)] {
        let doc = mcp(kind, elements);
        let CapsuleGeometry::Joint { rim_radius_m, .. } = doc.capsule.geometry else {
            unreachable!()
        };
        let schedule = doc.loading.resolve(&ConfigOrigin::BuiltIn("mcp")).unwrap();
        group.bench_function(
            format!("{kind:?}_{elements}_elements").to_lowercase(),
            |b| {
                b.iter(|| {
                    let model = doc.capsule.build_model().unwrap();
                    let mut t = QuasiStaticTraction::new(
                        model,
                        doc.capsule.solver.newton(),
                        doc.joint,
                        schedule.clone(),
                        rim_radius_m,
                    )
                    .unwrap();
                    let samples = t.run(1000, 6).unwrap();
                    black_box(samples.last().unwrap().pressure_pa)
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, newton_iteration, traction);
criterion_main!(benches);
