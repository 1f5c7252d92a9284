//! Prints the declared tables of a run file as JSON, `{table: [[column, unit], …]}` in
//! column order, for checks written in other languages (`ci/check_cli_hdf5.py`):
//! `cargo run -p cavitas-output --example schema_json`.

use cavitas_output::bubble_field_schema::{final_table, group_table, primary_table};
use cavitas_output::joint_schema::{
    bubble_record_table, bubble_snapshot_table, event_state_table, joint_table,
};
use cavitas_output::table::Table;

fn units<R: ?Sized>(table: &Table<R>) -> serde_json::Value {
    table
        .fields
        .iter()
        .map(|f| serde_json::json!([f.name, f.unit]))
        .collect()
}

fn main() {
    let schema = serde_json::json!({
        "joint": units(&joint_table()),
        "bubble_snapshots": units(&bubble_snapshot_table()),
        "bubble_records": units(&bubble_record_table()),
        "event_state": units(&event_state_table()),
        "bubble_field_primary": units(&primary_table()),
        "bubble_field_groups": units(&group_table()),
        "bubble_field_final": units(&final_table()),
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("plain JSON values")
    );
}
