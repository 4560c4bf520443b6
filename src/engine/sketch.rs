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

    /// Adds a batch of values. `scratch` is reused between calls to avoid allocation.
    pub fn add_all(
        &mut self,
        values: impl IntoIterator<Item = f64>,
        scratch: &mut Vec<u64>,
        merged: &mut Vec<Bin>,
    ) {
        scratch.clear();
        for v in values {
            if v.is_nan() {
                self.nan += 1;
            } else {
                scratch.push(ordered_bits(v));
            }
        }
        if scratch.is_empty() {
            return;
        }
        scratch.sort_unstable();
        // Fast path: one distinct bucket (e.g. a pinned observed year).
        merged.clear();
        let mut i = 0;
        while i < scratch.len() {
            let key = (scratch[i] >> SHIFT) as u32;
            let mut j = i + 1;
            while j < scratch.len() && (scratch[j] >> SHIFT) as u32 == key {
                j += 1;
            }
            merged.push(Bin {
                key,
                count: (j - i) as u64,
                min: from_ordered(scratch[i]),
                max: from_ordered(scratch[j - 1]),
            });
            i = j;
        }
        self.merge_bins(merged);
    }

    /// Merges sorted bins into this sketch.
    fn merge_bins(&mut self, other: &[Bin]) {
        if other.is_empty() {
            return;
        }
        if self.bins.is_empty() {
            self.bins.extend_from_slice(other);
            return;
        }
        let mut out = Vec::with_capacity(self.bins.len() + other.len());
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
        self.bins = out;
    }

    /// Merges another sketch into this one.
    pub fn merge(&mut self, other: &Sketch) {
        self.nan += other.nan;
        self.merge_bins(&other.bins);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(values: &[f64]) -> Sketch {
        let mut s = Sketch::new();
        s.add_all(values.iter().copied(), &mut Vec::new(), &mut Vec::new());
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
