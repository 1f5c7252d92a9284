//! Adapters, devices and errors.

use std::sync::{Arc, Mutex};

/// A GPU failure.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error("no {0} found")]
    NoAdapter(String),
    #[error("the adapter `{adapter}` refused a device: {message}")]
    Device { adapter: String, message: String },
    #[error("wgpu reported: {0}")]
    Validation(String),
    #[error("reading a buffer back failed: {0}")]
    Readback(String),
    #[error("{what} needs {needed} bytes in one binding; the adapter allows {allowed}")]
    TooLarge {
        what: &'static str,
        needed: u64,
        allowed: u64,
    },
}

/// Which adapters are acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdapterFilter {
    /// Only real hardware (discrete or integrated GPU), as `--backend auto` wants.
    RealGpu,
    /// Any adapter, emulated ones included; optionally one whose name contains the text.
    Any { name: Option<String> },
}

/// What `cavitas info` prints for each adapter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AdapterReport {
    pub name: String,
    pub backend: String,
    pub device_type: String,
    pub driver: String,
    pub driver_info: String,
    /// Whether WGSL f64 (`SHADER_F64`) is available.
    pub shader_f64: bool,
    /// Emulated on the CPU (llvmpipe, lavapipe, SwiftShader).
    pub emulated: bool,
    pub max_storage_buffer_binding_size: u64,
    pub max_buffer_size: u64,
    pub max_storage_buffers_per_shader_stage: u32,
    pub max_compute_workgroups_per_dimension: u32,
    pub max_compute_invocations_per_workgroup: u32,
    pub max_compute_workgroup_storage_size: u32,
}

fn instance() -> wgpu::Instance {
    wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env())
}

fn enumerate() -> Vec<wgpu::Adapter> {
    let instance = instance();
    pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()))
}

fn report(adapter: &wgpu::Adapter) -> AdapterReport {
    let info = adapter.get_info();
    let limits = adapter.limits();
    AdapterReport {
        name: info.name.clone(),
        backend: info.backend.to_str().to_string(),
        device_type: match info.device_type {
            wgpu::DeviceType::DiscreteGpu => "discrete_gpu",
            wgpu::DeviceType::IntegratedGpu => "integrated_gpu",
            wgpu::DeviceType::VirtualGpu => "virtual_gpu",
            wgpu::DeviceType::Cpu => "cpu",
            wgpu::DeviceType::Other => "other",
        }
        .to_string(),
        driver: info.driver.clone(),
        driver_info: info.driver_info.clone(),
        shader_f64: adapter.features().contains(wgpu::Features::SHADER_F64),
        emulated: info.device_type == wgpu::DeviceType::Cpu,
        max_storage_buffer_binding_size: limits.max_storage_buffer_binding_size,
        max_buffer_size: limits.max_buffer_size,
        max_storage_buffers_per_shader_stage: limits.max_storage_buffers_per_shader_stage,
        max_compute_workgroups_per_dimension: limits.max_compute_workgroups_per_dimension,
        max_compute_invocations_per_workgroup: limits.max_compute_invocations_per_workgroup,
        max_compute_workgroup_storage_size: limits.max_compute_workgroup_storage_size,
    }
}

/// Every adapter wgpu finds, on every backend compiled in.
pub fn list_adapters() -> Vec<AdapterReport> {
    enumerate().iter().map(report).collect()
}

/// Preference: real hardware first, then virtual, then emulated; native APIs before GL.
fn rank(adapter: &wgpu::Adapter) -> (u8, u8) {
    let info = adapter.get_info();
    let device = match info.device_type {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Other => 3,
        wgpu::DeviceType::Cpu => 4,
    };
    let api = u8::from(info.backend == wgpu::Backend::Gl);
    (device, api)
}

/// A device and queue on a chosen adapter, with wgpu's asynchronous errors collected.
#[derive(Debug)]
pub struct GpuContext {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) limits: wgpu::Limits,
    report: AdapterReport,
    errors: Arc<Mutex<Vec<String>>>,
}

impl GpuContext {
    /// Opens the best adapter that passes `filter`.
    pub fn open(filter: &AdapterFilter) -> Result<Self, GpuError> {
        Self::open_with_workgroup_limit(filter, None)
    }

    /// As [`Self::open`], with the per-dimension workgroup limit lowered to
    /// `max_workgroups_per_dimension` (tests use it to exercise two-dimensional dispatch on
    /// small fields).
    pub fn open_with_workgroup_limit(
        filter: &AdapterFilter,
        max_workgroups_per_dimension: Option<u32>,
    ) -> Result<Self, GpuError> {
        let mut candidates: Vec<wgpu::Adapter> = enumerate()
            .into_iter()
            .filter(|a| {
                let info = a.get_info();
                match filter {
                    AdapterFilter::RealGpu => matches!(
                        info.device_type,
                        wgpu::DeviceType::DiscreteGpu | wgpu::DeviceType::IntegratedGpu
                    ),
                    AdapterFilter::Any { name: None } => true,
                    AdapterFilter::Any { name: Some(text) } => {
                        info.name.to_lowercase().contains(&text.to_lowercase())
                    }
                }
            })
            .collect();
        candidates.sort_by_key(rank);
        let adapter = candidates.into_iter().next().ok_or_else(|| {
            GpuError::NoAdapter(match filter {
                AdapterFilter::RealGpu => "real GPU adapter (discrete or integrated)".into(),
                AdapterFilter::Any { name: None } => "GPU adapter".into(),
                AdapterFilter::Any { name: Some(t) } => {
                    format!("GPU adapter whose name contains `{t}`")
                }
            })
        })?;
        let report = report(&adapter);
        let mut limits = adapter.limits();
        if let Some(max) = max_workgroups_per_dimension {
            limits.max_compute_workgroups_per_dimension =
                limits.max_compute_workgroups_per_dimension.min(max);
        }
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("cavitas"),
            required_features: wgpu::Features::empty(),
            required_limits: limits.clone(),
            experimental_features: wgpu::ExperimentalFeatures::default(),
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        }))
        .map_err(|e| GpuError::Device {
            adapter: report.name.clone(),
            message: e.to_string(),
        })?;
        let errors = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&errors);
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            sink.lock().expect("error sink").push(e.to_string());
        }));
        Ok(Self {
            device,
            queue,
            limits,
            report,
            errors,
        })
    }

    /// The adapter's report.
    pub fn adapter(&self) -> &AdapterReport {
        &self.report
    }

    /// `"name (backend, type)"`.
    pub fn adapter_label(&self) -> String {
        format!(
            "{} ({}, {})",
            self.report.name, self.report.backend, self.report.device_type
        )
    }

    /// Returns the first error wgpu reported since the last check.
    pub(crate) fn take_error(&self) -> Result<(), GpuError> {
        let mut errors = self.errors.lock().expect("error sink");
        match errors.drain(..).next() {
            Some(e) => Err(GpuError::Validation(e)),
            None => Ok(()),
        }
    }

    /// Copies `size` bytes at `offset` of `buffer` back to the host (blocking).
    pub(crate) fn read_back(
        &self,
        buffer: &wgpu::Buffer,
        offset: u64,
        size: u64,
    ) -> Result<Vec<u8>, GpuError> {
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        encoder.copy_buffer_to_buffer(buffer, offset, &staging, 0, size);
        self.queue.submit([encoder.finish()]);
        self.map_and_copy(&staging)
    }

    /// Maps a `MAP_READ` buffer whose copies are submitted and returns its bytes.
    pub(crate) fn map_and_copy(&self, staging: &wgpu::Buffer) -> Result<Vec<u8>, GpuError> {
        let (tx, rx) = std::sync::mpsc::channel();
        staging.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        rx.recv()
            .map_err(|e| GpuError::Readback(e.to_string()))?
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        let bytes = staging
            .get_mapped_range(..)
            .map_err(|e| GpuError::Readback(e.to_string()))?
            .to_vec();
        staging.unmap();
        self.take_error()?;
        Ok(bytes)
    }
}
