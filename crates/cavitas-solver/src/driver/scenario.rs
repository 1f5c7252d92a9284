//! [`Scenario`]: what a configuration document asks to run, decided once, from its tables.

use crate::bubbles::model::Tolerances;
use crate::bubbles::scenario::BubbleScenario;
use crate::config::{ConfigDocument, ConfigError, ConfigOrigin, Validator};
use crate::coupling::CrackScenario;
use crate::fem::capsule_scenario::CapsuleScenario;

/// The kinds of run cavitas knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    /// The coupled joint: capsule, gap, fluid and bubbles (`[capsule]`, `[joint]`,
    /// `[loading]`, `[nuclei]`).
    Crack,
    /// Bubbles on their own under a prescribed pressure (`[[group]]` tables).
    BubbleField,
    /// The capsule on its own, filled with fluid (`[capsule]` alone).
    Capsule,
}

impl ScenarioKind {
    /// The kind of the configuration `table`: `[[group]]` makes a bubble field; `[joint]`,
    /// `[loading]` or `[nuclei]` a coupled joint; `[capsule]` alone a capsule.
    pub fn of_table(table: &toml::Table) -> Option<Self> {
        if table.contains_key("group") {
            Some(Self::BubbleField)
        } else if ["joint", "loading", "nuclei"]
            .iter()
            .any(|k| table.contains_key(*k))
        {
            Some(Self::Crack)
        } else if table.contains_key("capsule") {
            Some(Self::Capsule)
        } else {
            None
        }
    }

    /// Lower-case name for reports and JSON (`crack`, `bubble_field`, `capsule`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Crack => "crack",
            Self::BubbleField => "bubble_field",
            Self::Capsule => "capsule",
        }
    }
}

/// A checked scenario of one of the three kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum Scenario {
    Crack(Box<CrackScenario>),
    BubbleField(Box<BubbleScenario>),
    Capsule(Box<CapsuleScenario>),
}

impl Scenario {
    /// Decides the kind of `doc`, parses it (unknown keys refused with their full path) and
    /// runs its checks (ranges, then the checks that span tables).
    pub fn from_document(doc: &ConfigDocument) -> Result<Self, ConfigError> {
        let origin = doc.origin();
        let kind = ScenarioKind::of_table(doc.table()).ok_or_else(|| ConfigError::Key {
            origin: origin.clone(),
            key: "<root>".into(),
            message: "cannot tell what to run: expected [[group]] tables (a bubble field), \
                      [capsule] with [joint], [loading] and [nuclei] (a coupled joint), or \
                      [capsule] alone (a capsule)"
                .into(),
        })?;
        Ok(match kind {
            ScenarioKind::Crack => {
                let s: CrackScenario = doc.parse()?;
                s.check(origin)?;
                Self::Crack(Box::new(s))
            }
            ScenarioKind::BubbleField => {
                let s: BubbleScenario = doc.parse()?;
                s.check(origin)?;
                Self::BubbleField(Box::new(s))
            }
            ScenarioKind::Capsule => {
                let s: CapsuleScenario = doc.parse()?;
                Validator::check(origin, &s)?;
                s.capsule.build_model().map_err(|e| ConfigError::Key {
                    origin: origin.clone(),
                    key: "capsule.geometry".into(),
                    message: e.to_string(),
                })?;
                Self::Capsule(Box::new(s))
            }
        })
    }

    /// The scenario as TOML with every key resolved, defaults included: what a run file
    /// stores and its `config_hash` covers, so a changed default changes the hash. Parsing
    /// it gives this scenario again (`tests/resolved_config.rs`).
    pub fn resolved_text(&self) -> Result<String, toml::ser::Error> {
        match self {
            Self::Crack(s) => toml::to_string(s),
            Self::BubbleField(s) => toml::to_string(s),
            Self::Capsule(s) => toml::to_string(s),
        }
    }

    /// [`Self::resolved_text`] as a document read from `origin`.
    pub fn resolved_document(&self, origin: &ConfigOrigin) -> Result<ConfigDocument, ConfigError> {
        let text = self.resolved_text().map_err(|e| ConfigError::Key {
            origin: origin.clone(),
            key: "<root>".into(),
            message: format!("the resolved scenario cannot be written as TOML: {e}"),
        })?;
        ConfigDocument::from_text(origin.clone(), &text, &[])
    }

    /// Its kind.
    pub fn kind(&self) -> ScenarioKind {
        match self {
            Self::Crack(_) => ScenarioKind::Crack,
            Self::BubbleField(_) => ScenarioKind::BubbleField,
            Self::Capsule(_) => ScenarioKind::Capsule,
        }
    }

    /// The bubble integrator's tolerances (what a backend is built with).
    pub fn tolerances(&self) -> Tolerances {
        match self {
            Self::Crack(s) => s.tolerances.clone(),
            Self::BubbleField(s) => s.tolerances.clone(),
            Self::Capsule(_) => Tolerances::default(),
        }
    }

    /// Wall-clock time between checkpoints of a run written to a file (s).
    pub fn checkpoint_interval_s(&self) -> f64 {
        match self {
            Self::Crack(s) => s.output.checkpoint_interval_s,
            Self::BubbleField(s) => s.checkpoint_interval_s,
            Self::Capsule(_) => f64::INFINITY,
        }
    }

    /// The capsule of a capsule or coupled scenario, as a capsule scenario injecting
    /// `volume_ml` (the capsule study of a joint preset).
    pub fn capsule_study(&self, volume_ml: Option<f64>) -> Option<CapsuleScenario> {
        let mut study = match self {
            Self::Capsule(s) => (**s).clone(),
            Self::Crack(s) => CapsuleScenario {
                description: s.description.clone(),
                capsule: s.capsule.clone(),
                injection: Default::default(),
            },
            Self::BubbleField(_) => return None,
        };
        if let Some(v) = volume_ml {
            study.injection.volume_ml = v;
        }
        Some(study)
    }
}
