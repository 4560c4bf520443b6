//! Global (variance-based) sensitivity: first-order and total Sobol indices of each target's
//! met/not-met indicator with respect to each stochastic input, by Saltelli's sampling scheme with
//! Jansen's estimators, and bootstrap intervals.
//!
//! An *input* is one indicator's yearly draws (all years together), one group of indicators that
//! the Gaussian copula correlates, or one shock. Indices of a single correlated indicator are not
//! defined by swapping its stream: the engine draws independent scores and mixes them by the
//! Cholesky factor, so a stream is a Cholesky innovation (whose meaning depends on the draw order)
//! rather than the indicator. Correlated indicators are therefore one input, a block whose streams
//! are swapped together (every connected set of nonzero correlations is one block), named by its
//! members: the indices of independent groups of inputs are well defined (Jacques et al. 2006).
//! The design runs the model on two independent input sets A and B (two seeds) and, for each input
//! i, on AB_i: A with input i's streams taken from B. With Y the met indicator of a target and V its
//! variance:
//!
//! * total effect (Jansen):   S_Ti = (1/2N) Σ (Y_A − Y_ABi)² / V
//! * first order (Jansen):    S_i  = (V − (1/2N) Σ (Y_B − Y_ABi)²) / V
//!
//! All variants run in lockstep on the same chunks (`engine::run_lockstep`), so each chunk yields
//! sums that are added up; intervals come from a bootstrap over chunks (independent blocks of runs),
//! seeded, so the output is deterministic.

use crate::engine::{self, RunOptions, StreamSeeds, Variant, rng::splitmix64};
use crate::error::Result;
use crate::model::Model;
use serde::Serialize;

/// Per-chunk sums for one target: for A and B the counts of Y = 1, and for each input the two
/// Jansen squared-difference counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums {
    pub n: u64,
    pub ya: u64,
    pub yb: u64,
    /// Σ (Y_A − Y_ABi)² per input.
    pub total: Vec<u64>,
    /// Σ (Y_B − Y_ABi)² per input.
    pub first: Vec<u64>,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.n += o.n;
        self.ya += o.ya;
        self.yb += o.yb;
        for (a, b) in self.total.iter_mut().zip(&o.total) {
            *a += b;
        }
        for (a, b) in self.first.iter_mut().zip(&o.first) {
            *a += b;
        }
    }

    /// (first-order, total) indices per input by [`jansen`], with V = p(1 − p) the variance of the
    /// met indicator (p its mean over A and B); NaN when Y does not vary.
    pub fn indices(&self) -> Vec<(f64, f64)> {
        let n = self.n as f64;
        let mean = (self.ya + self.yb) as f64 / (2.0 * n);
        let v = mean * (1.0 - mean);
        self.total
            .iter()
            .zip(&self.first)
            .map(|(&t, &f)| jansen(n, v, t as f64, f as f64))
            .collect()
    }
}

/// Jansen's estimators of one input's (first-order, total) Sobol indices from `n` rows of the
/// Saltelli design: `variance` is V = Var(Y), `total_sq` is Σ (Y_A − Y_ABi)² and `first_sq` is
/// Σ (Y_B − Y_ABi)², so S_Ti = total_sq / 2N / V and S_i = (V − first_sq / 2N) / V. Valid for any
/// real-valued Y ([`Sums::indices`] applies it to the met indicator); NaN when V ≤ 0.
pub fn jansen(n: f64, variance: f64, total_sq: f64, first_sq: f64) -> (f64, f64) {
    let v = variance;
    if v <= 0.0 {
        (f64::NAN, f64::NAN)
    } else {
        ((v - first_sq / (2.0 * n)) / v, total_sq / (2.0 * n) / v)
    }
}

/// One input's indices for one target.
#[derive(Debug, Clone, Serialize)]
pub struct InputIndex {
    pub input: String,
    pub first_order: f64,
    pub first_order_ci: [f64; 2],
    pub total: f64,
    pub total_ci: [f64; 2],
}

/// The indices of one target, inputs sorted by total effect.
#[derive(Debug, Clone, Serialize)]
pub struct TargetIndices {
    pub target: String,
    /// P(met) under design A and B pooled.
    pub p_met: f64,
    pub inputs: Vec<InputIndex>,
}

/// Sobol indices of every simulated target.
#[derive(Debug, Clone, Serialize)]
pub struct SobolIndices {
    pub runs_per_design: u64,
    pub seed: u64,
    pub bootstrap: usize,
    pub estimator: &'static str,
    pub targets: Vec<TargetIndices>,
}

/// One input of the design: the draw indices whose streams are swapped together (one draw, or a
/// correlated block), or one shock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Draws(Vec<usize>),
    Shock(usize),
}

/// The model's stochastic inputs in input order: independent draws and correlated blocks (each at
/// the place of its first draw index), then shocks. A block is a connected set of copula members
/// (nonzero entries of the Cholesky factor link two members; the factor of a block-diagonal
/// correlation matrix has no entries between blocks).
pub fn inputs(model: &Model) -> Vec<Input> {
    let mut group: Vec<usize> = (0..model.draw_count).collect();
    fn root(g: &mut [usize], mut i: usize) -> usize {
        while g[i] != i {
            g[i] = g[g[i]];
            i = g[i];
        }
        i
    }
    if let Some(c) = &model.copula {
        let k = c.members.len();
        for i in 0..k {
            for j in 0..i {
                if c.chol[i * k + j] != 0.0 {
                    let (a, b) = (
                        root(&mut group, c.members[i]),
                        root(&mut group, c.members[j]),
                    );
                    group[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut block_of = vec![usize::MAX; model.draw_count];
    for d in 0..model.draw_count {
        let r = root(&mut group, d);
        if block_of[r] == usize::MAX {
            block_of[r] = blocks.len();
            blocks.push(Vec::new());
        }
        blocks[block_of[r]].push(d);
    }
    blocks
        .into_iter()
        .map(Input::Draws)
        .chain((0..model.shocks.len()).map(Input::Shock))
        .collect()
}

/// Names of the model's stochastic inputs, in [`inputs`] order: an indicator's id, the ids of a
/// correlated block joined by " + " and marked "(correlated)", or "shock: NAME".
pub fn input_names(model: &Model) -> Vec<String> {
    let mut names = vec![String::new(); model.draw_count];
    for sim in &model.sims {
        if let Some(d) = sim.draw {
            names[d] = model.plan.indicators[sim.plan_index].id.clone();
        }
    }
    inputs(model)
        .iter()
        .map(|i| match i {
            Input::Draws(ds) if ds.len() == 1 => names[ds[0]].clone(),
            Input::Draws(ds) => {
                let ids: Vec<&str> = ds.iter().map(|&d| names[d].as_str()).collect();
                format!("{} (correlated)", ids.join(" + "))
            }
            Input::Shock(k) => format!("shock: {}", model.shocks[*k].name),
        })
        .collect()
}

/// Bootstrap resamples for the indices' intervals (`attain sensitivity --method sobol` and the
/// Python package).
pub const BOOTSTRAP: usize = 200;

/// Refuses a target id that is not a simulated target of the model, naming the ones that are;
/// `what` names the option in the message (`--target`, `targets=`).
pub fn check_targets(model: &Model, targets: &[String], what: &str) -> Result<()> {
    let simulated: Vec<&str> = crate::model::simulated_targets(model)
        .iter()
        .map(|t| model.targets[t.target].id.as_str())
        .collect();
    match targets.iter().find(|t| !simulated.contains(&t.as_str())) {
        None => Ok(()),
        Some(bad) => Err(crate::error::Error::usage(
            format!(
                "{what} {bad}: no simulated target of that id in {}",
                model.scenario.path.display()
            ),
            format!("simulated targets: {}", simulated.join(", ")),
        )),
    }
}

/// [`sobol_indices`] of the model's own runs and seed with [`BOOTSTRAP`] resamples, kept to
/// `targets` (every simulated target when empty), checked by [`check_targets`] (`what` naming the
/// option) before anything runs.
pub fn for_targets(
    model: &Model,
    targets: &[String],
    what: &str,
    threads: Option<usize>,
) -> Result<SobolIndices> {
    check_targets(model, targets, what)?;
    let mut idx = sobol_indices(
        model,
        model.scenario.runs,
        model.scenario.seed,
        BOOTSTRAP,
        threads,
    )?;
    if !targets.is_empty() {
        idx.targets.retain(|t| targets.contains(&t.target));
    }
    Ok(idx)
}

/// Runs the Saltelli design with `runs` runs per variant and `bootstrap` resamples.
pub fn sobol_indices(
    model: &Model,
    runs: u64,
    seed: u64,
    bootstrap: usize,
    threads: Option<usize>,
) -> Result<SobolIndices> {
    let (draws, shocks) = (model.draw_count, model.shocks.len());
    let groups = inputs(model);
    let k = groups.len();
    let (sa, sb) = (seed, splitmix64(seed ^ 0xB0B5_EED5_0B01_1D1C));
    let all = |s: u64| StreamSeeds {
        draws: vec![s; draws],
        shocks: vec![s; shocks],
    };
    let a = all(sa);
    let b = all(sb);
    let ab: Vec<StreamSeeds> = groups
        .iter()
        .map(|g| {
            let mut s = all(sa);
            match g {
                Input::Draws(ds) => ds.iter().for_each(|&d| s.draws[d] = sb),
                Input::Shock(k) => s.shocks[*k] = sb,
            }
            s
        })
        .collect();
    let mut variants = vec![
        Variant {
            model,
            seeds: Some(&a),
        },
        Variant {
            model,
            seeds: Some(&b),
        },
    ];
    variants.extend(ab.iter().map(|s| Variant {
        model,
        seeds: Some(s),
    }));
    let targets = crate::model::simulated_targets(model);
    let nt = targets.len();
    let opts = RunOptions {
        runs,
        seed: sa,
        threads,
        shard: None,
        sampling: Default::default(),
    };
    let map = |c: u64, d: &[&engine::ChunkDetail]| -> Vec<(u64, Vec<Sums>)> {
        let per_target = (0..nt)
            .map(|t| {
                let (ya, yb) = (&d[0].met[t], &d[1].met[t]);
                let count = |v: &[bool]| v.iter().filter(|&&x| x).count() as u64;
                let diff =
                    |x: &[bool], y: &[bool]| x.iter().zip(y).filter(|(p, q)| p != q).count() as u64;
                Sums {
                    n: d[0].n as u64,
                    ya: count(ya),
                    yb: count(yb),
                    total: (0..k).map(|i| diff(ya, &d[2 + i].met[t])).collect(),
                    first: (0..k).map(|i| diff(yb, &d[2 + i].met[t])).collect(),
                }
            })
            .collect();
        vec![(c, per_target)]
    };
    let reduce = |mut x: Vec<(u64, Vec<Sums>)>, y: Vec<(u64, Vec<Sums>)>| {
        x.extend(y);
        x
    };
    let (_, mut chunks) = engine::run_lockstep(&variants, &opts, &map, &reduce, &Vec::new)?;
    chunks.sort_by_key(|c| c.0);
    let names = input_names(model);
    let mut out = Vec::new();
    for (t, st) in targets.iter().enumerate() {
        let empty = || Sums {
            total: vec![0; k],
            first: vec![0; k],
            ..Default::default()
        };
        let mut whole = empty();
        for c in &chunks {
            whole.add(&c.1[t]);
        }
        let point = whole.indices();
        // Bootstrap over chunks.
        let mut rng = splitmix64(seed ^ (t as u64).wrapping_mul(0x9E37_79B9));
        let mut samples: Vec<Vec<(f64, f64)>> = Vec::with_capacity(bootstrap);
        for _ in 0..bootstrap {
            let mut s = empty();
            for _ in 0..chunks.len() {
                rng = splitmix64(rng);
                let j = ((rng as u128 * chunks.len() as u128) >> 64) as usize;
                s.add(&chunks[j].1[t]);
            }
            samples.push(s.indices());
        }
        let ci = |i: usize, first: bool| -> [f64; 2] {
            let mut v: Vec<f64> = samples
                .iter()
                .map(|s| if first { s[i].0 } else { s[i].1 })
                .filter(|x| x.is_finite())
                .collect();
            if v.is_empty() {
                return [f64::NAN, f64::NAN];
            }
            v.sort_by(f64::total_cmp);
            let q = |p: f64| v[((p * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
            [q(0.025), q(0.975)]
        };
        let mut inputs: Vec<InputIndex> = (0..k)
            .map(|i| InputIndex {
                input: names[i].clone(),
                first_order: point[i].0,
                first_order_ci: ci(i, true),
                total: point[i].1,
                total_ci: ci(i, false),
            })
            .collect();
        inputs.sort_by(|x, y| y.total.total_cmp(&x.total));
        out.push(TargetIndices {
            target: model.targets[st.target].id.clone(),
            p_met: (whole.ya + whole.yb) as f64 / (2.0 * whole.n.max(1) as f64),
            inputs,
        });
    }
    Ok(SobolIndices {
        runs_per_design: runs,
        seed,
        bootstrap,
        estimator: "Saltelli design, Jansen estimators; 95 % percentile bootstrap over chunks of 4096 runs",
        targets: out,
    })
}
