//! A mergeable, deterministic quantile sketch with bounded relative error.
//!
//! Values are bucketed by the top bits of their IEEE-754 representation (sign, exponent and the
//! first 10 mantissa bits), so a bucket spans at most 2⁻¹⁰ ≈ 0.1 % of its value. Each bucket keeps
//! its count and the exact min and max it has seen. Counts add and min/max combine exactly, so
//! merging is associative and commutative: the result does not depend on how runs were split into
//! chunks, threads or shards. Memory is bounded by the number of distinct buckets (a few thousand
//! for any realistic spread), never by the number of values.

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

/// One bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub key: u32,
    pub count: u64,
    #[serde(with = "f64_bits")]
    pub min: f64,
    #[serde(with = "f64_bits")]
    pub max: f64,
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

/// Reusable buffers for [`Sketch::add_slice`].
#[derive(Debug, Default)]
pub struct Scratch {
    keys: Vec<u64>,
    count: Vec<u64>,
    lo: Vec<u64>,
    hi: Vec<u64>,
    bins: Vec<Bin>,
    out: Vec<Bin>,
}

/// The sketch: buckets sorted by key, plus the count of NaN values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    pub bins: Vec<Bin>,
    pub nan: u64,
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Number of non-NaN values seen.
    pub fn count(&self) -> u64 {
        self.bins.iter().map(|b| b.count).sum()
    }

    /// Adds a batch of values. `scratch` holds reusable buffers, so adding allocates nothing once
    /// the buffers have grown. Buckets are formed by counting when the values span few buckets (the
    /// usual case: one indicator in one year) and by sorting otherwise.
    pub fn add_slice(&mut self, values: &[f64], scratch: &mut Scratch) {
        let Scratch {
            keys,
            count,
            lo,
            hi,
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
            let o = ordered_bits(v);
            let k = (o >> SHIFT) as u32;
            kmin = kmin.min(k);
            kmax = kmax.max(k);
            keys.push(o);
        }
        if keys.is_empty() {
            return;
        }
        bins.clear();
        let range = (kmax - kmin) as usize + 1;
        if range <= 4 * keys.len() + 64 {
            count.clear();
            count.resize(range, 0);
            lo.clear();
            lo.resize(range, u64::MAX);
            hi.clear();
            hi.resize(range, 0);
            for &o in keys.iter() {
                let i = ((o >> SHIFT) as u32 - kmin) as usize;
                count[i] += 1;
                lo[i] = lo[i].min(o);
                hi[i] = hi[i].max(o);
            }
            for i in 0..range {
                if count[i] > 0 {
                    bins.push(Bin {
                        key: kmin + i as u32,
                        count: count[i],
                        min: from_ordered(lo[i]),
                        max: from_ordered(hi[i]),
                    });
                }
            }
        } else {
            keys.sort_unstable();
            let mut i = 0;
            while i < keys.len() {
                let key = (keys[i] >> SHIFT) as u32;
                let mut j = i + 1;
                while j < keys.len() && (keys[j] >> SHIFT) as u32 == key {
                    j += 1;
                }
                bins.push(Bin {
                    key,
                    count: (j - i) as u64,
                    min: from_ordered(keys[i]),
                    max: from_ordered(keys[j - 1]),
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
                    min: if ordered_bits(b[j].min) < ordered_bits(a[i].min) {
                        b[j].min
                    } else {
                        a[i].min
                    },
                    max: if ordered_bits(b[j].max) > ordered_bits(a[i].max) {
                        b[j].max
                    } else {
                        a[i].max
                    },
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
        self.merge_bins(&other.bins, &mut Vec::new());
    }

    /// The q-quantile (0 ≤ q ≤ 1) of the non-NaN values: the value of rank ⌈q·N⌉ (at least 1),
    /// interpolated linearly between the min and max of its bucket by rank. `None` if empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut before = 0u64;
        for b in &self.bins {
            if before + b.count >= rank {
                let j = rank - before; // 1..=count
                if b.count == 1 || b.min == b.max {
                    return Some(b.min);
                }
                let f = (j - 1) as f64 / (b.count - 1) as f64;
                return Some(b.min + (b.max - b.min) * f);
            }
            before += b.count;
        }
        self.bins.last().map(|b| b.max)
    }

    /// Fraction of non-NaN values ≤ x (approximate within a bucket).
    pub fn cdf(&self, x: f64) -> f64 {
        let n = self.count();
        if n == 0 || x.is_nan() {
            return f64::NAN;
        }
        let key = (ordered_bits(x) >> SHIFT) as u32;
        let mut below = 0u64;
        for b in &self.bins {
            if b.key < key || b.max <= x {
                below += b.count;
            } else if b.key == key && b.min <= x {
                let f = if b.max > b.min {
                    (x - b.min) / (b.max - b.min)
                } else {
                    1.0
                };
                below += (f * b.count as f64).round() as u64;
            }
        }
        below as f64 / n as f64
    }
}

/// Largest dense window (in buckets) a [`DenseSketch`] keeps; values beyond it go to a sparse
/// overflow sketch. 2¹⁶ buckets span 64 binades at full resolution.
const MAX_WINDOW: usize = 1 << 16;

/// A worker-local sketch that counts into a dense window of buckets: adding a value is an index
/// and three updates, with no sorting or merging. Converted to a [`Sketch`] (identical to adding
/// the same values there) when the worker finishes.
#[derive(Debug, Clone, Default)]
pub struct DenseSketch {
    base: u32,
    /// Per bucket of the window: [count, min, max] (min and max as order-preserving bits).
    cells: Vec<[u64; 3]>,
    overflow: Sketch,
    nan: u64,
    spill: Vec<f64>,
}

const EMPTY_CELL: [u64; 3] = [0, u64::MAX, 0];

impl DenseSketch {
    pub fn new() -> DenseSketch {
        DenseSketch::default()
    }

    /// Keys covered by the window, if any.
    fn window(&self) -> Option<(u32, u32)> {
        (!self.cells.is_empty()).then(|| (self.base, self.base + self.cells.len() as u32 - 1))
    }

    /// Widens the window to cover keys `kmin..=kmax` (plus slack), keeping existing counts.
    fn grow(&mut self, kmin: u32, kmax: u32) {
        let (lo, hi) = match self.window() {
            Some((a, b)) => (kmin.min(a), kmax.max(b)),
            None => (kmin, kmax),
        };
        let slack = ((hi - lo) / 4).max(16);
        let new_lo = lo.saturating_sub(slack);
        let new_hi = hi.saturating_add(slack).min(u32::MAX >> 10);
        let mut cells = vec![EMPTY_CELL; (new_hi - new_lo) as usize + 1];
        if !self.cells.is_empty() {
            let off = (self.base - new_lo) as usize;
            cells[off..off + self.cells.len()].copy_from_slice(&self.cells);
        }
        self.base = new_lo;
        self.cells = cells;
    }

    /// Adds a batch of values.
    pub fn add_slice(&mut self, values: &[f64], scratch: &mut Scratch) {
        if self.cells.is_empty() {
            let (mut kmin, mut kmax) = (u32::MAX, 0u32);
            for &v in values {
                if !v.is_nan() {
                    let k = (ordered_bits(v) >> SHIFT) as u32;
                    kmin = kmin.min(k);
                    kmax = kmax.max(k);
                }
            }
            if kmin <= kmax && ((kmax - kmin) as usize) < MAX_WINDOW / 2 {
                self.grow(kmin, kmax);
            }
        }
        self.spill.clear();
        let base = self.base;
        for &v in values {
            if v.is_nan() {
                self.nan += 1;
                continue;
            }
            let o = ordered_bits(v);
            let i = ((o >> SHIFT) as u32).wrapping_sub(base) as usize;
            if let Some(c) = self.cells.get_mut(i) {
                c[0] += 1;
                c[1] = c[1].min(o);
                c[2] = c[2].max(o);
            } else {
                self.spill.push(v);
            }
        }
        if !self.spill.is_empty() {
            let (mut kmin, mut kmax) = (u32::MAX, 0u32);
            for &v in &self.spill {
                let k = (ordered_bits(v) >> SHIFT) as u32;
                kmin = kmin.min(k);
                kmax = kmax.max(k);
            }
            let (lo, hi) = self
                .window()
                .map_or((kmin, kmax), |(a, b)| (a.min(kmin), b.max(kmax)));
            if ((hi - lo) as usize) < MAX_WINDOW / 2 {
                self.grow(kmin, kmax);
                let spill = std::mem::take(&mut self.spill);
                self.add_slice(&spill, scratch);
                self.spill = spill;
            } else {
                self.overflow.add_slice(&self.spill, scratch);
            }
        }
    }

    /// The equivalent sparse sketch.
    pub fn to_sketch(&self) -> Sketch {
        let bins = self
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c[0] > 0)
            .map(|(i, c)| Bin {
                key: self.base + i as u32,
                count: c[0],
                min: from_ordered(c[1]),
                max: from_ordered(c[2]),
            })
            .collect();
        let mut s = Sketch {
            bins,
            nan: self.nan,
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
                (got - exact).abs() <= exact.abs() * 2f64.powi(-10) + 1e-12,
                "q={q} got={got} exact={exact}"
            );
        }
        assert_eq!(s.quantile(0.0), Some(values[0]));
        assert_eq!(s.quantile(1.0), Some(*values.last().unwrap()));
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
        // Drifting values (the window must grow), a far outlier (overflow), NaN and a constant.
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
