//! A mergeable, deterministic quantile sketch with bounded relative error.
//!
//! Values are bucketed by the top bits of their IEEE-754 representation (sign, exponent and the
//! first 10 mantissa bits), so a bucket spans at most 2⁻¹⁰ ≈ 0.1 % of its value and its midpoint is
//! within 0.05 % of any value in it. The sketch keeps a count per bucket and the exact minimum and
//! maximum seen; quantiles are bucket midpoints clamped to [min, max], so a constant (a pinned
//! observed year, a deterministic path) is reported exactly. Counts add and min/max combine
//! exactly, so merging is associative and commutative: results do not depend on how runs were split
//! into chunks, threads or shards. Memory is bounded by the number of distinct buckets, never by
//! the number of values.

use serde::{Deserialize, Serialize};

/// Mantissa bits dropped from the order-preserving 64-bit key.
const SHIFT: u32 = 42;

/// Order-preserving map from f64 to u64 (for non-NaN values).
#[inline]
fn ordered_bits(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

#[inline]
fn from_ordered(o: u64) -> f64 {
    f64::from_bits(if o >> 63 == 1 { o & !(1 << 63) } else { !o })
}

#[inline]
fn key_of(v: f64) -> u32 {
    (ordered_bits(v) >> SHIFT) as u32
}

/// The midpoint of a bucket.
#[inline]
fn midpoint(key: u32) -> f64 {
    from_ordered(((key as u64) << SHIFT) | (1 << (SHIFT - 1)))
}

/// One bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bin {
    pub key: u32,
    pub count: u64,
}

/// Serialises f64 as its bit pattern: exact, and valid JSON even for infinities.
mod f64_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(v.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        u64::deserialize(d).map(f64::from_bits)
    }
}

/// The sketch: buckets sorted by key, the count of NaN values, and the exact extremes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    pub bins: Vec<Bin>,
    pub nan: u64,
    #[serde(with = "f64_bits")]
    pub min: f64,
    #[serde(with = "f64_bits")]
    pub max: f64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            bins: Vec::new(),
            nan: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

/// Reusable buffers for [`Sketch::add_slice`].
#[derive(Debug, Default)]
pub struct Scratch {
    keys: Vec<u32>,
    count: Vec<u64>,
    bins: Vec<Bin>,
    out: Vec<Bin>,
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Number of non-NaN values seen.
    pub fn count(&self) -> u64 {
        self.bins.iter().map(|b| b.count).sum()
    }

    /// Adds a batch of values. Buckets are formed by counting when the values span few buckets and
    /// by sorting otherwise; `scratch` is reused so that adding allocates nothing in steady state.
    pub fn add_slice(&mut self, values: &[f64], scratch: &mut Scratch) {
        let Scratch {
            keys,
            count,
            bins,
            out,
        } = scratch;
        keys.clear();
        let (mut kmin, mut kmax) = (u32::MAX, 0u32);
        for &v in values {
            if v.is_nan() {
                self.nan += 1;
                continue;
            }
            self.min = self.min.min(v);
            self.max = self.max.max(v);
            let k = key_of(v);
            kmin = kmin.min(k);
            kmax = kmax.max(k);
            keys.push(k);
        }
        if keys.is_empty() {
            return;
        }
        bins.clear();
        let range = (kmax - kmin) as usize + 1;
        if range <= 4 * keys.len() + 64 {
            count.clear();
            count.resize(range, 0);
            for &k in keys.iter() {
                count[(k - kmin) as usize] += 1;
            }
            bins.extend(
                count
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(i, &c)| Bin {
                        key: kmin + i as u32,
                        count: c,
                    }),
            );
        } else {
            keys.sort_unstable();
            let mut i = 0;
            while i < keys.len() {
                let mut j = i + 1;
                while j < keys.len() && keys[j] == keys[i] {
                    j += 1;
                }
                bins.push(Bin {
                    key: keys[i],
                    count: (j - i) as u64,
                });
                i = j;
            }
        }
        self.merge_bins(bins, out);
    }

    /// Merges sorted bins into this sketch; `out` is a reusable buffer.
    fn merge_bins(&mut self, other: &[Bin], out: &mut Vec<Bin>) {
        if other.is_empty() {
            return;
        }
        if self.bins.is_empty() {
            self.bins.extend_from_slice(other);
            return;
        }
        out.clear();
        let (a, b) = (&self.bins, other);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i].key < b[j].key {
                out.push(a[i]);
                i += 1;
            } else if a[i].key > b[j].key {
                out.push(b[j]);
                j += 1;
            } else {
                out.push(Bin {
                    key: a[i].key,
                    count: a[i].count + b[j].count,
                });
                i += 1;
                j += 1;
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        std::mem::swap(&mut self.bins, out);
    }

    /// Merges another sketch into this one.
    pub fn merge(&mut self, other: &Sketch) {
        self.nan += other.nan;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.merge_bins(&other.bins, &mut Vec::new());
    }

    /// The q-quantile (0 ≤ q ≤ 1) of the non-NaN values: the bucket holding the value of rank
    /// ⌈q·N⌉ (at least 1), as its midpoint clamped to the exact [min, max]. `None` if empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        if rank == 1 {
            return Some(self.min);
        }
        if rank == n {
            return Some(self.max);
        }
        let mut before = 0u64;
        for b in &self.bins {
            before += b.count;
            if before >= rank {
                return Some(midpoint(b.key).clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }

    /// Checks the invariants of a sketch read from outside (a shard file): buckets sorted and
    /// non-empty, extremes consistent with the first and last bucket, at most `runs` values.
    pub fn validate(&self, runs: u64) -> Result<(), String> {
        let mut total = self.nan;
        for w in self.bins.windows(2) {
            if w[0].key >= w[1].key {
                return Err("sketch buckets out of order".into());
            }
        }
        for b in &self.bins {
            if b.count == 0 {
                return Err("an empty sketch bucket".into());
            }
            total = total.saturating_add(b.count);
        }
        if total > runs {
            return Err(format!("a sketch holds {total} values from {runs} runs"));
        }
        match (self.bins.first(), self.bins.last()) {
            (Some(first), Some(last)) => {
                if self.min.is_nan()
                    || self.max.is_nan()
                    || self.min > self.max
                    || key_of(self.min) != first.key
                    || key_of(self.max) != last.key
                {
                    return Err("sketch extremes do not match its buckets".into());
                }
            }
            _ => {
                if self.min != f64::INFINITY || self.max != f64::NEG_INFINITY {
                    return Err("an empty sketch with extremes".into());
                }
            }
        }
        Ok(())
    }

    /// Fraction of non-NaN values ≤ x (the bucket holding x counts half).
    pub fn cdf(&self, x: f64) -> f64 {
        let n = self.count();
        if n == 0 || x.is_nan() {
            return f64::NAN;
        }
        if x < self.min {
            return 0.0;
        }
        if x >= self.max {
            return 1.0;
        }
        let key = key_of(x);
        let below: f64 = self
            .bins
            .iter()
            .map(|b| match b.key.cmp(&key) {
                std::cmp::Ordering::Less => b.count as f64,
                std::cmp::Ordering::Equal => b.count as f64 / 2.0,
                std::cmp::Ordering::Greater => 0.0,
            })
            .sum();
        below / n as f64
    }
}

/// Largest dense window (in buckets) a [`DenseSketch`] keeps; values beyond it go to a sparse
/// overflow sketch. 2¹⁵ buckets span 32 binades at full resolution.
const MAX_WINDOW: usize = 1 << 15;

/// A worker-local sketch that counts into a dense window of buckets: adding a value is a key
/// computation and an increment, with no sorting or merging. The window is sized once, from the
/// first batch's range plus half of it on either side; later values outside it (tails) go to a
/// sparse overflow sketch, so memory does not grow with the number of runs. Converted to a [`Sketch`] (identical
/// to adding the same values there) when the worker finishes.
#[derive(Debug, Clone)]
pub struct DenseSketch {
    base: u32,
    counts: Vec<u64>,
    min: f64,
    max: f64,
    overflow: Sketch,
    nan: u64,
    spill: Vec<f64>,
}

impl Default for DenseSketch {
    fn default() -> Self {
        DenseSketch {
            base: 0,
            counts: Vec::new(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            overflow: Sketch::new(),
            nan: 0,
            spill: Vec::new(),
        }
    }
}

impl DenseSketch {
    pub fn new() -> DenseSketch {
        DenseSketch::default()
    }

    /// Keys covered by the window, if any.
    fn window(&self) -> Option<(u32, u32)> {
        (!self.counts.is_empty()).then(|| (self.base, self.base + self.counts.len() as u32 - 1))
    }

    /// Widens the window to cover keys `kmin..=kmax` (plus slack), keeping existing counts.
    fn grow(&mut self, kmin: u32, kmax: u32) {
        let (lo, hi) = match self.window() {
            Some((a, b)) => (kmin.min(a), kmax.max(b)),
            None => (kmin, kmax),
        };
        let slack = ((hi - lo) / 2).max(16);
        let new_lo = lo.saturating_sub(slack);
        let new_hi = hi
            .saturating_add(slack)
            .min(u32::MAX >> SHIFT.saturating_sub(32));
        let mut counts = vec![0u64; (new_hi - new_lo) as usize + 1];
        if !self.counts.is_empty() {
            let off = (self.base - new_lo) as usize;
            counts[off..off + self.counts.len()].copy_from_slice(&self.counts);
        }
        self.base = new_lo;
        self.counts = counts;
    }

    fn key_range(values: &[f64]) -> Option<(u32, u32)> {
        let (mut kmin, mut kmax) = (u32::MAX, 0u32);
        for &v in values {
            if !v.is_nan() {
                let k = key_of(v);
                kmin = kmin.min(k);
                kmax = kmax.max(k);
            }
        }
        (kmin <= kmax).then_some((kmin, kmax))
    }

    /// Adds a batch of values.
    pub fn add_slice(&mut self, values: &[f64], scratch: &mut Scratch) {
        if self.counts.is_empty()
            && let Some((kmin, kmax)) = Self::key_range(values)
            && ((kmax - kmin) as usize) < MAX_WINDOW / 2
        {
            self.grow(kmin, kmax);
        }
        self.spill.clear();
        let base = self.base;
        let (mut lo, mut hi) = (self.min, self.max);
        for &v in values {
            if v.is_nan() {
                self.nan += 1;
                continue;
            }
            let i = key_of(v).wrapping_sub(base) as usize;
            if let Some(c) = self.counts.get_mut(i) {
                *c += 1;
                lo = lo.min(v);
                hi = hi.max(v);
            } else {
                self.spill.push(v);
            }
        }
        self.min = lo;
        self.max = hi;
        if !self.spill.is_empty() {
            // Values outside the window (rare tails, once the first batch has sized it) go to the
            // sparse overflow, so the window's memory is fixed after the first batch.
            self.overflow.add_slice(&self.spill, scratch);
        }
    }

    /// The equivalent sparse sketch.
    pub fn to_sketch(&self) -> Sketch {
        let bins = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, &c)| Bin {
                key: self.base + i as u32,
                count: c,
            })
            .collect();
        let mut s = Sketch {
            bins,
            nan: self.nan,
            min: self.min,
            max: self.max,
        };
        s.merge(&self.overflow);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(values: &[f64]) -> Sketch {
        let mut s = Sketch::new();
        s.add_slice(values, &mut Scratch::default());
        s
    }

    #[test]
    fn quantiles_are_within_relative_error() {
        let values: Vec<f64> = (1..=10_000).map(|i| i as f64 * 0.37 - 500.0).collect();
        let s = sketch(&values);
        for &q in &[0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = values[((q * values.len() as f64).ceil() as usize).max(1) - 1];
            let got = s.quantile(q).unwrap();
            assert!(
                (got - exact).abs() <= exact.abs() * 2f64.powi(-11) + 1e-12,
                "q={q} got={got} exact={exact}"
            );
        }
        assert_eq!(s.quantile(0.0), Some(values[0]));
        assert_eq!(s.quantile(1.0), Some(*values.last().unwrap()));
        assert!((s.cdf(0.0) - 500.0 / 3700.0).abs() < 2e-3);
    }

    #[test]
    fn merge_is_split_invariant() {
        let values: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 1013) as f64 / 3.0 - 100.0)
            .collect();
        let whole = sketch(&values);
        let mut parts = sketch(&values[3000..]);
        parts.merge(&sketch(&values[..1200]));
        parts.merge(&sketch(&values[1200..3000]));
        assert_eq!(whole, parts);
    }

    #[test]
    fn counting_and_sorting_paths_agree() {
        // Widely spread values take the sorting path; the result must not depend on the path.
        let wide: Vec<f64> = (0..3000)
            .map(|i| {
                if i % 2 == 0 {
                    (i as f64).exp2().min(1e300)
                } else {
                    -(i as f64) * 1e-200
                }
            })
            .collect();
        let mut one = Sketch::new();
        let mut scratch = Scratch::default();
        for c in wide.chunks(7) {
            one.add_slice(c, &mut scratch);
        }
        assert_eq!(one, sketch(&wide));
        assert_eq!(one.count(), 3000);
    }

    #[test]
    fn dense_sketch_equals_sparse() {
        let mut scratch = Scratch::default();
        // Drifting values (the window must grow), far outliers (overflow), NaN and a constant.
        let values: Vec<f64> = (0..20_000)
            .map(|i| 100.0 * (1.0 + i as f64 * 1e-4) + ((i * 37) % 101) as f64)
            .chain([1e-280, -5e300, f64::NAN, 3.0])
            .collect();
        let mut dense = DenseSketch::new();
        for c in values.chunks(4096) {
            dense.add_slice(c, &mut scratch);
        }
        assert_eq!(dense.to_sketch(), sketch(&values));
    }

    #[test]
    fn constants_are_exact_and_nan_is_counted() {
        let s = sketch(&[3082.8, 3082.8, f64::NAN]);
        assert_eq!(s.quantile(0.5), Some(3082.8));
        assert_eq!(s.nan, 1);
        assert_eq!(s.count(), 2);
        assert!(Sketch::new().quantile(0.5).is_none());
    }

    #[test]
    fn ordering_covers_signs() {
        let vals = [-1e300, -2.5, -0.0, 0.0, 1e-300, 3.0, f64::INFINITY];
        for w in vals.windows(2) {
            assert!(ordered_bits(w[0]) <= ordered_bits(w[1]));
            assert_eq!(from_ordered(ordered_bits(w[0])).to_bits(), w[0].to_bits());
        }
    }
}
