//! Benchmarks of the simulation core (criterion):
//! (a) the engine on the Zhumadian 14th-FYP baseline at 10⁵ runs, single- and all-thread;
//! (b) the random-number floor: the same variates from the same generator and nothing else.
//! The ratio engine/floor and the parallel efficiency are printed by `attain bench` too.

use attain::engine::{self, RunOptions};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

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

fn bench(c: &mut Criterion) {
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

criterion_group!(benches, bench);
criterion_main!(benches);
