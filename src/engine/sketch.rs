//! A mergeable, deterministic quantile sketch with bounded relative error.
//!
//! Values are bucketed by the top bits of their IEEE-754 representation (sign, exponent and the
//! first 12 mantissa bits), so a bucket spans at most 2⁻¹² ≈ 0.024 % of its value and its midpoint
//! is within 0.012 % of any value in it: a quantity of mean 0.95 and sd 0.003 (a coefficient of
//! variation of 0.3 %) spreads over about 25 buckets per sd. The sketch keeps a count per bucket,
//! the exact minimum and maximum seen and how many values equal each: clamp bounds and observed
//! constants are atoms at the extremes, and their mass is reported exactly by the CDF and the
//! quantiles. Quantiles are bucket midpoints clamped to [min, max]; the CDF interpolates linearly
//! within the bucket holding x (the values of a bucket are taken as spread evenly over it), so a
//! histogram drawn from the sketch with bins narrower than a bucket has no empty interior bins.
//! Counts add and extremes combine exactly, so merging is associative and commutative: results do
//! not depend on how runs were split into chunks, threads or shards. Memory is bounded by the number
//! of distinct buckets, never by the number of values.

use serde::{Deserialize, Serialize};

/// Mantissa bits dropped from the order-preserving 64-bit key (64 − 1 sign − 11 exponent − 12
/// kept mantissa bits).
const SHIFT: u32 = 40;

/// The largest key (of +∞); NaN keys lie beyond ±∞'s.
const MAX_KEY: u32 = (u64::MAX >> SHIFT) as u32;

/// Order-preserving map from f64 to u64 (for non-NaN values).
#[inline]
fn ordered_bits(v: f64) -> u64 {
    let b = v.to_bits();
    // Negative: flip all bits; positive: set the sign bit. Branch-free.
    let mask = ((b as i64) >> 63) as u64 | (1 << 63);
    b ^ mask
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

/// The smallest value of a bucket (its lower edge); the next bucket's lower edge is its upper one.
#[inline]
fn lower_edge(key: u32) -> f64 {
    from_ordered((key as u64) << SHIFT)
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

/// Serialises buckets compactly as one flat array: the first key and count, then for each further
/// bucket the key's increase over the previous one and its count (part files hold thousands of
/// buckets per sketch; this is a quarter of the size of one object per bucket).
mod bins_compact {
    use super::Bin;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bins: &[Bin], s: S) -> Result<S::Ok, S::Error> {
        let mut flat = Vec::with_capacity(2 * bins.len());
        let mut prev = 0u32;
        for (i, b) in bins.iter().enumerate() {
            flat.push(if i == 0 {
                b.key
            } else {
                b.key.wrapping_sub(prev)
            } as u64);
            flat.push(b.count);
            prev = b.key;
        }
        s.collect_seq(flat)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Bin>, D::Error> {
        let flat = Vec::<u64>::deserialize(d)?;
        if flat.len() % 2 != 0 {
            return Err(D::Error::custom("sketch buckets: an odd number of entries"));
        }
        let mut bins = Vec::with_capacity(flat.len() / 2);
        let mut key = 0u64;
        for (i, pair) in flat.chunks_exact(2).enumerate() {
            key = if i == 0 { pair[0] } else { key + pair[0] };
            if key > u32::MAX as u64 || (i > 0 && pair[0] == 0) {
                return Err(D::Error::custom(
                    "sketch buckets: keys out of order or range",
                ));
            }
            bins.push(Bin {
                key: key as u32,
                count: pair[1],
            });
        }
        Ok(bins)
    }
}

/// The exact extremes of a set of values and how many values equal each.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Extremes {
    min: f64,
    at_min: u64,
    max: f64,
    at_max: u64,
}

impl Extremes {
    const EMPTY: Extremes = Extremes {
        min: f64::INFINITY,
        at_min: 0,
        max: f64::NEG_INFINITY,
        at_max: 0,
    };

    /// Combines two sets' extremes (exact, associative and commutative).
    #[inline]
    fn combine(self, o: Extremes) -> Extremes {
        let (min, at_min) = if o.min < self.min {
            (o.min, o.at_min)
        } else if o.min == self.min {
            (self.min, self.at_min + o.at_min)
        } else {
            (self.min, self.at_min)
        };
        let (max, at_max) = if o.max > self.max {
            (o.max, o.at_max)
        } else if o.max == self.max {
            (self.max, self.at_max + o.at_max)
        } else {
            (self.max, self.at_max)
        };
        Extremes {
            min,
            at_min,
            max,
            at_max,
        }
    }

    /// The smallest and largest of `values`, NaN ignored (+∞ and −∞ when there is none).
    fn range(values: &[f64]) -> (f64, f64) {
        // Four lanes so the comparisons pipeline; NaN compares false and is skipped.
        let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
        let mut it = values.chunks_exact(4);
        for c in &mut it {
            for i in 0..4 {
                lo[i] = if c[i] < lo[i] { c[i] } else { lo[i] };
                hi[i] = if c[i] > hi[i] { c[i] } else { hi[i] };
            }
        }
        for &v in it.remainder() {
            lo[0] = if v < lo[0] { v } else { lo[0] };
            hi[0] = if v > hi[0] { v } else { hi[0] };
        }
        let lo = lo.into_iter().fold(f64::INFINITY, f64::min);
        let hi = hi.into_iter().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    }

    /// The extremes of `values` (NaN ignored), folded into `self`.
    fn add(self, values: &[f64]) -> Extremes {
        let (lo, hi) = Self::range(values);
        self.add_range(values, lo, hi)
    }

    /// [`Extremes::add`] given the values' [`Extremes::range`]. The counting pass runs only when
    /// the batch reaches `self`'s extremes (ties or new extremes), which after the first batches
    /// is rare unless an extreme is an atom.
    fn add_range(self, values: &[f64], lo: f64, hi: f64) -> Extremes {
        if lo > hi {
            return self;
        }
        let need_lo = lo <= self.min;
        let need_hi = hi >= self.max;
        let (mut at_lo, mut at_hi) = (0u64, 0u64);
        if need_lo || need_hi {
            for &v in values {
                at_lo += (v == lo) as u64;
                at_hi += (v == hi) as u64;
            }
        }
        self.combine(Extremes {
            min: lo,
            at_min: at_lo,
            max: hi,
            at_max: at_hi,
        })
    }
}

/// The sketch: buckets sorted by key, the count of NaN values, and the exact extremes with the
/// number of values equal to each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    #[serde(with = "bins_compact")]
    pub bins: Vec<Bin>,
    pub nan: u64,
    #[serde(with = "f64_bits")]
    pub min: f64,
    #[serde(with = "f64_bits")]
    pub max: f64,
    /// Values equal to `min`.
    pub at_min: u64,
    /// Values equal to `max`.
    pub at_max: u64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            bins: Vec::new(),
            nan: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            at_min: 0,
            at_max: 0,
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

    fn extremes(&self) -> Extremes {
        Extremes {
            min: self.min,
            at_min: self.at_min,
            max: self.max,
            at_max: self.at_max,
        }
    }

    fn set_extremes(&mut self, e: Extremes) {
        self.min = e.min;
        self.at_min = e.at_min;
        self.max = e.max;
        self.at_max = e.at_max;
    }

    /// Number of non-NaN values seen.
    pub fn count(&self) -> u64 {
        self.bins.iter().map(|b| b.count).sum()
    }

    /// Adds a batch of values. Buckets are formed by counting when the values span few buckets and
    /// by sorting otherwise; `scratch` is reused so that adding allocates nothing in steady state.
    pub fn add_slice(&mut self, values: &[f64], scratch: &mut Scratch) {
        let e = self.extremes().add(values);
        self.set_extremes(e);
        self.add_bins_only(values, scratch);
    }

    /// Adds the values' buckets and NaN count, leaving the extremes alone.
    fn add_bins_only(&mut self, values: &[f64], scratch: &mut Scratch) {
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
        // Copied back rather than swapped: `out` is scratch shared by many sketches, and swapping
        // would hand each sketch the capacity of the largest one merged before it, so memory would
        // grow with the largest sketch times the number of sketches.
        // Grown to the exact size, not by doubling: the accumulator that workers and shards merge
        // into holds millions of buckets, and doubling would add up to as many again.
        self.bins.clear();
        self.bins.reserve_exact(out.len());
        self.bins.extend_from_slice(out);
    }

    /// Merges another sketch into this one.
    pub fn merge(&mut self, other: &Sketch) {
        self.nan += other.nan;
        let e = self.extremes().combine(other.extremes());
        self.set_extremes(e);
        self.merge_bins(&other.bins, &mut Vec::new());
    }

    /// The q-quantile (0 ≤ q ≤ 1) of the non-NaN values: the value of rank ⌈q·N⌉ (at least 1).
    /// Ranks among the values equal to the minimum or maximum give that extreme exactly; other
    /// ranks give the midpoint of the bucket holding them, clamped to [min, max]. `None` if empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        if rank <= self.at_min.max(1) {
            return Some(self.min);
        }
        if rank > n - self.at_max.min(n - 1) {
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
    /// non-empty, extremes consistent with the first and last bucket and their counts, at most
    /// `runs` values.
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
                let single = self.min == self.max;
                if self.at_min == 0
                    || self.at_max == 0
                    || self.at_min > first.count
                    || self.at_max > last.count
                    || (single && self.at_min != self.at_max)
                    || (!single && first.key == last.key && self.at_min + self.at_max > first.count)
                {
                    return Err("sketch extreme counts do not match its buckets".into());
                }
            }
            _ => {
                if self.min != f64::INFINITY
                    || self.max != f64::NEG_INFINITY
                    || self.at_min != 0
                    || self.at_max != 0
                {
                    return Err("an empty sketch with extremes".into());
                }
            }
        }
        Ok(())
    }

    /// Fraction of non-NaN values ≤ x. Values equal to the minimum or the maximum count exactly
    /// (they are atoms: clamp bounds, constants); the other values of the bucket holding x count in
    /// proportion to where x lies in the bucket (its range cut to [min, max]).
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
        let (first, last) = (key_of(self.min), key_of(self.max));
        let mut below = 0u64;
        let mut within = 0u64;
        for b in &self.bins {
            match b.key.cmp(&key) {
                std::cmp::Ordering::Less => below += b.count,
                std::cmp::Ordering::Equal => within = b.count,
                std::cmp::Ordering::Greater => break,
            }
        }
        // Atoms of the bucket: the minimum's values lie at or below x, the maximum's above it.
        let mut atoms_below = 0;
        if key == first {
            atoms_below = self.at_min;
            within -= self.at_min.min(within);
        }
        if key == last {
            within -= self.at_max.min(within);
        }
        let lo = lower_edge(key).max(self.min);
        let hi = if key == MAX_KEY {
            self.max
        } else {
            lower_edge(key + 1).min(self.max)
        };
        let frac = if hi > lo {
            ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        (below + atoms_below) as f64 / n as f64 + within as f64 * frac / n as f64
    }
}

/// Largest dense window (in buckets) a [`DenseSketch`] keeps; values beyond it go to a sparse
/// overflow sketch. 2¹⁵ buckets span 8 binades at full resolution.
const MAX_WINDOW: usize = 1 << 15;

/// A worker-local sketch that counts into a dense window of buckets: adding a value is a key
/// computation and an increment, with no sorting or merging. The window is sized once, from the
/// first batch's range plus half of it on either side; later values outside it (tails) go to a
/// sparse overflow sketch, so memory does not grow with the number of runs. Counts are 16-bit,
/// so that a worker's hundreds of windows stay in the nearer caches (the increments' cache misses,
/// not the arithmetic, are what adding costs); each time a bucket's count wraps past 65 535, the
/// bucket gains a multiple of 65 536 in a short sorted list, which only the busiest buckets ever
/// enter. Converted to a [`Sketch`] (identical to adding the same values there) when the worker
/// finishes.
#[derive(Debug, Clone)]
pub struct DenseSketch {
    base: u32,
    counts: Vec<u16>,
    /// (window index, times its 16-bit count wrapped), sorted by index.
    high: Vec<(u32, u64)>,
    /// Window indices whose count wrapped in the current batch.
    wrapped: Vec<u32>,
    extremes: Extremes,
    overflow: Sketch,
    spill: Vec<f64>,
}

impl Default for DenseSketch {
    fn default() -> Self {
        DenseSketch {
            base: 0,
            counts: Vec::new(),
            high: Vec::new(),
            wrapped: Vec::new(),
            extremes: Extremes::EMPTY,
            overflow: Sketch::new(),
            spill: Vec::new(),
        }
    }
}

impl DenseSketch {
    pub fn new() -> DenseSketch {
        DenseSketch::default()
    }

    /// Sizes the window to cover keys `kmin..=kmax` plus slack, within the keys of ±∞ (so NaN,
    /// whose keys lie beyond, always spills).
    fn size(&mut self, kmin: u32, kmax: u32) {
        let slack = ((kmax - kmin) / 2).max(16);
        let lo = kmin.saturating_sub(slack).max(key_of(f64::NEG_INFINITY));
        let hi = kmax.saturating_add(slack).min(key_of(f64::INFINITY));
        self.base = lo;
        self.counts = vec![0u16; (hi - lo) as usize + 1];
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

    /// The window's buckets: each 16-bit count plus 65 536 for every time it wrapped.
    fn dense_bins(&self) -> impl Iterator<Item = Bin> + '_ {
        let mut high = self.high.iter().peekable();
        self.counts.iter().enumerate().filter_map(move |(i, &c)| {
            let wraps = match high.peek() {
                Some(&&(j, w)) if j as usize == i => {
                    high.next();
                    w
                }
                _ => 0,
            };
            let count = c as u64 + (wraps << 16);
            (count > 0).then_some(Bin {
                key: self.base + i as u32,
                count,
            })
        })
    }

    /// Records the wraps of the batch just counted in `high`.
    fn carry_wraps(&mut self) {
        for &i in &self.wrapped {
            match self.high.binary_search_by_key(&i, |&(j, _)| j) {
                Ok(at) => self.high[at].1 += 1,
                Err(at) => self.high.insert(at, (i, 1)),
            }
        }
        self.wrapped.clear();
    }

    /// Adds a batch of values.
    pub fn add_slice(&mut self, values: &[f64], scratch: &mut Scratch) {
        if self.counts.is_empty()
            && let Some((kmin, kmax)) = Self::key_range(values)
            && ((kmax - kmin) as usize) < MAX_WINDOW / 2
        {
            self.size(kmin, kmax);
        }
        let (lo, hi) = Extremes::range(values);
        self.extremes = self.extremes.add_range(values, lo, hi);
        let base = self.base;
        let counts = &mut self.counts[..];
        let wrapped = &mut self.wrapped;
        // Values outside the window (rare tails once the first batch has sized it, and NaN) are
        // only counted here and go to the sparse overflow in a second pass, so the counting loop
        // is a key computation and an increment. When every value is positive, the key is the
        // top bits of the value itself (the order-preserving map only sets the sign bit).
        let mut outside = 0usize;
        if lo > 0.0 {
            let shift = (base as usize).wrapping_sub(1 << (63 - SHIFT));
            for &v in values {
                let i = ((v.to_bits() >> SHIFT) as usize).wrapping_sub(shift);
                match counts.get_mut(i) {
                    Some(c) => {
                        *c = c.wrapping_add(1);
                        if *c == 0 {
                            wrapped.push(i as u32);
                        }
                    }
                    None => outside += 1,
                }
            }
        } else {
            for &v in values {
                let i = key_of(v).wrapping_sub(base) as usize;
                match counts.get_mut(i) {
                    Some(c) => {
                        *c = c.wrapping_add(1);
                        if *c == 0 {
                            wrapped.push(i as u32);
                        }
                    }
                    None => outside += 1,
                }
            }
        }
        let len = counts.len();
        if !self.wrapped.is_empty() {
            self.carry_wraps();
        }
        if outside > 0 {
            self.spill.clear();
            self.spill.extend(
                values
                    .iter()
                    .filter(|&&v| key_of(v).wrapping_sub(base) as usize >= len),
            );
            self.overflow.add_bins_only(&self.spill, scratch);
        }
    }

    /// The equivalent sparse sketch.
    pub fn to_sketch(&self) -> Sketch {
        let mut s = Sketch {
            bins: self.dense_bins().collect(),
            ..Sketch::new()
        };
        s.merge(&self.overflow);
        s.set_extremes(self.extremes);
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
    fn cdf_counts_atoms_at_the_extremes_exactly() {
        // A clamp bound holding 60 % of the runs at the minimum, the rest spread above it.
        let mut v = vec![0.0; 600];
        v.extend((1..=400).map(|i| i as f64 / 400.0));
        let s = sketch(&v);
        assert_eq!(s.at_min, 600);
        assert_eq!(s.cdf(0.0), 0.6);
        assert_eq!(s.quantile(0.5), Some(0.0));
        // An upper bound holding 30 %: everything below it is < 0.7 of the runs.
        let mut w: Vec<f64> = (0..700).map(|i| 0.9 + i as f64 * 1e-5).collect();
        w.extend([0.96; 300]);
        let s = sketch(&w);
        assert_eq!(s.at_max, 300);
        assert!(
            s.cdf(0.96 - 1e-12) <= 0.7 + 1e-12,
            "{}",
            s.cdf(0.96 - 1e-12)
        );
        assert_eq!(s.cdf(0.96), 1.0);
        assert_eq!(s.quantile(0.8), Some(0.96));
        // Extremes merge exactly.
        let mut a = sketch(&w[..500]);
        a.merge(&sketch(&w[500..]));
        assert_eq!(a, s);
    }

    #[test]
    fn cdf_interpolates_within_a_bucket() {
        // Values spread evenly over a range narrower than a few buckets: the CDF at the middle of
        // the range is about ½, not a step.
        let v: Vec<f64> = (0..10_000).map(|i| 0.95 + i as f64 * 1e-8).collect();
        let s = sketch(&v);
        for q in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let x = 0.95 + q * 1e-4;
            assert!((s.cdf(x) - q).abs() < 0.02, "q={q} cdf={}", s.cdf(x));
        }
    }

    #[test]
    fn dense_sketch_counts_past_sixteen_bits() {
        // A constant (one bucket) seen 3·65 536 + 5 times, another bucket exactly 65 536 times
        // (its 16-bit count is 0 at the end), spread over batches of 4096 like the engine's.
        let mut values = vec![1.0; 3 * 65_536 + 5];
        values.extend(vec![-2.0; 65_536]);
        values.push(f64::NAN);
        let mut d = DenseSketch::new();
        let mut scratch = Scratch::default();
        for c in values.chunks(4096) {
            d.add_slice(c, &mut scratch);
        }
        let s = d.to_sketch();
        assert_eq!(s, sketch(&values));
        assert_eq!(s.count(), 4 * 65_536 + 5);
        assert_eq!(s.at_max, 3 * 65_536 + 5);
        assert_eq!(s.at_min, 65_536);
    }

    #[test]
    fn serialisation_round_trips_and_refuses_disorder() {
        let s = sketch(&[-3.0, 1.0, 1.0, 2.5, 1e10, f64::NAN]);
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Sketch>(&j).unwrap(), s);
        let bad = j.replacen("\"bins\":[", "\"bins\":[1,", 1);
        assert!(serde_json::from_str::<Sketch>(&bad).is_err());
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
