//! The Monte Carlo engine: runs split into fixed-size chunks, each with its own random stream,
//! simulated in parallel and folded into mergeable accumulators.
//!
//! The engine knows nothing of files or formatting: it takes a validated [`Model`] and returns an
//! [`Accumulator`]. Chunk boundaries depend only on the number of runs, streams only on (seed,
//! chunk), and accumulators merge exactly, so results are identical for any thread count or shard
//! split. Memory is bounded by the chunk size and the sketches, not by the number of runs.

pub mod acc;
pub mod bench;
pub mod cancel;
pub mod chunk;
pub mod rng;
pub mod sampling;
pub mod sketch;

pub use acc::{Accumulator, Layout};
pub use chunk::{ChunkDetail, StreamSeeds};

use crate::error::{Error, Result};
use crate::model::{Model, SimTarget, simulated_targets};
use rayon::prelude::*;

/// Runs per chunk: the unit of parallel work and of random streams. Part of the determinism
/// contract (changing it changes the numbers drawn for a given seed).
pub const CHUNK: u64 = 4096;

/// The accumulator layout of a model.
pub fn layout(model: &Model) -> Layout {
    Layout {
        targets: simulated_targets(model).len(),
        sims: model.sims.len(),
        years: model.horizon(),
    }
}

/// How to run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    pub runs: u64,
    pub seed: u64,
    /// Worker threads; `None` uses all cores.
    pub threads: Option<usize>,
    /// Run only shard K of N (1-based K).
    pub shard: Option<(u64, u64)>,
    /// The sampling design.
    pub sampling: sampling::Sampling,
}

/// Number of chunks for a run count.
pub fn chunk_count(runs: u64) -> u64 {
    runs.div_ceil(CHUNK)
}

/// The chunk indices of shard `k` of `n` (1-based): a contiguous range.
pub fn shard_chunks(runs: u64, k: u64, n: u64) -> std::ops::Range<u64> {
    let c = chunk_count(runs) as u128;
    let lo = (c * (k - 1) as u128 / n as u128) as u64;
    let hi = (c * k as u128 / n as u128) as u64;
    lo..hi
}

/// Runs the model. `progress` is called with the number of runs finished by each chunk.
pub fn run(
    model: &Model,
    opts: &RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Accumulator> {
    let chunks = match opts.shard {
        None => 0..chunk_count(opts.runs),
        Some((k, n)) => shard_chunks(opts.runs, k, n),
    };
    run_range(model, opts, chunks, progress)
}

/// Chunks added per step when running to a precision: 8 chunks = 32 768 runs.
pub const PRECISION_BATCH: u64 = 8;

/// Why a precision-driven run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Every simulated target's 95 % interval half-width is below the precision.
    PrecisionReached,
    /// `opts.runs` (the maximum) was reached first.
    MaxRuns,
    /// No target is simulated, so no precision can be reached; one batch was run.
    NoTargets,
}

/// Adds batches of [`PRECISION_BATCH`] chunks until the 95 % Wilson interval half-width of every
/// simulated target's P(met) is below `precision`, or `opts.runs` runs are done. Batches are fixed
/// by chunk index, so the same seed and precision always stop at the same run count.
pub fn run_to_precision(
    model: &Model,
    opts: &RunOptions,
    precision: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Accumulator, StopReason)> {
    let total = chunk_count(opts.runs);
    let mut acc = Accumulator::new(layout(model));
    let mut next = 0;
    while next < total {
        let end = (next + PRECISION_BATCH).min(total);
        acc.merge(&run_range(model, opts, next..end, progress)?);
        next = end;
        if acc.hits.is_empty() {
            return Ok((acc, StopReason::NoTargets));
        }
        let worst = acc
            .hits
            .iter()
            .map(|&h| {
                let (lo, hi) = crate::stats::wilson(h, acc.runs);
                (hi - lo) / 2.0
            })
            .fold(0.0, f64::max);
        if worst < precision {
            return Ok((acc, StopReason::PrecisionReached));
        }
    }
    Ok((acc, StopReason::MaxRuns))
}

/// Runs `work` on a pool of `threads` worker threads (all cores when `None`).
fn install<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> Result<T> {
    match threads {
        None => Ok(work()),
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t.max(1))
                .build()
                .map_err(|e| Error::runtime(format!("cannot start {t} worker threads: {e}")))?;
            Ok(pool.install(work))
        }
    }
}

/// Splits a chunk range into a fixed number of contiguous parts (two per worker thread), each run
/// by one worker: the number of live workers, and so memory, does not grow with the run count.
fn split(chunks: std::ops::Range<u64>) -> Vec<std::ops::Range<u64>> {
    let len = chunks.end - chunks.start;
    let parts = (rayon::current_num_threads() as u64 * 2).clamp(1, len.max(1));
    (0..parts)
        .map(|i| chunks.start + len * i / parts..chunks.start + len * (i + 1) / parts)
        .filter(|r| !r.is_empty())
        .collect()
}

/// Runs the chunks in `chunks` (of a run of `opts.runs` runs).
pub fn run_range(
    model: &Model,
    opts: &RunOptions,
    chunks: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Accumulator> {
    let targets = simulated_targets(model);
    let lay = layout(model);
    // Workers merge into one shared accumulator as they finish (exact and order-free), so memory
    // holds the live workers' windows and a single accumulator, not one per worker.
    let shared = std::sync::Mutex::new(Accumulator::new(lay));
    let work = || {
        split(chunks.clone()).into_par_iter().for_each(|range| {
            let mut w = chunk::Worker::new(model, targets, lay).with_sampling(opts.sampling);
            for c in range {
                if cancel::requested() {
                    break;
                }
                let n = (opts.runs - c * CHUNK).min(CHUNK) as usize;
                w.run_chunk(opts.seed, c, n);
                progress(n as u64);
            }
            w.finish_into(&shared);
        })
    };
    install(opts.threads, work)?;
    if cancel::requested() {
        return Err(cancel::interrupted());
    }
    let mut acc = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    acc.fill_level_metrics(targets, lay.years);
    acc.sampling = opts.sampling;
    Ok(acc)
}

/// One model to run in lockstep with others, possibly with other seeds for some inputs.
#[derive(Debug, Clone, Copy)]
pub struct Variant<'a> {
    pub model: &'a Model,
    pub seeds: Option<&'a chunk::StreamSeeds>,
}

/// Runs several variants chunk by chunk in lockstep (same chunk indices, same run count), calling
/// `map` with each chunk's per-run detail of every variant, and combining the mapped values with
/// `reduce`. `reduce` must be associative and commutative (e.g. adding integer counts) for results
/// to be independent of the thread count; collect and sort by chunk index otherwise.
/// Returns every variant's accumulator and the reduced value.
pub fn run_lockstep<T: Send>(
    variants: &[Variant],
    opts: &RunOptions,
    map: &(dyn Fn(u64, &[&chunk::ChunkDetail]) -> T + Sync),
    reduce: &(dyn Fn(T, T) -> T + Sync),
    identity: &(dyn Fn() -> T + Sync),
) -> Result<(Vec<Accumulator>, T)> {
    let chunks = match opts.shard {
        None => 0..chunk_count(opts.runs),
        Some((k, n)) => shard_chunks(opts.runs, k, n),
    };
    let targets: Vec<&[SimTarget]> = variants
        .iter()
        .map(|v| simulated_targets(v.model))
        .collect();
    let lays: Vec<Layout> = variants.iter().map(|v| layout(v.model)).collect();
    let new_workers = || -> Vec<chunk::Worker> {
        variants
            .iter()
            .zip(&targets)
            .zip(&lays)
            .map(|((v, t), l)| {
                let w = chunk::Worker::new(v.model, t, *l)
                    .recording()
                    .with_sampling(opts.sampling);
                match v.seeds {
                    Some(s) => w.with_seeds(s.clone()),
                    None => w,
                }
            })
            .collect()
    };
    let work = || {
        split(chunks.clone())
            .into_par_iter()
            .map(|range| {
                let mut ws = new_workers();
                let mut acc = identity();
                for c in range {
                    if cancel::requested() {
                        break;
                    }
                    let n = (opts.runs - c * CHUNK).min(CHUNK) as usize;
                    for w in ws.iter_mut() {
                        w.run_chunk(opts.seed, c, n);
                    }
                    let details: Vec<&chunk::ChunkDetail> =
                        ws.iter().filter_map(|w| w.detail()).collect();
                    acc = reduce(acc, map(c, &details));
                }
                (
                    ws.into_iter()
                        .map(chunk::Worker::finish)
                        .collect::<Vec<_>>(),
                    acc,
                )
            })
            .reduce(
                || {
                    (
                        lays.iter().map(|l| Accumulator::new(*l)).collect(),
                        identity(),
                    )
                },
                |(mut a, ta), (b, tb)| {
                    for (x, y) in a.iter_mut().zip(&b) {
                        x.merge(y);
                    }
                    (a, reduce(ta, tb))
                },
            )
    };
    let out = install(opts.threads, work)?;
    if cancel::requested() {
        return Err(cancel::interrupted());
    }
    Ok(out)
}

/// The random-number floor of a workload: draws exactly the variates `run` draws for these runs
/// (the same generator, streams and counts: a standard normal score per indicator draw, a uniform
/// per shock) and nothing else. Returns a checksum so the work cannot
/// be optimised away. Used by benchmarks to express the engine's cost as a multiple of this floor.
pub fn rng_floor(model: &Model, opts: &RunOptions) -> f64 {
    use rand_distr::{Distribution, StandardNormal};
    let years = model.horizon();
    let work = || {
        (0..chunk_count(opts.runs))
            .into_par_iter()
            .map(|c| {
                let n = (opts.runs - c * CHUNK).min(CHUNK) as usize;
                let mut acc = 0.0f64;
                for sim in &model.sims {
                    if sim.draw.is_none() {
                        continue;
                    }
                    let mut rng = rng::stream(opts.seed, c, sim.plan_index as u64);
                    for _ in 0..years * n {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        acc += z;
                    }
                }
                for k in 0..model.shocks.len() {
                    let mut rng = rng::stream(opts.seed, c, rng::shock_key(k));
                    for _ in 0..years * n {
                        acc += rng::uniform(&mut rng);
                    }
                }
                acc
            })
            .sum::<f64>()
    };
    // The floor is a measurement aid: without its own pool it runs on the global one.
    install(opts.threads, work).unwrap_or_else(|_| work())
}
