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
//! of distinct buckets (about 2 bytes each, see [`Sketch`]), never by the number of values.

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

    /// Writes the buckets as they are iterated, without collecting them.
    pub fn serialize<S: Serializer>(
        bins: impl Iterator<Item = Bin>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut prev = None;
        s.collect_seq(bins.flat_map(|b| {
            let key = match prev {
                None => b.key,
                Some(p) => b.key.wrapping_sub(p),
            };
            prev = Some(b.key);
            [key as u64, b.count]
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Bin>, D::Error> {
        let flat = Vec::<u64>::deserialize(d)?;
        if flat.len() % 2 != 0 {
            return Err(D::Error::custom("sketch buckets: an odd number of entries"));
        }
        let mut bins = Vec::with_capacity(flat.len() / 2);
        let mut key = 0u64;
        for (i, pair) in flat.chunks_exact(2).enumerate() {
            key = if i == 0 {
                pair[0]
            } else {
                key.saturating_add(pair[0])
            };
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

/// Empty buckets kept inline between two non-empty ones before a new run of counts is cheaper: a
/// run costs 8 bytes (its first key and where its counts start), an inline empty bucket 2.
const GAP: u32 = 4;

/// A run of consecutive buckets: the key of its first and the index of its first count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    key: u32,
    start: u32,
}

/// The sketch: buckets sorted by key, the count of NaN values, and the exact extremes with the
/// number of values equal to each.
///
/// Buckets are stored densely, about 2 bytes each: runs of consecutive buckets (a run holds up to
/// [`GAP`] empty buckets between two non-empty ones rather than start a new run), one 16-bit count
/// per bucket, and a short list of the multiples of 65 536 that the busiest buckets add to it.
/// A bucket's count is its 16-bit count plus 65 536 times its entry in that list. Adding buckets
/// that already lie in a run increments them in place; others rebuild the runs (at their exact
/// size, so that a merged accumulator holds no spare capacity). Equality, serialisation and every
/// result depend only on the buckets and the extremes, not on how they are laid out.
#[derive(Debug, Clone)]
pub struct Sketch {
    runs: Vec<Run>,
    counts: Vec<u16>,
    /// (index in `counts`, multiples of 65 536 to add), sorted by index.
    high: Vec<(u32, u64)>,
    /// Buckets outside the runs added since they were last rebuilt, sorted by key: the runs are
    /// rebuilt when these reach a sixteenth of their counts, so that adding scattered new buckets
    /// (tails, and quantities crossing zero, whose buckets near zero are very fine) costs a
    /// rebuild only now and then.
    pending: Vec<Bin>,
    /// The sum of the buckets' counts (saturating).
    total: u64,
    pub nan: u64,
    pub min: f64,
    pub max: f64,
    /// Values equal to `min`.
    pub at_min: u64,
    /// Values equal to `max`.
    pub at_max: u64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            runs: Vec::new(),
            counts: Vec::new(),
            high: Vec::new(),
            pending: Vec::new(),
            total: 0,
            nan: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            at_min: 0,
            at_max: 0,
        }
    }
}

impl PartialEq for Sketch {
    fn eq(&self, o: &Sketch) -> bool {
        self.nan == o.nan
            && self.min == o.min
            && self.max == o.max
            && self.at_min == o.at_min
            && self.at_max == o.at_max
            && self.total == o.total
            && self.bins().eq(o.bins())
    }
}

/// The serialised form: the buckets as [`bins_compact`] writes them, then the NaN count and the
/// extremes (f64 as bit patterns).
#[derive(Serialize)]
struct SketchOut<'a> {
    #[serde(serialize_with = "serialize_bins")]
    bins: &'a Sketch,
    nan: u64,
    #[serde(with = "f64_bits")]
    min: f64,
    #[serde(with = "f64_bits")]
    max: f64,
    at_min: u64,
    at_max: u64,
}

fn serialize_bins<S: serde::Serializer>(s: &&Sketch, ser: S) -> Result<S::Ok, S::Error> {
    bins_compact::serialize(s.bins(), ser)
}

#[derive(Deserialize)]
struct SketchIn {
    #[serde(with = "bins_compact")]
    bins: Vec<Bin>,
    nan: u64,
    #[serde(with = "f64_bits")]
    min: f64,
    #[serde(with = "f64_bits")]
    max: f64,
    at_min: u64,
    at_max: u64,
}

impl Serialize for Sketch {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SketchOut {
            bins: self,
            nan: self.nan,
            min: self.min,
            max: self.max,
            at_min: self.at_min,
            at_max: self.at_max,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Sketch {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let i = SketchIn::deserialize(d)?;
        if i.bins.iter().any(|b| b.count == 0) {
            return Err(serde::de::Error::custom("sketch buckets: an empty bucket"));
        }
        let mut s = Sketch {
            nan: i.nan,
            min: i.min,
            max: i.max,
            at_min: i.at_min,
            at_max: i.at_max,
            ..Sketch::new()
        };
        s.rebuild(|| i.bins.iter().copied());
        Ok(s)
    }
}

/// The buckets of a [`Sketch`]'s runs, in key order.
struct RunBins<'a> {
    s: &'a Sketch,
    /// The current run, the key of its count 0 (wrapping) and the index where it ends.
    run: usize,
    offset: u32,
    end: usize,
    /// The next count and the next entry of `high`.
    i: usize,
    h: usize,
}

impl Iterator for RunBins<'_> {
    type Item = Bin;

    #[inline]
    fn next(&mut self) -> Option<Bin> {
        let s = self.s;
        while self.i < s.counts.len() {
            let i = self.i;
            self.i += 1;
            if i == self.end {
                self.run += 1;
                let r = s.runs[self.run];
                self.offset = r.key.wrapping_sub(r.start);
                self.end = s
                    .runs
                    .get(self.run + 1)
                    .map_or(s.counts.len(), |n| n.start as usize);
            }
            let mut count = s.counts[i] as u64;
            if let Some(&(j, w)) = s.high.get(self.h)
                && j as usize == i
            {
                self.h += 1;
                count += w << 16;
            }
            if count > 0 {
                return Some(Bin {
                    key: self.offset.wrapping_add(i as u32),
                    count,
                });
            }
        }
        None
    }
}

/// Two key-ordered bucket streams merged into one (the counts of equal keys added).
struct MergeBins<A: Iterator<Item = Bin>, B: Iterator<Item = Bin>> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<A: Iterator<Item = Bin>, B: Iterator<Item = Bin>> MergeBins<A, B> {
    fn new(a: A, b: B) -> Self {
        MergeBins {
            a: a.peekable(),
            b: b.peekable(),
        }
    }
}

impl<A: Iterator<Item = Bin>, B: Iterator<Item = Bin>> Iterator for MergeBins<A, B> {
    type Item = Bin;

    #[inline]
    fn next(&mut self) -> Option<Bin> {
        match (self.a.peek(), self.b.peek()) {
            (Some(x), Some(y)) => match x.key.cmp(&y.key) {
                std::cmp::Ordering::Less => self.a.next(),
                std::cmp::Ordering::Greater => self.b.next(),
                std::cmp::Ordering::Equal => {
                    let (x, y) = (self.a.next()?, self.b.next()?);
                    Some(Bin {
                        key: x.key,
                        count: x.count + y.count,
                    })
                }
            },
            (Some(_), None) => self.a.next(),
            (None, _) => self.b.next(),
        }
    }
}

/// Reusable buffers for [`Sketch::add_slice`].
#[derive(Debug, Default)]
pub struct Scratch {
    keys: Vec<u32>,
    count: Vec<u64>,
    bins: Vec<Bin>,
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// The non-empty buckets in key order.
    pub fn bins(&self) -> impl Iterator<Item = Bin> + '_ {
        let runs = RunBins {
            s: self,
            run: 0,
            offset: self.runs.first().map_or(0, |r| r.key.wrapping_sub(r.start)),
            end: self
                .runs
                .get(1)
                .map_or(self.counts.len(), |n| n.start as usize),
            i: 0,
            h: 0,
        };
        MergeBins::new(runs, self.pending.iter().copied())
    }

    /// Bytes held by the buckets (runs, counts and wraps), for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<Run>()
            + self.counts.capacity() * 2
            + self.high.capacity() * std::mem::size_of::<(u32, u64)>()
            + self.pending.capacity() * std::mem::size_of::<Bin>()
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
        self.total
    }

    /// Replaces the buckets by those `make` iterates (in strictly increasing key order; empty
    /// buckets are skipped), laid out at their exact size: a first pass measures, a second fills.
    fn rebuild<I: Iterator<Item = Bin>>(&mut self, make: impl Fn() -> I) {
        let (mut n_runs, mut n_counts, mut n_high) = (0usize, 0usize, 0usize);
        let mut last: Option<u32> = None;
        for b in make().filter(|b| b.count > 0) {
            match last {
                Some(l) if b.key - l - 1 <= GAP => n_counts += (b.key - l) as usize,
                _ => {
                    n_runs += 1;
                    n_counts += 1;
                }
            }
            n_high += (b.count >> 16 > 0) as usize;
            last = Some(b.key);
        }
        let mut runs = Vec::with_capacity(n_runs);
        let mut counts = Vec::with_capacity(n_counts);
        let mut high = Vec::with_capacity(n_high);
        let mut total = 0u64;
        let mut last: Option<u32> = None;
        for b in make().filter(|b| b.count > 0) {
            match last {
                Some(l) if b.key - l - 1 <= GAP => {
                    counts.resize(counts.len() + (b.key - l - 1) as usize, 0)
                }
                _ => runs.push(Run {
                    key: b.key,
                    start: counts.len() as u32,
                }),
            }
            if b.count >> 16 > 0 {
                high.push((counts.len() as u32, b.count >> 16));
            }
            counts.push(b.count as u16);
            total = total.saturating_add(b.count);
            last = Some(b.key);
        }
        // The scratch of the old layout is freed before the sketch is used again.
        self.runs = runs;
        self.counts = counts;
        self.high = high;
        self.pending = Vec::new();
        self.total = total;
    }

    /// Adds `count` to the bucket at index `i` of `counts`.
    #[inline]
    fn add_at(&mut self, i: usize, count: u64) {
        let lo = self.counts[i] as u64 + (count & 0xFFFF);
        self.counts[i] = lo as u16;
        let carry = (count >> 16) + (lo >> 16);
        if carry > 0 {
            self.add_wraps(i, carry);
        }
        self.total = self.total.saturating_add(count);
    }

    /// Adds `w` multiples of 65 536 to the bucket at index `i` of `counts` (not to `total`).
    fn add_wraps(&mut self, i: usize, w: u64) {
        match self.high.binary_search_by_key(&(i as u32), |h| h.0) {
            Ok(at) => self.high[at].1 += w,
            Err(at) => self.high.insert(at, (i as u32, w)),
        }
    }

    /// The index in `counts` of the bucket of `key` if it lies in a run, given a cursor into
    /// `runs` that only moves forward (keys are visited in increasing order).
    #[inline]
    fn locate(&self, key: u32, r: &mut usize) -> Option<usize> {
        while let Some(run) = self.runs.get(*r) {
            if key < run.key {
                return None;
            }
            let end = self
                .runs
                .get(*r + 1)
                .map_or(self.counts.len(), |n| n.start as usize);
            let at = (key - run.key) as usize;
            if at < end - run.start as usize {
                return Some(run.start as usize + at);
            }
            *r += 1;
        }
        None
    }

    /// Adds the buckets `make` iterates (strictly increasing keys): those in a run in place, the
    /// others to `pending`; the runs are rebuilt (with everything pending) when `pending` would
    /// exceed a sixteenth of the counts.
    fn add_bins<I: Iterator<Item = Bin>>(&mut self, make: impl Fn() -> I) {
        let mut r = 0usize;
        let outside = make()
            .filter(|b| self.locate(b.key, &mut r).is_none())
            .count();
        if outside > 0 && self.pending.len() + outside > (self.counts.len() / 16).max(32) {
            let old = std::mem::take(self);
            self.rebuild(|| MergeBins::new(old.bins(), make()));
            self.nan = old.nan;
            self.set_extremes(old.extremes());
            return;
        }
        let old = if outside > 0 {
            let cap = self.pending.len() + outside;
            std::mem::replace(&mut self.pending, Vec::with_capacity(cap))
        } else {
            Vec::new()
        };
        let mut old = old.into_iter().peekable();
        let mut r = 0usize;
        for b in make() {
            match self.locate(b.key, &mut r) {
                Some(i) => self.add_at(i, b.count),
                None => {
                    while let Some(p) = old.next_if(|p| p.key < b.key) {
                        self.pending.push(p);
                    }
                    let same = old.next_if(|p| p.key == b.key).map_or(0, |p| p.count);
                    self.pending.push(Bin {
                        key: b.key,
                        count: b.count + same,
                    });
                    self.total = self.total.saturating_add(b.count);
                }
            }
        }
        self.pending.extend(old);
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
        let Scratch { keys, count, bins } = scratch;
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
        let bins = &bins[..];
        self.add_bins(|| bins.iter().copied());
    }

    /// Merges another sketch into this one.
    pub fn merge(&mut self, other: &Sketch) {
        self.nan += other.nan;
        let e = self.extremes().combine(other.extremes());
        self.set_extremes(e);
        self.add_bins(|| other.bins());
    }

    /// Merges a worker's dense sketch into this one: the same as merging
    /// [`DenseSketch::to_sketch`], without building it. The part of the window that lies in this
    /// sketch's runs is added slice by slice; the rest of the window, its wraps and its overflow
    /// are added as buckets.
    pub fn merge_dense(&mut self, other: &DenseSketch) {
        self.nan += other.overflow.nan;
        let e = self.extremes().combine(other.extremes);
        self.set_extremes(e);
        let (base, src) = (other.base, &other.counts[..]);
        let mut outside = Vec::new();
        let mut carries = Vec::new();
        let mut r = 0usize;
        let mut i = 0usize;
        while i < src.len() {
            let key = base + i as u32;
            // The first run that ends after `key`.
            let mut end_key = 0u64;
            while let Some(run) = self.runs.get(r) {
                let end = self
                    .runs
                    .get(r + 1)
                    .map_or(self.counts.len(), |n| n.start as usize);
                end_key = run.key as u64 + (end - run.start as usize) as u64;
                if end_key > key as u64 {
                    break;
                }
                r += 1;
            }
            let Some(run) = self.runs.get(r) else {
                outside.extend(nonzero(base, i, &src[i..]));
                break;
            };
            if key < run.key {
                let stop = src.len().min(i + (run.key - key) as usize);
                outside.extend(nonzero(base, i, &src[i..stop]));
                i = stop;
                continue;
            }
            let stop = src.len().min(i + (end_key - key as u64) as usize);
            let at = run.start as usize + (key - run.key) as usize;
            let dst = &mut self.counts[at..at + (stop - i)];
            let mut sum = 0u64;
            for (j, (d, &c)) in dst.iter_mut().zip(&src[i..stop]).enumerate() {
                let v = *d as u32 + c as u32;
                *d = v as u16;
                sum += c as u64;
                if v > 0xFFFF {
                    carries.push((at + j) as u32);
                }
            }
            self.total = self.total.saturating_add(sum);
            i = stop;
        }
        for c in carries {
            self.add_wraps(c as usize, 1);
        }
        self.add_bins(|| outside.iter().copied());
        drop(outside);
        self.add_bins(|| {
            other.high.iter().map(move |&(j, w)| Bin {
                key: base + j,
                count: w << 16,
            })
        });
        self.add_bins(|| other.overflow.bins());
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
        for b in self.bins() {
            before += b.count;
            if before >= rank {
                return Some(midpoint(b.key).clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }

    /// Checks the invariants of a sketch read from outside (a shard file): buckets sorted and
    /// non-empty (both hold by construction), extremes consistent with the first and last bucket
    /// and their counts, at most `runs` values.
    pub fn validate(&self, runs: u64) -> Result<(), String> {
        let total = self.total.saturating_add(self.nan);
        if total > runs {
            return Err(format!("a sketch holds {total} values from {runs} runs"));
        }
        let first = self.bins().next();
        let last = self.bins().last();
        match (first, last) {
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
        for b in self.bins() {
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

/// The non-empty buckets among `counts`, the first of which has index `from` in a window whose
/// first key is `base`.
fn nonzero(base: u32, from: usize, counts: &[u16]) -> impl Iterator<Item = Bin> + '_ {
    counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(move |(j, &c)| Bin {
            key: base + (from + j) as u32,
            count: c as u64,
        })
}

/// Largest dense window (in buckets) a [`DenseSketch`] keeps; values beyond it go to an
/// overflow sketch. 2¹⁵ buckets span 8 binades at full resolution.
const MAX_WINDOW: usize = 1 << 15;

/// A worker-local sketch that counts into a dense window of buckets: adding a value is a key
/// computation and an increment, with no sorting or merging. The window is sized once, from the
/// first batch's range plus half of it on either side; later values outside it (tails) go to a
/// [`Sketch`] as overflow, so memory does not grow with the number of runs. Counts are 16-bit,
/// so that a worker's hundreds of windows stay in the nearer caches (the increments' cache misses,
/// not the arithmetic, are what adding costs); each time a bucket's count wraps past 65 535, the
/// bucket gains a multiple of 65 536 in a short sorted list, which only the busiest buckets ever
/// enter. Merged into the shared accumulator's [`Sketch`] with [`Sketch::merge_dense`] (identical
/// to adding the same values there) when the worker finishes.
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
        // only counted here and go to the overflow in a second pass, so the counting loop
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

    /// The equivalent [`Sketch`].
    pub fn to_sketch(&self) -> Sketch {
        let mut s = Sketch::new();
        s.merge_dense(self);
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

    /// The buckets of `values` by a plain map: what every layout must hold.
    fn reference(values: &[f64]) -> Vec<Bin> {
        let mut m = std::collections::BTreeMap::new();
        for &v in values.iter().filter(|v| !v.is_nan()) {
            *m.entry(key_of(v)).or_insert(0u64) += 1;
        }
        m.into_iter()
            .map(|(key, count)| Bin { key, count })
            .collect()
    }

    /// Values of mixed sign crossing zero (very fine buckets near it), ±∞, NaN, ±0 and a drift.
    fn awkward(n: usize, seed: u64) -> Vec<f64> {
        let mut x = seed | 1;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                match i % 97 {
                    0 => f64::NAN,
                    1 => f64::INFINITY,
                    2 => f64::NEG_INFINITY,
                    3 => -0.0,
                    4 => 0.0,
                    5 => 1e-300 * (u - 0.5),
                    _ => (u - 0.45) * 0.02 + i as f64 * 1e-7,
                }
            })
            .collect()
    }

    fn dense(values: &[f64], batch: usize) -> DenseSketch {
        let mut d = DenseSketch::new();
        let mut scratch = Scratch::default();
        for c in values.chunks(batch) {
            d.add_slice(c, &mut scratch);
        }
        d
    }

    #[test]
    fn layouts_hold_the_same_buckets() {
        let mut scratch = Scratch::default();
        for seed in 1..6 {
            let v = awkward(30_000, seed);
            let whole = sketch(&v);
            assert_eq!(whole.bins().collect::<Vec<_>>(), reference(&v));
            assert_eq!(whole.nan, v.iter().filter(|x| x.is_nan()).count() as u64);
            assert_eq!(whole.max, f64::INFINITY);
            assert_eq!(whole.min, f64::NEG_INFINITY);
            // Small batches: buckets pending, runs rebuilt now and then.
            let mut small = Sketch::new();
            for c in v.chunks(37 * seed as usize) {
                small.add_slice(c, &mut scratch);
            }
            assert_eq!(small, whole);
            assert_eq!(small.bins().collect::<Vec<_>>(), reference(&v));
            // A worker's dense sketch, merged without and with a sparse copy.
            let d = dense(&v, 4096);
            assert_eq!(d.to_sketch(), whole);
            let mut m = sketch(&v[..100]);
            m.merge_dense(&dense(&v[100..], 4096));
            assert_eq!(m, whole);
        }
    }

    #[test]
    fn merging_dense_windows_of_different_ranges_equals_merging_sparse_sketches() {
        // Three workers whose first batches size their windows differently (narrow, shifted,
        // negative and crossing zero), and tails outside every window.
        let parts: Vec<Vec<f64>> = vec![
            (0..9000).map(|i| 100.0 + (i % 400) as f64 * 0.01).collect(),
            (0..9000)
                .map(|i| 101.0 + (i % 900) as f64 * 0.01 + if i % 1000 == 7 { 1e6 } else { 0.0 })
                .collect(),
            (0..9000)
                .map(|i| 95.0 + (i % 2000) as f64 * 0.007)
                .collect(),
            (0..9000).map(|i| -3.0 + (i % 600) as f64 * 0.01).collect(),
            awkward(9000, 9),
        ];
        let all: Vec<f64> = parts.concat();
        let mut sparse = Sketch::new();
        let mut merged = Sketch::new();
        for p in &parts {
            sparse.merge(&sketch(p));
            merged.merge_dense(&dense(p, 4096));
        }
        assert_eq!(merged, sparse);
        assert_eq!(merged, sketch(&all));
        assert_eq!(merged.bins().collect::<Vec<_>>(), reference(&all));
        // In the other order, and merged twice (every bucket of the second merge is in a run).
        let mut other = Sketch::new();
        for p in parts.iter().rev() {
            other.merge_dense(&dense(p, 1000));
        }
        assert_eq!(other, merged);
        let twice = {
            let mut t = merged.clone();
            t.merge(&merged);
            t
        };
        for p in &parts {
            other.merge_dense(&dense(p, 4096));
        }
        assert_eq!(other, twice);
        assert_eq!(other.count(), 2 * sketch(&all).count());
    }

    #[test]
    fn merged_counts_pass_sixteen_and_thirty_two_bits() {
        // A constant bucket and a spread, doubled by merging until counts pass 2³².
        let mut v = vec![7.0; 40_000];
        v.extend((0..30_000).map(|i| -1.0 - i as f64 * 1e-3));
        let one = sketch(&v);
        let mut s = one.clone();
        for _ in 0..17 {
            let c = s.clone();
            s.merge(&c);
        }
        let want: Vec<Bin> = reference(&v)
            .into_iter()
            .map(|b| Bin {
                key: b.key,
                count: b.count << 17,
            })
            .collect();
        assert!(want.iter().any(|b| b.count > 1 << 32));
        assert_eq!(s.bins().collect::<Vec<_>>(), want);
        assert_eq!(s.count(), one.count() << 17);
        assert_eq!(s.at_max, 40_000 << 17);
        assert_eq!(s.quantile(1.0), Some(7.0));
        // Merging a dense window whose 16-bit counts carry into a sketch near 2¹⁶ per bucket.
        let mut near = sketch(&vec![7.0; 65_535]);
        near.merge_dense(&dense(&vec![7.0; 65_538], 4096));
        assert_eq!(near.count(), 131_073);
        assert_eq!(
            near.bins().collect::<Vec<_>>(),
            reference(&vec![7.0; 131_073])
        );
        // And the same through serialisation.
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Sketch>(&j).unwrap(), s);
    }

    #[test]
    fn memory_is_within_the_documented_bound_per_bucket() {
        // docs/performance.md: at most 10 bytes per non-empty bucket in runs, a sixteenth of the
        // counts pending at 16 bytes (at least 32 entries), and 16 bytes per wrapped bucket.
        let bound = |s: &Sketch| {
            let buckets = s.bins().count();
            10 * buckets + (s.counts.len() / 16).max(32) * 16 + 32 * s.high.len()
        };
        let mut scratch = Scratch::default();
        for seed in 1..4 {
            let v = awkward(50_000, seed);
            let mut s = Sketch::new();
            for c in v.chunks(4096) {
                s.add_slice(c, &mut scratch);
                assert!(
                    s.heap_bytes() <= bound(&s),
                    "{} > {}",
                    s.heap_bytes(),
                    bound(&s)
                );
            }
            let mut m = Sketch::new();
            for c in v.chunks(10_000) {
                m.merge_dense(&dense(c, 4096));
                assert!(
                    m.heap_bytes() <= bound(&m),
                    "{} > {}",
                    m.heap_bytes(),
                    bound(&m)
                );
            }
            // Values with few gaps take about 2 bytes per bucket.
            let narrow: Vec<f64> = (0..50_000)
                .map(|i| 100.0 + (i % 3000) as f64 * 0.01)
                .collect();
            let n = sketch(&narrow);
            assert!(n.heap_bytes() <= 2 * n.bins().count() + 64);
        }
    }

    #[test]
    fn serialised_form_is_the_flat_bucket_list() {
        let v = awkward(5000, 3);
        let s = sketch(&v);
        let mut flat = Vec::new();
        let mut prev = None;
        for b in reference(&v) {
            flat.push(prev.map_or(b.key, |p| b.key - p).to_string());
            flat.push(b.count.to_string());
            prev = Some(b.key);
        }
        let want = format!(
            "{{\"bins\":[{}],\"nan\":{},\"min\":{},\"max\":{},\"at_min\":{},\"at_max\":{}}}",
            flat.join(","),
            s.nan,
            s.min.to_bits(),
            s.max.to_bits(),
            s.at_min,
            s.at_max
        );
        assert_eq!(serde_json::to_string(&s).unwrap(), want);
        let back: Sketch = serde_json::from_str(&want).unwrap();
        assert_eq!(back, s);
        assert!(back.validate(v.len() as u64).is_ok());
        let empty = want.replacen("\"bins\":[", "\"bins\":[5,0,", 1);
        assert!(serde_json::from_str::<Sketch>(&empty).is_err());
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
