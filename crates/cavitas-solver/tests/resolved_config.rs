//! A run stores its scenario fully resolved (every default written out). Parsing that text
//! gives the same scenario, and writing it again gives the same text, for every shipped
//! configuration: a stored configuration reruns the same physics.

use cavitas_solver::config::{ConfigDocument, ConfigOrigin};
use cavitas_solver::driver::{Scenario, ScenarioKind};

mod common;

use common::shipped_config_files as shipped;

#[test]
fn every_shipped_scenario_round_trips_through_its_resolved_text() {
    let mut checked = 0;
    for path in shipped() {
        let doc = ConfigDocument::load(Some(&path), ("unused", ""), &[]).unwrap();
        // The joint presets (no [nuclei]) are parts for tests and benches, and sweep files
        // are studies over scenarios (crates/cavitas-sweep): neither is a run.
        let Ok(scenario) = Scenario::from_document(&doc) else {
            let path_text = path.to_string_lossy();
            assert!(
                path_text.contains("configs/joint/") || path_text.contains("configs/sweeps/"),
                "{} does not load",
                path.display()
            );
            continue;
        };
        let text = scenario.resolved_text().unwrap();
        let again = ConfigDocument::from_text(ConfigOrigin::BuiltIn("resolved"), &text, &[])
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
        let reparsed = Scenario::from_document(&again)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
        assert_eq!(reparsed, scenario, "{}", path.display());
        assert_eq!(
            reparsed.resolved_text().unwrap(),
            text,
            "{}",
            path.display()
        );
        // Defaults are written out: the resolved text holds keys the file left out.
        if scenario.kind() == ScenarioKind::Crack {
            for table in [
                "[coupling]",
                "[tolerances]",
                "[bubbles]",
                "[events]",
                "[output]",
            ] {
                assert!(text.contains(table), "{}: no {table}", path.display());
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} scenarios checked");
}
