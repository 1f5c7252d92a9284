//! The backends `cavitas bench` times on the standard workload: the CPU reference at one and
//! all threads in f64 and f32, and every adapter wgpu finds.

use super::backend::BubbleBackend;
use super::cpu::CpuBackend;
use super::model::Tolerances;
use crate::gpu::{AdapterFilter, GpuBubbleBackend, GpuContext, GpuError};
use crate::real::Real;

/// One backend to time.
#[derive(Debug)]
pub enum BenchCase {
    /// The rayon CPU backend.
    Cpu {
        /// How its threads are described (`1 thread`, `all threads`).
        label: &'static str,
        /// Worker threads (0: all cores).
        threads: usize,
        make: fn(&Tolerances, usize) -> Box<dyn BubbleBackend>,
        /// `f64` or `f32`.
        precision: &'static str,
    },
    /// The adapter whose name contains `name`.
    Gpu { name: String },
}

/// A backend ready to time, with how it describes itself.
pub struct OpenedBench {
    pub backend: Box<dyn BubbleBackend>,
    /// `cpu` or `gpu`.
    pub kind: &'static str,
    pub adapter: String,
    pub precision: &'static str,
}

impl BenchCase {
    /// The CPU backend in `T` arithmetic on `threads` threads (0: all).
    pub fn cpu<T: Real>(label: &'static str, threads: usize) -> Self {
        Self::Cpu {
            label,
            threads,
            make: |tolerances, threads| Box::new(CpuBackend::<T>::new(tolerances, threads)),
            precision: T::NAME,
        }
    }

    /// The CPU rows (1-thread f64, all-thread f64 as the reference, all-thread f32), then
    /// one per adapter when asked for.
    pub fn all(cpu: bool, gpu: bool) -> Vec<Self> {
        let mut cases = Vec::new();
        if cpu {
            cases.push(Self::cpu::<f64>("1 thread", 1));
            cases.push(Self::cpu::<f64>("all threads", 0));
            cases.push(Self::cpu::<f32>("all threads", 0));
        }
        if gpu {
            cases.extend(
                crate::gpu::list_adapters()
                    .into_iter()
                    .map(|a| Self::Gpu { name: a.name }),
            );
        }
        cases
    }

    /// A short description for progress messages.
    pub fn label(&self) -> String {
        match self {
            Self::Cpu {
                label, precision, ..
            } => format!("cpu {precision}, {label}"),
            Self::Gpu { name } => format!("gpu {name}"),
        }
    }

    /// Whether this is the speed-up reference: the all-thread f64 CPU row.
    pub fn is_reference(kind: &str, precision: &str, adapter: &str) -> bool {
        kind == "cpu" && precision == "f64" && adapter.ends_with("all threads")
    }

    /// Builds the backend; an adapter that will not open is an error the caller may skip.
    pub fn open(&self, tolerances: &Tolerances) -> Result<OpenedBench, GpuError> {
        Ok(match self {
            Self::Cpu {
                label,
                threads,
                make,
                precision,
            } => OpenedBench {
                backend: make(tolerances, *threads),
                kind: "cpu",
                adapter: format!("rayon, {label}"),
                precision,
            },
            Self::Gpu { name } => {
                let ctx = GpuContext::open(&AdapterFilter::Any {
                    name: Some(name.clone()),
                })?;
                let adapter = ctx.adapter_label();
                OpenedBench {
                    backend: Box::new(GpuBubbleBackend::new(ctx, tolerances)),
                    kind: "gpu",
                    adapter,
                    precision: "f32",
                }
            }
        })
    }
}

impl std::fmt::Debug for OpenedBench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedBench")
            .field("kind", &self.kind)
            .field("adapter", &self.adapter)
            .field("precision", &self.precision)
            .finish_non_exhaustive()
    }
}
