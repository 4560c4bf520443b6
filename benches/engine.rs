//! Benchmarks of the simulation core (criterion), whole and by component:
//!
//! * `draws`: one chunk row (4096) of standard normal scores, of uniforms, and the same row by
//!   Latin hypercube, from the engine's generator;
//! * `transforms`: a row of normal scores through each family's quantile transform;
//! * `sketches`: adding a row to a worker's dense sketch, and the sparse sketch's CDF;
//! * `yearly_loop`: one chunk of 4096 runs of the Zhumadian baseline (draws, transforms, process
//!   steps, sketches, target counting), as a worker runs it;
//! * `zhumadian_baseline_1e5`: the engine at 10⁵ runs on one and two threads, and its random-number
//!   floor (the same variates from the same generator and nothing else).
//!
//! `attain bench` prints the ratio engine/floor and the parallel efficiency for any scenario, and
//! `--format json --baseline FILE` compares them with a committed baseline (docs/performance.md).

use attain::engine::sampling::{self, Sampling};
use attain::engine::sketch::{DenseSketch, Scratch, Sketch};
use attain::engine::{self, RunOptions, chunk, rng};
use attain::model::{Dist, Family};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

const ROW: usize = engine::CHUNK as usize;

fn model() -> attain::model::Model {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = root.join("scenarios/zhumadian-baseline.toml");
    let p = if p.exists() {
        p
    } else {
        root.join("tests/fixtures/example.toml")
    };
    attain::scenario::load_scenario(&p).expect("benchmark scenario loads")
}

fn row_ctx() -> sampling::Row {
    sampling::Row {
        seed: 1,
        chunk: 0,
        year: 0,
        input: 0,
        inputs: 1,
    }
}

fn draws(c: &mut Criterion) {
    let mut g = c.benchmark_group("draws");
    let mut out = vec![0.0; ROW];
    let mut perm = Vec::new();
    let mut s = rng::stream(1, 0, 0);
    g.bench_function("normal_row_mc", |b| {
        b.iter(|| {
            sampling::fill(Sampling::Mc, row_ctx(), &mut s, &mut out, true, &mut perm);
            black_box(&out);
        })
    });
    g.bench_function("uniform_row_mc", |b| {
        b.iter(|| {
            sampling::fill(Sampling::Mc, row_ctx(), &mut s, &mut out, false, &mut perm);
            black_box(&out);
        })
    });
    g.bench_function("normal_row_lhs", |b| {
        b.iter(|| {
            sampling::fill(Sampling::Lhs, row_ctx(), &mut s, &mut out, true, &mut perm);
            black_box(&out);
        })
    });
    g.finish();
}

fn normal_scores() -> Vec<f64> {
    let mut out = vec![0.0; ROW];
    let mut s = rng::stream(2, 0, 0);
    sampling::fill(
        Sampling::Mc,
        row_ctx(),
        &mut s,
        &mut out,
        true,
        &mut Vec::new(),
    );
    out
}

fn transforms(c: &mut Criterion) {
    let mut g = c.benchmark_group("transforms");
    let z = normal_scores();
    let families = [
        ("normal", Family::normal(0.06, 0.01)),
        ("lognormal", Family::lognormal(1.06, 0.02)),
        ("triangular", Family::triangular(0.0, 0.5, 2.0)),
        ("student_t", Family::student_t(0.0, 1.0, 5.0)),
        ("pert", Family::pert(0.0, 0.3, 1.0)),
    ];
    let mut row = vec![0.0; ROW];
    for (name, f) in families {
        let d = Dist::from(f.expect("valid family"));
        g.bench_function(name, |b| {
            b.iter(|| {
                row.copy_from_slice(&z);
                d.transform(&mut row, false);
                black_box(&row);
            })
        });
    }
    g.finish();
}

fn sketches(c: &mut Criterion) {
    let mut g = c.benchmark_group("sketches");
    let v: Vec<f64> = normal_scores().iter().map(|z| 100.0 + 3.0 * z).collect();
    let mut scratch = Scratch::default();
    let mut dense = DenseSketch::new();
    dense.add_slice(&v, &mut scratch);
    g.bench_function("dense_add_row", |b| {
        b.iter(|| dense.add_slice(black_box(&v), &mut scratch))
    });
    let mut sparse = Sketch::new();
    sparse.add_slice(&v, &mut scratch);
    g.bench_function("sparse_add_row", |b| {
        b.iter(|| sparse.add_slice(black_box(&v), &mut scratch))
    });
    g.bench_function("cdf_50_edges", |b| {
        b.iter(|| {
            (0..=50)
                .map(|i| sparse.cdf(black_box(92.0 + 0.32 * i as f64)))
                .sum::<f64>()
        })
    });
    g.finish();
}

fn yearly_loop(c: &mut Criterion) {
    let m = model();
    let targets = attain::model::simulated_targets(&m);
    let lay = engine::layout(&m);
    let mut w = chunk::Worker::new(&m, targets, lay);
    let mut g = c.benchmark_group("yearly_loop");
    g.sample_size(20);
    let mut c_i = 0u64;
    g.bench_function("zhumadian_chunk_4096", |b| {
        b.iter(|| {
            w.run_chunk(1, c_i, ROW);
            c_i += 1;
        })
    });
    g.finish();
}

fn whole(c: &mut Criterion) {
    let m = model();
    let runs = 100_000;
    let mut g = c.benchmark_group("zhumadian_baseline_1e5");
    g.sample_size(10);
    for threads in [1usize, 2] {
        let opts = RunOptions {
            runs,
            seed: 1,
            threads: Some(threads),
            shard: None,
            sampling: Default::default(),
        };
        g.bench_function(format!("engine_{threads}t"), |b| {
            b.iter(|| black_box(engine::run(&m, &opts, &|_| {}).expect("run")))
        });
        g.bench_function(format!("rng_floor_{threads}t"), |b| {
            b.iter(|| black_box(engine::rng_floor(&m, &opts)))
        });
    }
    g.finish();
}

// No plots: criterion's plotting backend needs system fonts, which CI machines may lack.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = draws, transforms, sketches, yearly_loop, whole
}
criterion_main!(benches);
