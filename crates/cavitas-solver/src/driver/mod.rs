//! Running a scenario of any kind: what the document asks for ([`Scenario`], decided once),
//! the one loop that runs it ([`run_scenario`]), what an observer sees ([`RunObserver`]),
//! and the checkpoint of any run ([`SolverCheckpoint`]).

mod default_scenarios;
mod run_driver;
mod run_observer;
mod scenario;
mod solver_checkpoint;

pub use default_scenarios::DefaultScenario;
pub use run_driver::{CapsuleOutcome, CrackOutcome, RunError, RunOutcome, run_scenario};
pub use run_observer::{
    JointProgress, NoObserver, ObserverError, ObserverPair, Progress, RunObserver, RunStart,
    RunView,
};
pub use scenario::{Scenario, ScenarioKind};
pub use solver_checkpoint::{SolverCheckpoint, SolverCheckpointError};
