//! XDMF sidecar so ParaView (Xdmf3 readers) and meshio (`TimeSeriesReader`)
//! open the capsule mesh over time.
//!
//! The axisymmetric capsule is its meridian: `n` nodes `(r, z)` joined by
//! `n - 1` two-node polyline segments. Both readers accept only plain data
//! items per time step: meshio reads each HDF item whole (no `HyperSlab`),
//! neither evaluates an XDMF `Function`, and ParaView refuses a `Topology`
//! given by `Reference` (`Neither 'Type' nor 'TopologyType' found`). So the
//! document is a temporal collection of uniform grids, each with its own
//! explicit `Polyline` topology (inline), the reference geometry
//! `/capsule/nodes_ref` (`XY`, read from the run file) and the displacement
//! of that snapshot as a nodal vector, inline (exact: shortest round-trip
//! decimal); in ParaView, *Warp By Vector* on `displacement` moves the mesh.
//! This is the layout meshio itself writes (fixed mesh, data per step).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::backend_call::{io_err, rename_durably};
use crate::output_error::{OutputError, Result};
use crate::run_paths::RunPaths;
use crate::run_reader::RunReader;

/// What the XDMF file references.
#[derive(Debug, Clone, PartialEq)]
pub struct XdmfCapsule {
    /// The HDF5 run file as the XDMF names it (a bare file name: the sidecar
    /// sits next to the HDF5 file).
    pub h5_file_name: String,
    /// Path of the reference nodes `[n_nodes, 2]` (r, z) in m.
    pub nodes_ref_path: String,
    /// Path of the displacement `[n_times, n_nodes, 2]` (dr, dz) in m.
    pub displacement_path: String,
    /// Snapshot times, s (length `n_times`).
    pub times: Vec<f64>,
    /// Number of meridian nodes.
    pub n_nodes: usize,
    /// The displacement values, row-major `[n_times, n_nodes, 2]`, m.
    displacement: Vec<f64>,
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
        let displacement = reader.array(&displacement_path)?.values;
        Ok(Self {
            h5_file_name,
            nodes_ref_path,
            displacement_path,
            times,
            n_nodes: nodes[0],
            displacement,
        })
    }

    /// `out.xdmf` next to `out.h5`.
    pub fn sidecar_path(h5_path: &Path) -> PathBuf {
        RunPaths::new(h5_path).output.with_extension("xdmf")
    }

    /// The XDMF 3 document.
    pub fn to_xml(&self) -> String {
        let n = self.n_nodes;
        let file = xml_escape(&self.h5_file_name);
        let nodes = xml_escape(&self.nodes_ref_path);
        let segments: Vec<String> = (0..n - 1).map(|i| format!("{i} {}", i + 1)).collect();
        let segments = segments.join(" ");
        let mut x = String::new();
        let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let _ = writeln!(x, r#"<Xdmf Version="3.0">"#);
        let _ = writeln!(x, r#"  <Domain>"#);
        let _ = writeln!(
            x,
            r#"    <Grid Name="capsule" GridType="Collection" CollectionType="Temporal">"#
        );
        for (k, t) in self.times.iter().enumerate() {
            let _ = writeln!(x, r#"      <Grid Name="capsule_{k}" GridType="Uniform">"#);
            let _ = writeln!(x, r#"        <Time Value="{t:e}"/>"#);
            let _ = writeln!(
                x,
                r#"        <Topology TopologyType="Polyline" NodesPerElement="2" NumberOfElements="{}">"#,
                n - 1
            );
            let _ = writeln!(
                x,
                r#"          <DataItem Dimensions="{} 2" NumberType="Int" Precision="4" Format="XML">{segments}</DataItem>"#,
                n - 1
            );
            let _ = writeln!(x, r#"        </Topology>"#);
            let _ = writeln!(x, r#"        <Geometry GeometryType="XY">"#);
            let _ = writeln!(
                x,
                r#"          <DataItem Dimensions="{n} 2" NumberType="Float" Precision="8" Format="HDF">{file}:/{nodes}</DataItem>"#
            );
            let _ = writeln!(x, r#"        </Geometry>"#);
            let _ = writeln!(
                x,
                r#"        <Attribute Name="displacement" AttributeType="Vector" Center="Node">"#
            );
            let d = &self.displacement[k * 2 * n..(k + 1) * 2 * n];
            let values: Vec<String> = d.iter().map(|v| format!("{v:e}")).collect();
            let _ = writeln!(
                x,
                r#"          <DataItem Dimensions="{n} 2" NumberType="Float" Precision="8" Format="XML">{}</DataItem>"#,
                values.join(" ")
            );
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

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
