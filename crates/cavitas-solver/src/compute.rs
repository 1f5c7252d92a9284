//! Choosing the compute backend of the bubble field: `auto` takes a real GPU (discrete or
//! integrated) when there is one and otherwise the f64 CPU reference; emulated adapters
//! (llvmpipe, lavapipe) run f32 on the same CPU cores and run only when asked for.

use crate::bubbles::backend::BubbleBackend;
use crate::bubbles::cpu::CpuBackend;
use crate::bubbles::model::Tolerances;
use crate::gpu;

/// Which backend to run (stored in a run file, as JSON, so `--resume` asks for the same).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackendRequest {
    /// A real GPU if present, else the CPU in f64.
    Auto,
    /// A GPU adapter; `adapter` selects one whose name contains the text.
    Gpu { adapter: Option<String> },
    /// The CPU reference in the given precision on `threads` threads (0: all).
    Cpu {
        precision: CpuPrecision,
        threads: usize,
    },
}

/// Arithmetic of the CPU backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CpuPrecision {
    F32,
    F64,
}

/// A chosen backend and, when `auto` fell back or chose, a one-line notice for the user.
pub struct ChosenBackend {
    pub backend: Box<dyn BubbleBackend>,
    pub notice: Option<String>,
}

impl std::fmt::Debug for ChosenBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChosenBackend")
            .field("backend", &self.backend.describe())
            .field("notice", &self.notice)
            .finish()
    }
}

/// Why no backend could be made.
#[derive(Debug, thiserror::Error)]
pub enum BackendChoiceError {
    #[error("--backend gpu: {0}")]
    NoAdapter(String),
}

/// Creates the requested backend.
pub fn choose_backend(
    request: &BackendRequest,
    tolerances: &Tolerances,
) -> Result<ChosenBackend, BackendChoiceError> {
    let cpu = |precision: CpuPrecision, threads: usize| -> Box<dyn BubbleBackend> {
        match precision {
            CpuPrecision::F32 => Box::new(CpuBackend::<f32>::new(tolerances, threads)),
            CpuPrecision::F64 => Box::new(CpuBackend::<f64>::new(tolerances, threads)),
        }
    };
    match request {
        BackendRequest::Cpu { precision, threads } => Ok(ChosenBackend {
            backend: cpu(*precision, *threads),
            notice: None,
        }),
        BackendRequest::Gpu { adapter } => {
            let context = gpu::GpuContext::open(&gpu::AdapterFilter::Any {
                name: adapter.clone(),
            })
            .map_err(|e| BackendChoiceError::NoAdapter(e.to_string()))?;
            Ok(ChosenBackend {
                backend: Box::new(gpu::GpuBubbleBackend::new(context, tolerances)),
                notice: None,
            })
        }
        BackendRequest::Auto => match gpu::GpuContext::open(&gpu::AdapterFilter::RealGpu) {
            Ok(context) => {
                let notice = format!("backend auto: GPU {}", context.adapter_label());
                Ok(ChosenBackend {
                    backend: Box::new(gpu::GpuBubbleBackend::new(context, tolerances)),
                    notice: Some(notice),
                })
            }
            Err(e) => Ok(ChosenBackend {
                backend: cpu(CpuPrecision::F64, 0),
                notice: Some(format!("backend auto: {e}; using the CPU backend (f64)")),
            }),
        },
    }
}
