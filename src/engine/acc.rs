//! Streaming, mergeable accumulators: everything the engine keeps about the runs.
//!
//! Only integer counts and quantile sketches, so merging is exact and order-free: a result is the
//! same whether its chunks ran on one thread, eight, or on seven machines merged afterwards.

use super::sampling::Sampling;
use super::sketch::Sketch;
use serde::{Deserialize, Serialize};

/// The layout an accumulator is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub targets: usize,
    pub sims: usize,
    pub years: usize,
}

/// Accumulated state over any set of runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accumulator {
    pub runs: u64,
    /// Per simulated target: runs that met it.
    pub hits: Vec<u64>,
    /// Runs that met every simulated binding target (all runs if there is none).
    pub all_binding: u64,
    /// Runs that met every simulated target.
    pub all: u64,
    /// Per simulated target: the metric's distribution.
    pub metric: Vec<Sketch>,
    /// Per simulated indicator and year after the base year (sim-major): the value's distribution.
    pub fan: Vec<Sketch>,
    /// Per simulated target and year after the base year (target-major, `years` per target):
    /// runs on or beyond the target's trajectory that year (zero after the target's year).
    pub on_track: Vec<u64>,
    /// The sampling design the runs were drawn with (set by the engine; merged parts agree).
    #[serde(default)]
    pub sampling: Sampling,
}

impl Accumulator {
    pub fn new(l: Layout) -> Accumulator {
        Accumulator {
            runs: 0,
            hits: vec![0; l.targets],
            all_binding: 0,
            all: 0,
            metric: vec![Sketch::new(); l.targets],
            fan: vec![Sketch::new(); l.sims * l.years],
            on_track: vec![0; l.targets * l.years],
            sampling: Sampling::default(),
        }
    }

    /// Adds another accumulator of the same layout.
    pub fn merge(&mut self, o: &Accumulator) {
        if self.runs == 0 {
            self.sampling = o.sampling;
        }
        self.runs += o.runs;
        self.all_binding += o.all_binding;
        self.all += o.all;
        for (a, b) in self.hits.iter_mut().zip(&o.hits) {
            *a += b;
        }
        for (a, b) in self.on_track.iter_mut().zip(&o.on_track) {
            *a += b;
        }
        for (a, b) in self.metric.iter_mut().zip(&o.metric) {
            a.merge(b);
        }
        for (a, b) in self.fan.iter_mut().zip(&o.fan) {
            a.merge(b);
        }
    }

    /// Sets the metric sketch of every target whose metric is its indicator's level in a simulated
    /// year to that year's fan sketch (the same values), after workers merged with
    /// [`super::chunk::Worker::finish_into`].
    pub fn fill_level_metrics(&mut self, targets: &[crate::model::SimTarget], years: usize) {
        for (k, t) in targets.iter().enumerate() {
            if super::chunk::level_from_fan(t, years) {
                self.metric[k] = self.fan[t.sim * years + t.offset - 1].clone();
            }
        }
    }

    /// True when the shapes agree (for merging parts read from files).
    pub fn fits(&self, l: Layout) -> bool {
        self.hits.len() == l.targets
            && self.metric.len() == l.targets
            && self.fan.len() == l.sims * l.years
            && self.on_track.len() == l.targets * l.years
    }
}
