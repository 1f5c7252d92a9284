//! [`Shard`]: which cases of a sweep one process runs. Case `k` belongs to shard
//! `k mod count` (round robin, so neighbouring cases, often of similar cost, spread over
//! the shards).

use crate::sweep_error::SweepError;

/// Shard `index` of `count` (0 ≤ index < count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub index: usize,
    /// How many shards the sweep is cut into, at least 1.
    pub count: usize,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const WHOLE: Self = Self { index: 0, count: 1 };

    /// The shard `--shard` gives (`i/n`), else the Slurm array task's (read from the
    /// environment), else the whole sweep.
    pub fn from_arg_or_env(arg: Option<&str>) -> Result<Self, SweepError> {
        match arg {
            Some(text) => Self::parse(text),
            None => Ok(Self::from_slurm(|k| std::env::var(k).ok())?.unwrap_or(Self::WHOLE)),
        }
    }

    /// Parses `i/n` as `--shard` gives it (0 ≤ i < n).
    pub fn parse(text: &str) -> Result<Self, SweepError> {
        let err = |message: &str| SweepError::Shard {
            given: format!("--shard {text}"),
            message: message.to_string(),
        };
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| err("expected `i/n`, the 0-based shard index and the shard count"))?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| err("the shard index is not a whole number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| err("the shard count is not a whole number"))?;
        Self::new(index, count).map_err(|m| err(&m))
    }

    /// The shard of a Slurm job-array task, from `SLURM_ARRAY_TASK_ID`,
    /// `SLURM_ARRAY_TASK_COUNT` and (when set) `SLURM_ARRAY_TASK_MIN`: `--array=0-3` and
    /// `--array=1-4` both give shards 0..4 of 4. `None` outside a job array.
    pub fn from_slurm(env: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, SweepError> {
        let (Some(id), Some(count)) = (env("SLURM_ARRAY_TASK_ID"), env("SLURM_ARRAY_TASK_COUNT"))
        else {
            return Ok(None);
        };
        let min = env("SLURM_ARRAY_TASK_MIN").unwrap_or_else(|| "0".into());
        let err = |message: String| SweepError::Shard {
            given: format!(
                "SLURM_ARRAY_TASK_ID={id} SLURM_ARRAY_TASK_COUNT={count} SLURM_ARRAY_TASK_MIN={min}"
            ),
            message,
        };
        let number = |v: &str| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| err(format!("`{v}` is not a whole number")))
        };
        let (id_n, count_n, min_n) = (number(&id)?, number(&count)?, number(&min)?);
        let index = id_n
            .checked_sub(min_n)
            .ok_or_else(|| err("the task id is below the array's first id".into()))?;
        Self::new(index, count_n)
            .map(Some)
            .map_err(|m| err(format!("{m} (use --shard i/n for arrays with steps)")))
    }

    fn new(index: usize, count: usize) -> Result<Self, String> {
        if count == 0 {
            return Err("0 shards; allowed: a shard count of at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard index {index} is out of range; allowed: 0 to {}",
                count - 1
            ));
        }
        Ok(Self { index, count })
    }

    /// Whether case `case_index` is this shard's.
    pub fn holds(&self, case_index: usize) -> bool {
        case_index % self.count == self.index
    }

    /// `shard-2-of-4`: how the shard's files are named.
    pub fn label(&self) -> String {
        format!("shard-{}-of-{}", self.index, self.count)
    }
}
