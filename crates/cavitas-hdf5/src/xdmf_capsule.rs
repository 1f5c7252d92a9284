//! XDMF sidecar so ParaView opens the capsule mesh over time.
//!
//! The axisymmetric capsule is its meridian: `n` nodes `(r, z)` joined by
//! `n - 1` two-node polyline segments. Geometry at snapshot `k` is
//! `nodes_ref + displacement[k]`, computed by an XDMF `Function` item over a
//! hyperslab of the HDF5 dataset, so no coordinates are duplicated.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::backend_call::{io_err, rename_durably};
use crate::output_error::{OutputError, Result};
use crate::run_paths::RunPaths;
use crate::run_reader::RunReader;

/// What the XDMF file references.
#[derive(Debug, Clone, PartialEq)]
pub struct XdmfCapsule {
    /// The HDF5 file as the XDMF names it (a bare file name: the sidecar sits
    /// next to the HDF5 file).
    pub h5_file_name: String,
    /// Path of the reference nodes `[n_nodes, 2]` (r, z) in m.
    pub nodes_ref_path: String,
    /// Path of the displacement `[n_times, n_nodes, 2]` (dr, dz) in m.
    pub displacement_path: String,
    /// Snapshot times, s (length `n_times`).
    pub times: Vec<f64>,
    /// Number of meridian nodes.
    pub n_nodes: usize,
}

impl XdmfCapsule {
    /// Describe the capsule of a run file: `<group>/nodes_ref`,
    /// `<group>/displacement` and `<group>/t`, checked for consistent shapes.
    pub fn from_run(reader: &RunReader, group: &str) -> Result<Self> {
        let nodes_ref_path = format!("{group}/nodes_ref");
        let displacement_path = format!("{group}/displacement");
        let nodes = reader.shape(&nodes_ref_path)?;
        let disp = reader.shape(&displacement_path)?;
        let times = reader.array(&format!("{group}/t"))?.values;
        if nodes.len() != 2 || nodes[1] != 2 || nodes[0] < 2 {
            return Err(OutputError::Shape {
                path: reader.path().to_path_buf(),
                object: format!("/{nodes_ref_path}"),
                expected: "[n_nodes >= 2, 2]".into(),
                found: nodes,
            });
        }
        if disp.len() != 3 || disp[1..] != nodes[..] || disp[0] != times.len() {
            return Err(OutputError::Shape {
                path: reader.path().to_path_buf(),
                object: format!("/{displacement_path}"),
                expected: format!("[{}, {}, 2]", times.len(), nodes[0]),
                found: disp,
            });
        }
        let h5_file_name = RunPaths::new(reader.path())
            .output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        Ok(Self {
            h5_file_name,
            nodes_ref_path,
            displacement_path,
            times,
            n_nodes: nodes[0],
        })
    }

    /// `out.xdmf` next to `out.h5`.
    pub fn sidecar_path(h5_path: &Path) -> PathBuf {
        RunPaths::new(h5_path).output.with_extension("xdmf")
    }

    /// The XDMF 3 document.
    pub fn to_xml(&self) -> String {
        let n = self.n_nodes;
        let nt = self.times.len();
        let file = xml_escape(&self.h5_file_name);
        let nodes = xml_escape(&self.nodes_ref_path);
        let disp = xml_escape(&self.displacement_path);
        let mut x = String::new();
        let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let _ = writeln!(
            x,
            r#"<Xdmf Version="3.0" xmlns:xi="http://www.w3.org/2001/XInclude">"#
        );
        let _ = writeln!(x, r#"  <Domain>"#);
        // Shared items, referenced from every time step.
        let _ = writeln!(
            x,
            r#"    <Topology Name="meridian" TopologyType="Polyline" NodesPerElement="2" NumberOfElements="{}">"#,
            n - 1
        );
        let _ = write!(
            x,
            r#"      <DataItem Dimensions="{} 2" NumberType="Int" Format="XML">"#,
            n - 1
        );
        for i in 0..n - 1 {
            let _ = write!(x, "{}{} {}", if i == 0 { "" } else { " " }, i, i + 1);
        }
        let _ = writeln!(x, "</DataItem>");
        let _ = writeln!(x, r#"    </Topology>"#);
        let _ = writeln!(
            x,
            r#"    <DataItem Name="nodes_ref" Dimensions="{n} 2" NumberType="Float" Precision="8" Format="HDF">{file}:/{nodes}</DataItem>"#
        );
        let _ = writeln!(
            x,
            r#"    <Grid Name="capsule" GridType="Collection" CollectionType="Temporal">"#
        );
        for (k, t) in self.times.iter().enumerate() {
            let _ = writeln!(x, r#"      <Grid Name="capsule_{k}" GridType="Uniform">"#);
            let _ = writeln!(x, r#"        <Time Value="{t:e}"/>"#);
            let _ = writeln!(
                x,
                r#"        <Topology Reference="/Xdmf/Domain/Topology[1]"/>"#
            );
            let _ = writeln!(x, r#"        <Geometry GeometryType="XY">"#);
            let _ = writeln!(
                x,
                r#"          <DataItem ItemType="Function" Function="$0 + $1" Dimensions="{n} 2">"#
            );
            let _ = writeln!(
                x,
                r#"            <DataItem Reference="/Xdmf/Domain/DataItem[@Name='nodes_ref']"/>"#
            );
            write_slab(&mut x, "            ", k, n, nt, &file, &disp);
            let _ = writeln!(x, r#"          </DataItem>"#);
            let _ = writeln!(x, r#"        </Geometry>"#);
            let _ = writeln!(
                x,
                r#"        <Attribute Name="displacement" AttributeType="Vector" Center="Node">"#
            );
            write_slab(&mut x, "          ", k, n, nt, &file, &disp);
            let _ = writeln!(x, r#"        </Attribute>"#);
            let _ = writeln!(x, r#"      </Grid>"#);
        }
        let _ = writeln!(x, r#"    </Grid>"#);
        let _ = writeln!(x, r#"  </Domain>"#);
        let _ = writeln!(x, r#"</Xdmf>"#);
        x
    }

    /// Write the document to `path` (via a temporary name).
    pub fn write(&self, path: &Path) -> Result<()> {
        let tmp = RunPaths::temporary(path);
        std::fs::write(&tmp, self.to_xml()).map_err(io_err(&tmp))?;
        rename_durably(&tmp, path)
    }
}

/// A hyperslab item selecting `displacement[k, :, :]` as `[1, n, 2]`.
fn write_slab(x: &mut String, indent: &str, k: usize, n: usize, nt: usize, file: &str, disp: &str) {
    let _ = writeln!(
        x,
        r#"{indent}<DataItem ItemType="HyperSlab" Dimensions="1 {n} 2" Type="HyperSlab">"#
    );
    let _ = writeln!(
        x,
        r#"{indent}  <DataItem Dimensions="3 3" NumberType="Int" Format="XML">{k} 0 0 1 1 1 1 {n} 2</DataItem>"#
    );
    let _ = writeln!(
        x,
        r#"{indent}  <DataItem Dimensions="{nt} {n} 2" NumberType="Float" Precision="8" Format="HDF">{file}:/{disp}</DataItem>"#
    );
    let _ = writeln!(x, r#"{indent}</DataItem>"#);
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
