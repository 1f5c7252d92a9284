//! SCHEMA.md lists every declared dataset exactly as the writer declares it (name, shape,
//! unit, meaning). After changing a declaration, rewrite the tables with
//! `cargo test -p cavitas-output --test schema_doc -- --ignored regenerate`.

use cavitas_output::schema_doc::regenerate;

fn schema_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../cavitas-hdf5/SCHEMA.md")
}

#[test]
fn schema_md_lists_the_declared_datasets() {
    let text = std::fs::read_to_string(schema_path()).unwrap();
    let expected = regenerate(&text).unwrap();
    assert!(
        text == expected,
        "SCHEMA.md's tables differ from the declarations in cavitas-output; rewrite them with \
         `cargo test -p cavitas-output --test schema_doc -- --ignored regenerate`"
    );
}

#[test]
#[ignore = "rewrites crates/cavitas-hdf5/SCHEMA.md"]
fn regenerate_schema_tables() {
    let path = schema_path();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, regenerate(&text).unwrap()).unwrap();
}
