//! Simulating one chunk of runs: the hot loop.
//!
//! State is struct-of-arrays over the chunk's runs (ndarray rows per indicator), so each year is a
//! handful of tight loops over contiguous slices with no allocation. Buffers live in the [`Worker`]
//! and are reused for every chunk a thread runs. Each input (an indicator's yearly draw, a shock)
//! has its own random stream, so the numbers an indicator sees do not depend on what else the
//! scenario models, and every indicator draws normal scores whatever its family, so they do not
//! depend on the family either (common random numbers across scenarios of one plan). AR(1)
//! persistence acts on those scores before the quantile transform, so every year's draw has the
//! distribution's own marginal, clamp included.

use super::acc::{Accumulator, Layout};
use super::rng::{self, Stream};
use super::sampling::{self, Sampling};
use super::sketch::{DenseSketch, Scratch};
use crate::model::SimTarget;
use crate::model::track::TrackOn;
use crate::model::{Metric, Model, Process};
use ndarray::Array2;

/// True when a target's metric is its indicator's level in a simulated year: its values are those
/// of the indicator's fan sketch that year, which serves as its metric sketch.
pub fn level_from_fan(t: &SimTarget, years: usize) -> bool {
    t.metric == Metric::Level && t.offset >= 1 && t.offset <= years
}

/// The persistence ρ of the process drawing from each draw index (0 when none).
fn draw_persistence(model: &Model) -> Vec<f64> {
    let mut rho = vec![0.0; model.draw_count];
    for sim in &model.sims {
        if let Some(d) = sim.draw {
            rho[d] = match &sim.process {
                Process::Growth { persistence, .. } | Process::Increment { persistence, .. } => {
                    *persistence
                }
                _ => 0.0,
            };
        }
    }
    rho
}

/// Seeds that replace the run's seed for individual inputs: `draws[d]` for draw index `d`,
/// `shocks[k]` for shock `k` (missing entries keep the run's seed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamSeeds {
    pub draws: Vec<u64>,
    pub shocks: Vec<u64>,
}

/// Per-run detail of one chunk: what paired comparisons and sensitivity measures need.
#[derive(Debug, Clone, Default)]
pub struct ChunkDetail {
    /// Runs in the chunk.
    pub n: usize,
    /// Per simulated target (in `simulated_targets` order): met flags per run.
    pub met: Vec<Vec<bool>>,
    /// Per simulated target: the metric per run.
    pub metric: Vec<Vec<f64>>,
    /// Per draw index: the mean over simulated years of the drawn value, per run.
    pub inputs: Vec<Vec<f64>>,
    /// All simulated targets met, per run.
    pub all: Vec<bool>,
    /// All simulated binding targets met, per run.
    pub all_binding: Vec<bool>,
}

impl ChunkDetail {
    fn new(targets: usize, draws: usize) -> ChunkDetail {
        ChunkDetail {
            n: 0,
            met: vec![Vec::new(); targets],
            metric: vec![Vec::new(); targets],
            inputs: vec![Vec::new(); draws],
            all: Vec::new(),
            all_binding: Vec::new(),
        }
    }

    fn reset(&mut self, n: usize) {
        self.n = n;
        for v in &mut self.met {
            v.clear();
            v.resize(n, false);
        }
        for v in self.metric.iter_mut().chain(self.inputs.iter_mut()) {
            v.clear();
            v.resize(n, 0.0);
        }
        self.all.resize(n, false);
        self.all.truncate(n);
        self.all_binding.resize(n, false);
        self.all_binding.truncate(n);
    }
}

/// Row `i` of a standard-layout array as a slice.
#[inline]
fn row(a: &Array2<f64>, i: usize, n: usize) -> &[f64] {
    let w = a.ncols();
    &a.as_slice().unwrap_or(&[])[i * w..i * w + n]
}

#[inline]
fn row_mut(a: &mut Array2<f64>, i: usize, n: usize) -> &mut [f64] {
    let w = a.ncols();
    &mut a.as_slice_mut().unwrap_or(&mut [])[i * w..i * w + n]
}

/// Per-thread simulation state.
pub struct Worker<'a> {
    model: &'a Model,
    targets: &'a [SimTarget],
    acc: Accumulator,
    /// Worker-local dense versions of `acc.fan` and `acc.metric`.
    fan: Vec<DenseSketch>,
    metric_sketch: Vec<DenseSketch>,
    /// Current values, sims × runs.
    x: Array2<f64>,
    /// AR(1) state: the latest normal score of each persistent draw, draws × runs.
    score: Array2<f64>,
    /// Running sums since the base year, sims × runs.
    sum: Array2<f64>,
    /// This year's draws, draws × runs: normal scores or uniforms, then distribution values.
    v: Array2<f64>,
    /// Shock effects added to each simulated indicator's draw this year, sims × runs.
    add: Array2<f64>,
    /// Whether each sim is hit by any shock (so its `add` row is used).
    shocked: Vec<bool>,
    /// Per draw index: the AR(1) persistence ρ and the first simulated year (1-based years
    /// after the base year) of the process drawing from it.
    rho: Vec<f64>,
    first_year: Vec<usize>,
    /// Whether each sim's running sum is needed by a target.
    needs_sum: Vec<bool>,
    /// Per target: its metric is the level in a simulated year, so its values are exactly those
    /// of the indicator's fan sketch that year; the fan sketch serves as its metric sketch.
    level_from_fan: Vec<bool>,
    sampling: Sampling,
    /// The seed and chunk being run.
    seed: u64,
    chunk: u64,
    perm: Vec<u32>,
    /// Per-draw and per-shock seed overrides (for variance-based sensitivity designs).
    seeds: Option<StreamSeeds>,
    /// Per-run detail of the last chunk, when recording.
    detail: Option<ChunkDetail>,
    /// Stream key (plan indicator index) of each draw index.
    draw_keys: Vec<u64>,
    draw_streams: Vec<Stream>,
    shock_streams: Vec<Stream>,
    buf: Vec<f64>,
    /// A row of zeros: the shock effects of an indicator no shock hits.
    zeros: Vec<f64>,
    metric: Vec<f64>,
    met_all: Vec<bool>,
    met_binding: Vec<bool>,
    copula_tmp: Vec<f64>,
    scratch: Scratch,
}

impl<'a> Worker<'a> {
    pub fn new(model: &'a Model, targets: &'a [SimTarget], layout: Layout) -> Worker<'a> {
        let n = super::CHUNK as usize;
        let s = model.sims.len();
        let mut shocked = vec![false; s];
        for sh in &model.shocks {
            for &(t, _) in &sh.effects {
                shocked[t] = true;
            }
        }
        let mut needs_sum = vec![false; s];
        for t in targets {
            if t.metric == Metric::Sum {
                needs_sum[t.sim] = true;
            }
        }
        Worker {
            model,
            targets,
            acc: Accumulator::new(layout),
            fan: vec![DenseSketch::new(); layout.sims * layout.years],
            metric_sketch: vec![DenseSketch::new(); layout.targets],
            x: Array2::zeros((s, n)),
            score: Array2::zeros((model.draw_count, n)),
            sum: Array2::zeros((s, n)),
            v: Array2::zeros((model.draw_count, n)),
            add: Array2::zeros((s, n)),
            shocked,
            rho: draw_persistence(model),
            first_year: {
                let mut f = vec![1; model.draw_count];
                for sim in &model.sims {
                    if let Some(d) = sim.draw {
                        f[d] = sim.known.len() + 1;
                    }
                }
                f
            },
            seeds: None,
            detail: None,
            sampling: Sampling::Mc,
            seed: 0,
            chunk: 0,
            perm: Vec::new(),
            draw_keys: {
                let mut keys = vec![0u64; model.draw_count];
                for sim in &model.sims {
                    if let Some(d) = sim.draw {
                        keys[d] = sim.plan_index as u64;
                    }
                }
                keys
            },
            needs_sum,
            level_from_fan: targets
                .iter()
                .map(|t| level_from_fan(t, layout.years))
                .collect(),
            draw_streams: Vec::with_capacity(model.draw_count),
            shock_streams: Vec::with_capacity(model.shocks.len()),
            buf: vec![0.0; n],
            zeros: vec![0.0; n],
            metric: vec![0.0; n],
            met_all: vec![true; n],
            met_binding: vec![true; n],
            copula_tmp: vec![0.0; model.copula.as_ref().map_or(0, |c| c.members.len())],
            scratch: Scratch::default(),
        }
    }

    /// Draws this year's inputs: one row per draw (transformed to distribution values, copula
    /// applied) and the shock effects per indicator.
    fn draw_year(&mut self, year: i32, n: usize) {
        let m = self.model;
        let inputs = m.draw_count + m.shocks.len();
        let yi = (year - m.plan.base_year - 1) as usize;
        for d in 0..m.draw_count {
            // A local copy keeps the generator's state in registers in the loop.
            let mut rng = self.draw_streams[d].clone();
            let row_ctx = sampling::Row {
                seed: self.draw_seed(d),
                chunk: self.chunk,
                year: yi,
                input: d,
                inputs,
            };
            sampling::fill(
                self.sampling,
                row_ctx,
                &mut rng,
                row_mut(&mut self.v, d, n),
                true,
                &mut self.perm,
            );
            self.draw_streams[d] = rng;
        }
        if let Some(c) = &m.copula {
            let k = c.members.len();
            let w = self.v.ncols();
            let v = self.v.as_slice_mut().unwrap_or(&mut []);
            for r in 0..n {
                for (i, &d) in c.members.iter().enumerate() {
                    self.copula_tmp[i] = v[d * w + r];
                }
                for (i, &d) in c.members.iter().enumerate() {
                    let l = &c.chol[i * k..i * k + i + 1];
                    v[d * w + r] = l.iter().zip(&self.copula_tmp).map(|(l, z)| l * z).sum();
                }
            }
        }
        // AR(1) persistence on the normal score, before the quantile transform: the marginal of
        // every year is the distribution itself (clamp included), whatever ρ.
        for d in 0..m.draw_count {
            let rho = self.rho[d];
            if rho == 0.0 || yi + 1 < self.first_year[d] {
                continue;
            }
            let z = row_mut(&mut self.v, d, n);
            let state = row_mut(&mut self.score, d, n);
            if yi + 1 == self.first_year[d] {
                state.copy_from_slice(z);
            } else {
                ar1(state, z, rho);
            }
        }
        for sim in &m.sims {
            if let (Some(d), Some(dist)) = (sim.draw, sim.process.dist()) {
                dist.transform(row_mut(&mut self.v, d, n), false);
            }
        }
        for (s, &hit) in self.shocked.iter().enumerate() {
            if hit {
                row_mut(&mut self.add, s, n).fill(0.0);
            }
        }
        for (k, shock) in m.shocks.iter().enumerate() {
            // Always drawn, so that streams stay aligned whatever the window.
            let row_ctx = sampling::Row {
                seed: self.shock_seed(k),
                chunk: self.chunk,
                year: yi,
                input: m.draw_count + k,
                inputs,
            };
            sampling::fill(
                self.sampling,
                row_ctx,
                &mut self.shock_streams[k],
                &mut self.buf[..n],
                false,
                &mut self.perm,
            );
            if year >= shock.first_year && year <= shock.last_year {
                for r in 0..n {
                    if self.buf[r] < shock.probability {
                        for &(s, e) in &shock.effects {
                            self.add[[s, r]] += e;
                        }
                    }
                }
            }
        }
    }

    fn draw_seed(&self, d: usize) -> u64 {
        self.seeds
            .as_ref()
            .and_then(|s| s.draws.get(d).copied())
            .unwrap_or(self.seed)
    }

    fn shock_seed(&self, k: usize) -> u64 {
        self.seeds
            .as_ref()
            .and_then(|s| s.shocks.get(k).copied())
            .unwrap_or(self.seed)
    }

    /// Simulates runs `chunk·CHUNK .. chunk·CHUNK + n` and adds them to the accumulator.
    pub fn run_chunk(&mut self, seed: u64, chunk: u64, n: usize) {
        let m = self.model;
        // One stream per draw (in draw-index order, keyed by plan indicator) and per shock.
        self.seed = seed;
        self.chunk = chunk;
        let draws: Vec<Stream> = (0..m.draw_count)
            .map(|d| rng::stream(self.draw_seed(d), chunk, self.draw_keys[d]))
            .collect();
        self.draw_streams = draws;
        let shocks: Vec<Stream> = (0..m.shocks.len())
            .map(|k| rng::stream(self.shock_seed(k), chunk, rng::shock_key(k)))
            .collect();
        self.shock_streams = shocks;
        if let Some(det) = &mut self.detail {
            det.reset(n);
        }

        for (s, sim) in m.sims.iter().enumerate() {
            row_mut(&mut self.x, s, n).fill(sim.base);
            row_mut(&mut self.sum, s, n).fill(0.0);
        }
        self.met_all[..n].fill(true);
        self.met_binding[..n].fill(true);
        let years = m.horizon();

        for yi in 1..=years {
            let year = m.plan.base_year + yi as i32;
            self.draw_year(year, n);
            if let Some(det) = &mut self.detail {
                for d in 0..m.draw_count {
                    let v = row(&self.v, d, n);
                    det.inputs[d]
                        .iter_mut()
                        .zip(v)
                        .for_each(|(a, b)| *a += b / years as f64);
                }
            }
            for (s, sim) in m.sims.iter().enumerate() {
                if yi <= sim.known.len() {
                    row_mut(&mut self.x, s, n).fill(sim.known[yi - 1]);
                } else {
                    self.step(s, yi, n);
                }
                if self.needs_sum[s] {
                    let x = row(&self.x, s, n);
                    row_mut(&mut self.sum, s, n)
                        .iter_mut()
                        .zip(x)
                        .for_each(|(a, b)| *a += b);
                }
                let x = row(&self.x, s, n);
                self.fan[s * years + yi - 1].add_slice(x, &mut self.scratch);
            }
            for (k, t) in self.targets.iter().enumerate() {
                if yi < t.offset {
                    self.count_on_track(k, t, yi, years, n);
                }
                if t.offset != yi {
                    continue;
                }
                let from_fan = self.level_from_fan[k];
                let values: &[f64] = if from_fan {
                    row(&self.x, t.sim, n)
                } else {
                    self.eval_metric(t, yi, n);
                    &self.metric[..n]
                };
                let mut hits = 0u64;
                let (lo, hi) = (t.rule.lo, t.rule.hi);
                let binding = !t.binding;
                for ((&v, all), bind) in values
                    .iter()
                    .zip(&mut self.met_all[..n])
                    .zip(&mut self.met_binding[..n])
                {
                    // Rule::met, inlined so the loop has no calls and no branches.
                    let met = v >= lo && v <= hi;
                    hits += met as u64;
                    *all &= met;
                    *bind &= met | binding;
                }
                self.acc.hits[k] += hits;
                // In its own year, on track is met.
                self.acc.on_track[k * years + yi - 1] += hits;
                if let Some(det) = &mut self.detail {
                    det.metric[k].copy_from_slice(values);
                    for (m, &v) in det.met[k].iter_mut().zip(values) {
                        *m = t.rule.met(v);
                    }
                }
                if !from_fan {
                    self.metric_sketch[k].add_slice(values, &mut self.scratch);
                }
            }
        }
        if let Some(det) = &mut self.detail {
            det.all.copy_from_slice(&self.met_all[..n]);
            det.all_binding.copy_from_slice(&self.met_binding[..n]);
        }
        self.acc.runs += n as u64;
        self.acc.all += self.met_all[..n].iter().filter(|&&b| b).count() as u64;
        self.acc.all_binding += self.met_binding[..n].iter().filter(|&&b| b).count() as u64;
    }

    /// Uses a sampling design other than plain Monte Carlo.
    pub fn with_sampling(mut self, sampling: Sampling) -> Self {
        self.sampling = sampling;
        self
    }

    /// Uses other seeds for some inputs' streams.
    pub fn with_seeds(mut self, seeds: StreamSeeds) -> Self {
        self.seeds = Some(seeds);
        self
    }

    /// Records per-run detail of each chunk (see [`Worker::detail`]).
    pub fn recording(mut self) -> Self {
        self.detail = Some(ChunkDetail::new(self.targets.len(), self.model.draw_count));
        self
    }

    /// Per-run detail of the chunk just run, if recording.
    pub fn detail(&self) -> Option<&ChunkDetail> {
        self.detail.as_ref()
    }

    /// Adds the accumulated state of every chunk this worker ran to `shared`, one sketch at a
    /// time, so that no second full accumulator is built: peak memory is the workers' windows plus
    /// one accumulator, whatever the number of workers. Merging is exact and order-free, so the
    /// order in which workers finish does not matter. Level targets' metric sketches are left for
    /// [`Accumulator::fill_level_metrics`] once every worker has finished.
    pub fn finish_into(self, shared: &std::sync::Mutex<Accumulator>) {
        let mut acc = shared.lock().unwrap_or_else(|e| e.into_inner());
        let own = &self.acc;
        acc.runs += own.runs;
        acc.all += own.all;
        acc.all_binding += own.all_binding;
        for (a, b) in acc.hits.iter_mut().zip(&own.hits) {
            *a += b;
        }
        for (a, b) in acc.on_track.iter_mut().zip(&own.on_track) {
            *a += b;
        }
        for (a, d) in acc.fan.iter_mut().zip(self.fan) {
            a.merge(&d.to_sketch());
        }
        for ((a, d), &from_fan) in acc
            .metric
            .iter_mut()
            .zip(self.metric_sketch)
            .zip(&self.level_from_fan)
        {
            if !from_fan {
                a.merge(&d.to_sketch());
            }
        }
    }

    /// The accumulated state of every chunk this worker ran.
    pub fn finish(self) -> Accumulator {
        let mut acc = self.acc;
        acc.fan = self.fan.iter().map(DenseSketch::to_sketch).collect();
        let years = self.model.horizon();
        acc.metric = self
            .metric_sketch
            .iter()
            .zip(self.targets)
            .zip(&self.level_from_fan)
            .map(|((m, t), &from_fan)| {
                if from_fan {
                    acc.fan[t.sim * years + t.offset - 1].clone()
                } else {
                    m.to_sketch()
                }
            })
            .collect();
        acc
    }

    /// Advances indicator `s` by one simulated year (`yi` years after the base year), steered
    /// toward its target's path when the scenario says so (see [`crate::model::steer`]).
    fn step(&mut self, s: usize, yi: usize, n: usize) {
        let sim = &self.model.sims[s];
        // (strength κ, aimed level p_t) when steered.
        let steer = sim
            .steer
            .as_ref()
            .map(|st| (st.setting.strength, st.path[yi - 1]));
        // Unshocked indicators add a row of zeros (+0.0 keeps every sum bit for bit as before),
        // so each loop below is one branch-free pass over slices of equal length.
        let add: &[f64] = if self.shocked[s] {
            row(&self.add, s, n)
        } else {
            &self.zeros[..n]
        };
        match &sim.process {
            Process::Derived { program, .. } => {
                let w = self.x.ncols();
                let xs = self.x.as_slice().unwrap_or(&[]);
                for (r, out) in self.buf[..n].iter_mut().enumerate() {
                    *out = program.eval(|i| xs[i * w + r]);
                }
                row_mut(&mut self.x, s, n).copy_from_slice(&self.buf[..n]);
            }
            Process::Level { dist } => {
                let d = row(&self.v, sim.draw.unwrap_or(0), n);
                let x = row_mut(&mut self.x, s, n);
                let pull = steer.map_or(0.0, |(k, p)| k * (p - dist.mean()));
                for ((x, &d), &a) in x.iter_mut().zip(d).zip(add) {
                    *x = d + a + pull;
                }
            }
            Process::Growth { dist, factor, .. } => {
                let mu = dist.mean();
                let d = row(&self.v, sim.draw.unwrap_or(0), n);
                let x = row_mut(&mut self.x, s, n);
                let one = if *factor { 0.0 } else { 1.0 };
                match steer {
                    None => {
                        for ((x, &d), &a) in x.iter_mut().zip(d).zip(add) {
                            *x *= one + d + a;
                        }
                    }
                    Some((k, p)) => {
                        let expected = one + mu;
                        for ((x, &d), &a) in x.iter_mut().zip(d).zip(add) {
                            let prev = *x;
                            let pull = if prev > 0.0 && p > 0.0 && expected > 0.0 {
                                (k * (p / (prev * expected)).ln()).exp()
                            } else {
                                1.0
                            };
                            *x = prev * (one + d + a) * pull;
                        }
                    }
                }
            }
            Process::Increment { dist, bounds, .. } => {
                let mu = dist.mean();
                let d = row(&self.v, sim.draw.unwrap_or(0), n);
                let x = row_mut(&mut self.x, s, n);
                match steer {
                    None => {
                        for ((x, &d), &a) in x.iter_mut().zip(d).zip(add) {
                            *x = (*x + d + a).clamp(bounds.0, bounds.1);
                        }
                    }
                    Some((k, p)) => {
                        for ((x, &d), &a) in x.iter_mut().zip(d).zip(add) {
                            let pull = k * (p - *x - mu);
                            *x = (*x + d + a + pull).clamp(bounds.0, bounds.1);
                        }
                    }
                }
            }
        }
    }

    /// Counts the runs on or beyond target `k`'s trajectory in year `yi` (before its own year).
    fn count_on_track(&mut self, k: usize, t: &SimTarget, yi: usize, years: usize, n: usize) {
        let rule = t.track.rules[yi - 1];
        let values: &[f64] = match t.track.on {
            TrackOn::Level => row(&self.x, t.sim, n),
            TrackOn::Sum => row(&self.sum, t.sim, n),
            TrackOn::Metric => {
                self.eval_metric(t, yi, n);
                &self.metric[..n]
            }
        };
        let (lo, hi) = (rule.lo, rule.hi);
        self.acc.on_track[k * years + yi - 1] += values
            .iter()
            .map(|&v| (v >= lo && v <= hi) as u64)
            .sum::<u64>();
    }

    /// Computes the target's metric for every run into `self.metric`.
    fn eval_metric(&mut self, t: &SimTarget, yi: usize, n: usize) {
        let m = self.model;
        let xb = m.sims[t.sim].base;
        let inv_years = 1.0 / yi as f64;
        let x = row(&self.x, t.sim, n);
        let out = &mut self.metric[..n];
        match t.metric {
            Metric::Level => out.copy_from_slice(x),
            Metric::Cagr => out
                .iter_mut()
                .zip(x)
                .for_each(|(o, &v)| *o = cagr(v, xb, inv_years)),
            Metric::Change => out.iter_mut().zip(x).for_each(|(o, &v)| *o = v - xb),
            Metric::Sum => out.copy_from_slice(row(&self.sum, t.sim, n)),
            Metric::Reduction => out.iter_mut().zip(x).for_each(|(o, &v)| *o = 1.0 - v / xb),
            Metric::Multiple => out.iter_mut().zip(x).for_each(|(o, &v)| *o = v / xb),
            Metric::CagrGap => {
                let o = t.other.unwrap_or(t.sim);
                let yb = m.sims[o].base;
                let y = row(&self.x, o, n);
                for ((out, &a), &b) in out.iter_mut().zip(x).zip(y) {
                    *out = cagr(a, xb, inv_years) - cagr(b, yb, inv_years);
                }
            }
            Metric::Ratio => {
                let y = row(&self.x, t.other.unwrap_or(t.sim), n);
                for ((out, &a), &b) in out.iter_mut().zip(x).zip(y) {
                    *out = a / b;
                }
            }
            Metric::Qualitative => out.fill(f64::NAN),
        }
    }
}

/// Advances AR(1) normal scores: z ← ρ·z_prev + √(1−ρ²)·ε, with this year's independent (or
/// copula-mixed) scores ε in `z` and last year's in `state`; both end holding the new scores, which
/// are again standard normal.
fn ar1(state: &mut [f64], z: &mut [f64], rho: f64) {
    let innov = (1.0 - rho * rho).sqrt();
    for (s, e) in state.iter_mut().zip(z.iter_mut()) {
        *s = rho * *s + innov * *e;
        *e = *s;
    }
}

/// Compound annual growth from `base` to `v` over 1/`inv_years` years; NaN if not defined.
#[inline]
pub fn cagr(v: f64, base: f64, inv_years: f64) -> f64 {
    let ratio = v / base;
    if ratio >= 0.0 {
        ratio.powf(inv_years) - 1.0
    } else {
        f64::NAN
    }
}
