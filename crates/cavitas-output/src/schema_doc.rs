//! The tables of `crates/cavitas-hdf5/SCHEMA.md` that list declared datasets, generated
//! from the declarations: `tests/schema_doc.rs` checks the document holds them (between
//! `<!-- generated:NAME -->` and `<!-- end:NAME -->`) and rewrites them on request.

use crate::bubble_field_schema::{final_table, group_table, primary_table};
use crate::joint_schema::{
    bubble_record_table, bubble_snapshot_table, event_state_table, joint_table,
};
use crate::table::{Table, markdown_rows};

const HEADER: &str = "| Dataset | Shape | dtype | Unit | Meaning |\n|---|---|---|---|---|\n";

fn block<R: ?Sized>(table: &Table<R>, shape: &str, before: &[&str]) -> String {
    let mut out = String::from(HEADER);
    for row in before {
        out.push_str(row);
        out.push('\n');
    }
    for row in markdown_rows(table, shape) {
        out.push_str(&row);
        out.push('\n');
    }
    out
}

/// Every generated table of SCHEMA.md: `(name, markdown)`.
pub fn schema_tables() -> Vec<(&'static str, String)> {
    let snapshot_time =
        "| `t` | `[s]` | float64 | s | snapshot time (the same times as `/capsule/t`) |";
    let interval_time = "| `t` | `[n]` | float64 | s | time |";
    vec![
        ("joint", block(&joint_table(), "[n]", &[])),
        (
            "bubbles",
            block(&bubble_snapshot_table(), "[s, N]", &[snapshot_time]),
        ),
        (
            "bubbles_final",
            block(
                &bubble_record_table(),
                "[b]",
                &[
                    "| `position` | `[b, 3]` | float64 | m | bubble centre (x, y, z), z along the joint axis |",
                ],
            ),
        ),
        ("event_state", block(&event_state_table(), "[e]", &[])),
        ("bubble_field_primary", block(&primary_table(), "[n]", &[])),
        (
            "bubble_field_groups",
            block(&group_table(), "[n, G]", &[interval_time]),
        ),
        ("bubble_field_final", block(&final_table(), "[N]", &[])),
    ]
}

/// `document` with every generated block replaced by the current declarations; `None`
/// names a block the document lacks.
pub fn regenerate(document: &str) -> Result<String, String> {
    let mut out = document.to_string();
    for (name, table) in schema_tables() {
        let open = format!("<!-- generated:{name} -->\n");
        let close = format!("<!-- end:{name} -->");
        let start = out
            .find(&open)
            .ok_or_else(|| format!("SCHEMA.md has no `{}`", open.trim_end()))?
            + open.len();
        let end = out[start..]
            .find(&close)
            .ok_or_else(|| format!("SCHEMA.md has no `{close}`"))?
            + start;
        out.replace_range(start..end, &table);
    }
    Ok(out)
}
