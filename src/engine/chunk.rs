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
use crate::model::formula::{Instr, Program};
use crate::model::track::TrackOn;
use crate::model::{Dist, Metric, Model, Process, SimIndicator};
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

/// Rows of per-run values kept for some of a set of items (say, only for the indicators a shock
/// hits): a dense block with one row per item that has one, and a slot map, so a worker holds
/// and touches rows only for the items that need them.
#[derive(Debug, Clone)]
struct Rows {
    /// Row index of each item, or `usize::MAX` when the item has no row.
    slot: Vec<usize>,
    data: Vec<f64>,
    width: usize,
}

impl Rows {
    /// Rows of `width` values for the items where `has` is true.
    fn new(has: impl Iterator<Item = bool>, width: usize) -> Rows {
        let mut rows = 0;
        let slot = has
            .map(|h| {
                if h {
                    rows += 1;
                    rows - 1
                } else {
                    usize::MAX
                }
            })
            .collect();
        Rows {
            slot,
            data: vec![0.0; rows * width],
            width,
        }
    }

    fn has(&self, item: usize) -> bool {
        self.slot[item] != usize::MAX
    }

    /// The first `n` values of item `item`'s row (which must exist).
    #[inline]
    fn get(&self, item: usize, n: usize) -> &[f64] {
        let i = self.slot[item] * self.width;
        &self.data[i..i + n]
    }

    #[inline]
    fn get_mut(&mut self, item: usize, n: usize) -> &mut [f64] {
        let i = self.slot[item] * self.width;
        &mut self.data[i..i + n]
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

/// The current values of sim `s`: its row of `x` when it persists, else `cur` (valid while `s` is
/// the indicator being stepped and judged).
#[inline]
fn values<'v>(
    x: &'v Array2<f64>,
    cur: &'v [f64],
    persist: &[bool],
    s: usize,
    n: usize,
) -> &'v [f64] {
    if persist[s] { row(x, s, n) } else { &cur[..n] }
}

/// The current values of sim `s` to write this year: [`values`], mutable. A free function over the
/// worker's fields, so a draw row of the same worker can be borrowed beside it.
#[inline]
fn values_mut<'v>(
    x: &'v mut Array2<f64>,
    cur: &'v mut [f64],
    persist: &[bool],
    s: usize,
    n: usize,
) -> &'v mut [f64] {
    if persist[s] {
        row_mut(x, s, n)
    } else {
        &mut cur[..n]
    }
}

/// Which sims keep their values in `x` beyond their own step: growth and increment processes
/// (they read last year's values), formulas and the indicators formulas read, and both sides of
/// the targets judged at the year's end (cagr gaps, ratios).
fn persistent_sims(model: &Model, targets: &[SimTarget]) -> Vec<bool> {
    let mut keep: Vec<bool> = model
        .sims
        .iter()
        .map(|sim| !matches!(sim.process, Process::Level { .. }))
        .collect();
    for sim in &model.sims {
        if let Process::Derived { program, .. } = &sim.process {
            for ins in &program.code {
                if let Instr::Var(i) = *ins
                    && i < keep.len()
                {
                    keep[i] = true;
                }
            }
        }
    }
    for t in targets.iter().filter(|t| !own_indicator_only(t)) {
        keep[t.sim] = true;
        if let Some(o) = t.other {
            keep[o] = true;
        }
    }
    keep
}

/// Per-thread simulation state.
///
/// A year is simulated indicator by indicator: an indicator's draw is generated, transformed,
/// applied, added to its fan sketch and judged by its own targets while its row of 4096 runs is
/// in the core's nearest cache; only copula members are drawn together beforehand, and only
/// targets that compare two indicators wait for the year's end. Every input has its own stream
/// and every count and sketch is fed the same values in the same order as in any other schedule,
/// so the order of this work does not change a bit of the result.
pub struct Worker<'a> {
    model: &'a Model,
    targets: &'a [SimTarget],
    acc: Accumulator,
    /// Worker-local dense versions of `acc.fan` and `acc.metric`.
    fan: Vec<DenseSketch>,
    metric_sketch: Vec<DenseSketch>,
    /// Current values, sims × runs, of the indicators whose values outlive their own step (see
    /// `persist`); the rows of the others are never touched.
    x: Array2<f64>,
    /// Per sim: its values must be kept beyond its own step this year (a growth or increment
    /// process reads last year's, a formula or a target comparing two indicators reads them
    /// later). The others (most `level` processes) are stepped, sketched and judged in `cur`, a
    /// row that stays in the core's cache, instead of a row of `x` that would not.
    persist: Vec<bool>,
    /// The values of the indicator being stepped when it does not persist.
    cur: Vec<f64>,
    /// AR(1) state of each persistent draw: its latest normal score per run.
    score: Rows,
    /// Running sums since the base year of the indicators a target sums.
    sum: Rows,
    /// This year's values of the copula's draws (drawn and mixed together, before the
    /// indicators step).
    corr: Rows,
    /// This year's values of the indicator being stepped, when its draw is not in the copula.
    z: Vec<f64>,
    /// Shock effects added to the draw of each indicator some shock hits, this year.
    add: Rows,
    /// Per draw index: the AR(1) persistence ρ and the first simulated year (1-based years
    /// after the base year) of the process drawing from it.
    rho: Vec<f64>,
    first_year: Vec<usize>,
    /// The distribution of each draw's process.
    draw_dist: Vec<Option<&'a Dist>>,
    /// Per sim: the targets on it judged as soon as it has stepped (their metric and on-track
    /// value depend on this indicator alone).
    own_targets: Vec<Vec<usize>>,
    /// Targets judged once every indicator has stepped (cagr gaps, ratios).
    late_targets: Vec<usize>,
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
    metric: Vec<f64>,
    met_all: Vec<bool>,
    met_binding: Vec<bool>,
    copula_tmp: Vec<f64>,
    scratch: Scratch,
}

/// True when a target's metric and on-track value depend on its own indicator only.
fn own_indicator_only(t: &SimTarget) -> bool {
    !matches!(t.metric, Metric::CagrGap | Metric::Ratio)
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
            if t.metric == Metric::Sum || t.track.on == TrackOn::Sum {
                needs_sum[t.sim] = true;
            }
        }
        let rho = draw_persistence(model);
        let mut in_copula = vec![false; model.draw_count];
        for &d in model.copula.iter().flat_map(|c| &c.members) {
            in_copula[d] = true;
        }
        let mut own_targets = vec![Vec::new(); s];
        let mut late_targets = Vec::new();
        for (k, t) in targets.iter().enumerate() {
            if own_indicator_only(t) {
                own_targets[t.sim].push(k);
            } else {
                late_targets.push(k);
            }
        }
        Worker {
            model,
            targets,
            acc: Accumulator::new(layout),
            fan: vec![DenseSketch::new(); layout.sims * layout.years],
            metric_sketch: vec![DenseSketch::new(); layout.targets],
            x: Array2::zeros((s, n)),
            persist: persistent_sims(model, targets),
            cur: vec![0.0; n],
            score: Rows::new(rho.iter().map(|&r| r != 0.0), n),
            sum: Rows::new(needs_sum.into_iter(), n),
            corr: Rows::new(in_copula.into_iter(), n),
            z: vec![0.0; n],
            add: Rows::new(shocked.into_iter(), n),
            rho,
            first_year: {
                let mut f = vec![1; model.draw_count];
                for sim in &model.sims {
                    if let Some(d) = sim.draw {
                        f[d] = sim.known.len() + 1;
                    }
                }
                f
            },
            draw_dist: {
                let mut dists = vec![None; model.draw_count];
                for sim in &model.sims {
                    if let Some(d) = sim.draw {
                        dists[d] = sim.process.dist();
                    }
                }
                dists
            },
            own_targets,
            late_targets,
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
            level_from_fan: targets
                .iter()
                .map(|t| level_from_fan(t, layout.years))
                .collect(),
            draw_streams: Vec::with_capacity(model.draw_count),
            shock_streams: Vec::with_capacity(model.shocks.len()),
            buf: vec![0.0; n],
            metric: vec![0.0; n],
            met_all: vec![true; n],
            met_binding: vec![true; n],
            copula_tmp: vec![0.0; model.copula.as_ref().map_or(0, |c| c.members.len())],
            scratch: Scratch::default(),
        }
    }

    /// Fills `out` with draw `d`'s normal scores (or design points) for 0-based year `yi`.
    fn fill_scores(&mut self, d: usize, yi: usize, n: usize, out: Out) {
        let m = self.model;
        // A local copy keeps the generator's state in registers in the loop.
        let mut rng = self.draw_streams[d].clone();
        let row_ctx = sampling::Row {
            seed: self.draw_seed(d),
            chunk: self.chunk,
            year: yi,
            input: d,
            inputs: m.draw_count + m.shocks.len(),
        };
        let row = match out {
            Out::Z => &mut self.z[..n],
            Out::Corr => self.corr.get_mut(d, n),
        };
        sampling::fill(self.sampling, row_ctx, &mut rng, row, true, &mut self.perm);
        self.draw_streams[d] = rng;
    }

    /// Turns draw `d`'s scores for 0-based year `yi` into values of its distribution: AR(1)
    /// persistence on the normal score, then the quantile transform, so that the marginal of
    /// every year is the distribution itself (clamp included), whatever ρ.
    fn finish_draw(&mut self, d: usize, dist: Option<&Dist>, yi: usize, n: usize, out: Out) {
        let rho = self.rho[d];
        let first = self.first_year[d];
        let z = match out {
            Out::Z => &mut self.z[..n],
            Out::Corr => self.corr.get_mut(d, n),
        };
        if rho != 0.0 && yi + 1 >= first {
            let state = self.score.get_mut(d, n);
            if yi + 1 == first {
                state.copy_from_slice(z);
            } else {
                ar1(state, z, rho);
            }
        }
        if let Some(dist) = dist {
            dist.transform(z, false);
        }
        if let Some(det) = &mut self.detail {
            let years = self.model.horizon() as f64;
            det.inputs[d]
                .iter_mut()
                .zip(z.iter())
                .for_each(|(a, b)| *a += b / years);
        }
    }

    /// Draws this year's shocks (their effects on each indicator they hit) and the copula's
    /// correlated draws.
    fn draw_shared(&mut self, year: i32, n: usize) {
        let m = self.model;
        let inputs = m.draw_count + m.shocks.len();
        let yi = (year - m.plan.base_year - 1) as usize;
        self.add.data.fill(0.0);
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
                for &(s, e) in &shock.effects {
                    let add = self.add.get_mut(s, n);
                    for (a, &u) in add.iter_mut().zip(&self.buf[..n]) {
                        if u < shock.probability {
                            *a += e;
                        }
                    }
                }
            }
        }
        let Some(c) = &m.copula else { return };
        for &d in &c.members {
            self.fill_scores(d, yi, n, Out::Corr);
        }
        let k = c.members.len();
        let offsets: Vec<usize> = c
            .members
            .iter()
            .map(|&d| self.corr.slot[d] * self.corr.width)
            .collect();
        let v = &mut self.corr.data;
        for r in 0..n {
            for (t, &o) in self.copula_tmp.iter_mut().zip(&offsets) {
                *t = v[o + r];
            }
            for (i, &o) in offsets.iter().enumerate() {
                let l = &c.chol[i * k..i * k + i + 1];
                v[o + r] = l.iter().zip(&self.copula_tmp).map(|(l, z)| l * z).sum();
            }
        }
        for &d in &c.members {
            let dist = self.draw_dist[d];
            self.finish_draw(d, dist, yi, n, Out::Corr);
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
            if self.persist[s] {
                row_mut(&mut self.x, s, n).fill(sim.base);
            }
        }
        self.sum.data.fill(0.0);
        self.met_all[..n].fill(true);
        self.met_binding[..n].fill(true);
        let years = m.horizon();

        for yi in 1..=years {
            let year = m.plan.base_year + yi as i32;
            self.draw_shared(year, n);
            for (s, sim) in m.sims.iter().enumerate() {
                let corr = sim.draw.is_some_and(|d| self.corr.has(d));
                if let Some(d) = sim.draw
                    && !corr
                {
                    self.fill_scores(d, yi - 1, n, Out::Z);
                    self.finish_draw(d, sim.process.dist(), yi - 1, n, Out::Z);
                }
                if yi <= sim.known.len() {
                    values_mut(&mut self.x, &mut self.cur, &self.persist, s, n)
                        .fill(sim.known[yi - 1]);
                } else if let Process::Derived { program, .. } = &sim.process {
                    // Formula processes always persist.
                    derive(program, &self.x, n, &mut self.buf);
                    row_mut(&mut self.x, s, n).copy_from_slice(&self.buf[..n]);
                } else {
                    let d: &[f64] = match sim.draw {
                        Some(d) if corr => self.corr.get(d, n),
                        _ => &self.z[..n],
                    };
                    let add = self.add.has(s).then(|| self.add.get(s, n));
                    let x = values_mut(&mut self.x, &mut self.cur, &self.persist, s, n);
                    step(sim, yi, x, d, add);
                }
                if self.sum.has(s) {
                    let x = values(&self.x, &self.cur, &self.persist, s, n);
                    self.sum
                        .get_mut(s, n)
                        .iter_mut()
                        .zip(x)
                        .for_each(|(a, b)| *a += b);
                }
                let x = values(&self.x, &self.cur, &self.persist, s, n);
                self.fan[s * years + yi - 1].add_slice(x, &mut self.scratch);
                for i in 0..self.own_targets[s].len() {
                    let k = self.own_targets[s][i];
                    self.judge(k, yi, years, n);
                }
            }
            for i in 0..self.late_targets.len() {
                let k = self.late_targets[i];
                self.judge(k, yi, years, n);
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

    /// Judges target `k` in year `yi`: counts the runs on track before its year, and in its year
    /// the runs that meet it, adding its metric to its sketch.
    fn judge(&mut self, k: usize, yi: usize, years: usize, n: usize) {
        let t = &self.targets[k];
        if yi < t.offset {
            self.count_on_track(k, t, yi, years, n);
        }
        if t.offset != yi {
            return;
        }
        let from_fan = self.level_from_fan[k];
        let values: &[f64] = if from_fan {
            values(&self.x, &self.cur, &self.persist, t.sim, n)
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
        // Each window is merged as it is (no sparse copy of it is built) and freed once merged.
        for (a, d) in acc.fan.iter_mut().zip(self.fan) {
            a.merge_dense(&d);
        }
        for ((a, d), &from_fan) in acc
            .metric
            .iter_mut()
            .zip(self.metric_sketch)
            .zip(&self.level_from_fan)
        {
            if !from_fan {
                a.merge_dense(&d);
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

    /// Counts the runs on or beyond target `k`'s trajectory in year `yi` (before its own year).
    fn count_on_track(&mut self, k: usize, t: &SimTarget, yi: usize, years: usize, n: usize) {
        let rule = t.track.rules[yi - 1];
        let values: &[f64] = match t.track.on {
            TrackOn::Level => values(&self.x, &self.cur, &self.persist, t.sim, n),
            TrackOn::Sum => self.sum.get(t.sim, n),
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
        let x = values(&self.x, &self.cur, &self.persist, t.sim, n);
        let out = &mut self.metric[..n];
        match t.metric {
            Metric::Level => out.copy_from_slice(x),
            Metric::Cagr => out
                .iter_mut()
                .zip(x)
                .for_each(|(o, &v)| *o = cagr(v, xb, inv_years)),
            Metric::Change => out.iter_mut().zip(x).for_each(|(o, &v)| *o = v - xb),
            Metric::Sum => out.copy_from_slice(self.sum.get(t.sim, n)),
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

/// Where a draw's row of values lives this year.
#[derive(Debug, Clone, Copy)]
enum Out {
    /// The worker's single row for the indicator being stepped.
    Z,
    /// The draw's row among the copula's correlated draws.
    Corr,
}

/// Evaluates a formula process for every run into `out` from the current values `x_all` (the
/// formula reads only persistent rows; see [`persistent_sims`]).
fn derive(program: &Program, x_all: &Array2<f64>, n: usize, out: &mut [f64]) {
    let w = x_all.ncols();
    let xs = x_all.as_slice().unwrap_or(&[]);
    for (r, out) in out[..n].iter_mut().enumerate() {
        *out = program.eval(|i| xs[i * w + r]);
    }
}

/// `x[r] = f(x[r], d[r], add[r])` for every run, with `add` read as zeros when no shock hits the
/// indicator: `f` receives the constant +0.0 then, which is exactly what a row of zeros gave (the
/// same additions, bit for bit), without reading one.
#[inline(always)]
fn each(x: &mut [f64], d: &[f64], add: Option<&[f64]>, f: impl Fn(f64, f64, f64) -> f64) {
    match add {
        Some(add) => {
            for ((x, &d), &a) in x.iter_mut().zip(d).zip(add) {
                *x = f(*x, d, a);
            }
        }
        None => {
            for (x, &d) in x.iter_mut().zip(d) {
                *x = f(*x, d, 0.0);
            }
        }
    }
}

/// Advances an indicator's values `x` by one simulated year (`yi` years after the base year) from
/// this year's draw `d` and shock effects `add` (none when no shock hits it), steered toward its
/// target's path when the scenario says so (see [`crate::model::steer`]). Formula processes are
/// evaluated by [`derive`].
fn step(sim: &SimIndicator, yi: usize, x: &mut [f64], d: &[f64], add: Option<&[f64]>) {
    // (strength κ, aimed level p_t) when steered.
    let steer = sim
        .steer
        .as_ref()
        .map(|st| (st.setting.strength, st.path[yi - 1]));
    match &sim.process {
        // Formulas are evaluated by `derive` and never reach here.
        Process::Derived { .. } => {}
        Process::Level { dist, bounds } => {
            let pull = steer.map_or(0.0, |(k, p)| k * (p - dist.mean()));
            // Most levels are unbounded and skip the clamp, which would cost them about a tenth.
            if bounds.0 == f64::NEG_INFINITY && bounds.1 == f64::INFINITY {
                each(x, d, add, |_, d, a| d + a + pull);
            } else {
                each(x, d, add, |_, d, a| {
                    (d + a + pull).clamp(bounds.0, bounds.1)
                });
            }
        }
        Process::Growth { dist, factor, .. } => {
            let mu = dist.mean();
            let one = if *factor { 0.0 } else { 1.0 };
            match steer {
                None => each(x, d, add, |x, d, a| x * (one + d + a)),
                Some((k, p)) => {
                    let expected = one + mu;
                    each(x, d, add, |prev, d, a| {
                        let pull = if prev > 0.0 && p > 0.0 && expected > 0.0 {
                            (k * (p / (prev * expected)).ln()).exp()
                        } else {
                            1.0
                        };
                        prev * (one + d + a) * pull
                    });
                }
            }
        }
        Process::Increment { dist, bounds, .. } => {
            let mu = dist.mean();
            match steer {
                None => each(x, d, add, |x, d, a| (x + d + a).clamp(bounds.0, bounds.1)),
                Some((k, p)) => each(x, d, add, |x, d, a| {
                    let pull = k * (p - x - mu);
                    (x + d + a + pull).clamp(bounds.0, bounds.1)
                }),
            }
        }
    }
}
