//! `report.md`: headings, text, tables and links to the plots.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::plot_file::PlotFile;
use crate::validation_error::ValidationError;

/// One piece of the report.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(usize, String),
    Paragraph(String),
    Table(Vec<String>, Vec<Vec<String>>),
    Image(String, PathBuf),
    Link(String, PathBuf),
}

/// A Markdown report built piece by piece and written next to its plots: images and
/// files are linked relative to the report's directory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValidationReport {
    title: String,
    blocks: Vec<Block>,
}

impl ValidationReport {
    /// An empty report titled `title`.
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_string(),
            blocks: Vec::new(),
        }
    }

    /// A section heading (level 2).
    pub fn heading(&mut self, text: &str) -> &mut Self {
        self.blocks.push(Block::Heading(2, text.to_string()));
        self
    }

    /// A paragraph of text (Markdown).
    pub fn paragraph(&mut self, text: &str) -> &mut Self {
        self.blocks.push(Block::Paragraph(text.to_string()));
        self
    }

    /// A table of `headers` and `rows` (cells as text).
    pub fn table(&mut self, headers: &[&str], rows: Vec<Vec<String>>) -> &mut Self {
        self.blocks.push(Block::Table(
            headers.iter().map(|h| h.to_string()).collect(),
            rows,
        ));
        self
    }

    /// A plot, shown with `caption`.
    pub fn plot(&mut self, caption: &str, plot: &PlotFile) -> &mut Self {
        self.blocks
            .push(Block::Image(caption.to_string(), plot.path.clone()));
        self
    }

    /// An image file (e.g. the GIF), shown with `caption`.
    pub fn image(&mut self, caption: &str, path: &Path) -> &mut Self {
        self.blocks
            .push(Block::Image(caption.to_string(), path.to_path_buf()));
        self
    }

    /// A link to a file (e.g. the frames directory), labelled `text`.
    pub fn link(&mut self, text: &str, path: &Path) -> &mut Self {
        self.blocks
            .push(Block::Link(text.to_string(), path.to_path_buf()));
        self
    }

    /// The Markdown text, links relative to `dir`.
    pub fn to_markdown(&self, dir: &Path) -> String {
        let rel = |p: &Path| -> String {
            p.strip_prefix(dir)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        };
        let mut out = format!("# {}\n", self.title);
        for block in &self.blocks {
            out.push('\n');
            match block {
                Block::Heading(level, text) => {
                    let _ = writeln!(out, "{} {text}", "#".repeat(*level));
                }
                Block::Paragraph(text) => {
                    let _ = writeln!(out, "{text}");
                }
                Block::Table(headers, rows) => {
                    let _ = writeln!(out, "| {} |", headers.join(" | "));
                    let _ = writeln!(out, "|{}", "---|".repeat(headers.len()));
                    for row in rows {
                        let _ = writeln!(out, "| {} |", row.join(" | "));
                    }
                }
                Block::Image(caption, path) => {
                    let _ = writeln!(out, "![{caption}]({})", rel(path));
                }
                Block::Link(text, path) => {
                    let _ = writeln!(out, "[{text}]({})", rel(path));
                }
            }
        }
        out
    }

    /// Writes the report to `path` (links relative to its directory).
    pub fn write(&self, path: &Path) -> Result<(), ValidationError> {
        let dir = path.parent().unwrap_or(Path::new(""));
        std::fs::write(path, self.to_markdown(dir)).map_err(|e| ValidationError::io(path, e))
    }
}
