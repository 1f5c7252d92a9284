//! The scenarios a command runs when it is given none, embedded in this crate.

/// A built-in scenario: its name (the path under `configs/`) and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultScenario {
    /// Path relative to the repository's `configs/` (how reports name it).
    pub name: &'static str,
    /// The TOML text.
    pub text: &'static str,
}

impl DefaultScenario {
    /// `cavitas run`: the MCP joint pulled as in the cine-MRI study.
    pub const RUN: Self = Self {
        name: "configs/mcp-traction.toml",
        text: include_str!("../../configs/mcp-traction.toml"),
    };
    /// `cavitas bubble`: an ensemble of nuclei under a pressure pulse.
    pub const BUBBLE: Self = Self {
        name: "configs/bubble/ensemble.toml",
        text: include_str!("../../configs/bubble/ensemble.toml"),
    };
    /// `cavitas capsule`: the lumbar facet capsule preset.
    pub const CAPSULE: Self = Self {
        name: "configs/capsule/facet.toml",
        text: include_str!("../../configs/capsule/facet.toml"),
    };

    /// As the `(name, text)` pair `ConfigDocument::load` takes.
    pub fn pair(self) -> (&'static str, &'static str) {
        (self.name, self.text)
    }
}
