//! Simulating one chunk of runs: the hot loop.
//!
//! State is struct-of-arrays over the chunk's runs (ndarray rows per indicator), so each year is a
//! handful of tight loops over contiguous memory. Buffers live in the [`Worker`] and are reused for
//! every chunk a thread runs.

use super::SimTarget;
use super::acc::{Accumulator, Layout, Scratch};
use super::rng::{stream, uniform};
use crate::model::{Metric, Model, Process};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

/// Per-thread simulation state.
pub struct Worker<'a> {
    model: &'a Model,
    targets: &'a [SimTarget],
    pub acc: Accumulator,
    /// Current values, sims × runs.
    x: Array2<f64>,
    /// AR(1) deviation of the latest draw from its mean, sims × runs.
    dev: Array2<f64>,
    /// Running sums since the base year, sims × runs.
    sum: Array2<f64>,
    /// Standard normal draws of the current year, draws × runs.
    z: Array2<f64>,
    /// Whether each shock strikes this year, shocks × runs.
    hit: Array2<bool>,
    /// Shock effect added to the current indicator's draw, per run.
    add: Vec<f64>,
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
        Worker {
            model,
            targets,
            acc: Accumulator::new(layout),
            x: Array2::zeros((s, n)),
            dev: Array2::zeros((s, n)),
            sum: Array2::zeros((s, n)),
            z: Array2::zeros((model.draws, n)),
            hit: Array2::from_elem((model.shocks.len(), n), false),
            add: vec![0.0; n],
            metric: vec![0.0; n],
            met_all: vec![true; n],
            met_binding: vec![true; n],
            copula_tmp: vec![0.0; model.copula.as_ref().map_or(0, |c| c.members.len())],
            scratch: Scratch::default(),
        }
    }

    /// Simulates runs `chunk·CHUNK .. chunk·CHUNK + n` and adds them to the accumulator.
    pub fn run_chunk(&mut self, seed: u64, chunk: u64, n: usize) {
        let m = self.model;
        let mut rng = stream(seed, chunk);
        let base_year = m.plan.base_year;
        for (s, sim) in m.sims.iter().enumerate() {
            self.x.row_mut(s).fill(sim.base);
            self.dev.row_mut(s).fill(0.0);
            self.sum.row_mut(s).fill(0.0);
        }
        self.met_all[..n].fill(true);
        self.met_binding[..n].fill(true);

        for yi in 1..=m.horizon() {
            let year = base_year + yi as i32;
            // 1. Normal draws, in draw order, then shocks: always drawn so that streams stay aligned
            //    across scenarios of one plan (common random numbers).
            for d in 0..m.draws {
                let mut row = self.z.row_mut(d);
                for v in row.iter_mut().take(n) {
                    *v = StandardNormal.sample(&mut rng);
                }
            }
            if let Some(c) = &m.copula {
                let k = c.members.len();
                for r in 0..n {
                    for (i, &d) in c.members.iter().enumerate() {
                        self.copula_tmp[i] = self.z[[d, r]];
                    }
                    for (i, &d) in c.members.iter().enumerate() {
                        let row = &c.chol[i * k..i * k + i + 1];
                        self.z[[d, r]] = row.iter().zip(&self.copula_tmp).map(|(l, z)| l * z).sum();
                    }
                }
            }
            for (si, shock) in m.shocks.iter().enumerate() {
                let active = year >= shock.first_year && year <= shock.last_year;
                let mut row = self.hit.row_mut(si);
                for h in row.iter_mut().take(n) {
                    let u = uniform(&mut rng);
                    *h = active && u < shock.probability;
                }
            }

            // 2. Indicators in dependency order.
            for (s, sim) in m.sims.iter().enumerate() {
                if yi <= sim.known.len() {
                    self.x.row_mut(s).fill(sim.known[yi - 1]);
                } else {
                    let first = yi == sim.known.len() + 1;
                    self.step(s, first, n);
                }
                let (x, mut sum) = (self.x.row(s), self.sum.row_mut(s));
                for (a, b) in sum.iter_mut().zip(x.iter()).take(n) {
                    *a += b;
                }
            }

            // 3. Fan sketches.
            let years = m.horizon();
            for s in 0..m.sims.len() {
                let row = self.x.row(s);
                self.acc.fan[s * years + yi - 1].add_all(
                    row.iter().take(n).copied(),
                    &mut self.scratch.keys,
                    &mut self.scratch.bins,
                );
            }

            // 4. Targets judged this year.
            for (k, t) in self.targets.iter().enumerate() {
                if t.offset != yi {
                    continue;
                }
                self.eval_metric(t, yi, n);
                let mut hits = 0u64;
                for r in 0..n {
                    let met = t.rule.met(self.metric[r]);
                    hits += met as u64;
                    self.met_all[r] &= met;
                    if t.binding {
                        self.met_binding[r] &= met;
                    }
                }
                self.acc.hits[k] += hits;
                self.acc.metric[k].add_all(
                    self.metric[..n].iter().copied(),
                    &mut self.scratch.keys,
                    &mut self.scratch.bins,
                );
            }
        }
        self.acc.runs += n as u64;
        self.acc.all += self.met_all[..n].iter().filter(|&&b| b).count() as u64;
        self.acc.all_binding += self.met_binding[..n].iter().filter(|&&b| b).count() as u64;
    }

    /// Advances indicator `s` by one simulated year.
    fn step(&mut self, s: usize, first: bool, n: usize) {
        let m = self.model;
        let sim = &m.sims[s];
        // Shock effects on this indicator.
        self.add[..n].fill(0.0);
        for (si, shock) in m.shocks.iter().enumerate() {
            for &(target, effect) in &shock.effects {
                if target == s {
                    for (a, &h) in self.add.iter_mut().zip(self.hit.row(si).iter()).take(n) {
                        if h {
                            *a += effect;
                        }
                    }
                }
            }
        }
        match &sim.process {
            Process::Derived { program, .. } => {
                for r in 0..n {
                    let v = program.eval(|i| self.x[[i, r]]);
                    self.x[[s, r]] = v;
                }
            }
            Process::Level { dist } => {
                let d = sim.draw.unwrap_or(0);
                for r in 0..n {
                    self.x[[s, r]] = dist.sample_z(self.z[[d, r]]) + self.add[r];
                }
            }
            Process::Growth {
                dist,
                factor,
                persistence,
            } => {
                let d = sim.draw.unwrap_or(0);
                let (mu, rho) = (dist.mean(), *persistence);
                let innov = (1.0 - rho * rho).sqrt();
                for r in 0..n {
                    let e = dist.sample_z(self.z[[d, r]]) - mu;
                    let dev = if first {
                        e
                    } else {
                        rho * self.dev[[s, r]] + innov * e
                    };
                    self.dev[[s, r]] = dev;
                    let g = mu + dev + self.add[r];
                    let x = self.x[[s, r]];
                    self.x[[s, r]] = if *factor { x * g } else { x * (1.0 + g) };
                }
            }
            Process::Increment {
                dist,
                persistence,
                bounds,
            } => {
                let d = sim.draw.unwrap_or(0);
                let (mu, rho) = (dist.mean(), *persistence);
                let innov = (1.0 - rho * rho).sqrt();
                for r in 0..n {
                    let e = dist.sample_z(self.z[[d, r]]) - mu;
                    let dev = if first {
                        e
                    } else {
                        rho * self.dev[[s, r]] + innov * e
                    };
                    self.dev[[s, r]] = dev;
                    let x = self.x[[s, r]] + mu + dev + self.add[r];
                    self.x[[s, r]] = x.clamp(bounds.0, bounds.1);
                }
            }
        }
    }

    /// Computes the target's metric for every run into `self.metric`.
    fn eval_metric(&mut self, t: &SimTarget, yi: usize, n: usize) {
        let m = self.model;
        let xb = m.sims[t.sim].base;
        let inv_years = 1.0 / yi as f64;
        let x = self.x.row(t.sim);
        let out = &mut self.metric[..n];
        match t.metric {
            Metric::Level => out.iter_mut().zip(x.iter()).for_each(|(o, &v)| *o = v),
            Metric::Cagr => out
                .iter_mut()
                .zip(x.iter())
                .for_each(|(o, &v)| *o = cagr(v, xb, inv_years)),
            Metric::Change => out.iter_mut().zip(x.iter()).for_each(|(o, &v)| *o = v - xb),
            Metric::Sum => out
                .iter_mut()
                .zip(self.sum.row(t.sim).iter())
                .for_each(|(o, &v)| *o = v),
            Metric::Reduction => out
                .iter_mut()
                .zip(x.iter())
                .for_each(|(o, &v)| *o = 1.0 - v / xb),
            Metric::Multiple => out.iter_mut().zip(x.iter()).for_each(|(o, &v)| *o = v / xb),
            Metric::CagrGap => {
                let o = t.other.unwrap_or(t.sim);
                let yb = m.sims[o].base;
                let y = self.x.row(o);
                for ((out, &a), &b) in out.iter_mut().zip(x.iter()).zip(y.iter()) {
                    *out = cagr(a, xb, inv_years) - cagr(b, yb, inv_years);
                }
            }
            Metric::Ratio => {
                let y = self.x.row(t.other.unwrap_or(t.sim));
                for ((out, &a), &b) in out.iter_mut().zip(x.iter()).zip(y.iter()) {
                    *out = a / b;
                }
            }
            Metric::Qualitative => out.fill(f64::NAN),
        }
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
