//! Probability distributions as small validated values, and everything the rest of the crate needs
//! to know about a family: its parameters with their roles, how to set one, how to shift the
//! distribution in location, its mean and standard deviation.
//!
//! Every distribution is sampled through its quantile function: `transform` turns a row of standard
//! normal scores z into Q(Φ(z)), or a row of uniforms u into Q(u). The engine draws a normal score
//! for every indicator, whatever its family (normal-like families need no Φ): the Gaussian copula
//! and AR(1) persistence act on the scores, and an indicator whose family differs between two
//! scenarios of a plan still sees the same scores, so common random numbers hold (its draws are
//! comonotone across the scenarios). The family is matched once per row.
//!
//! [`Family`] and [`Dist`] are opaque: they are built only by the validating constructors
//! ([`Family::normal`] …, [`Dist::new`]) or derived from a valid value ([`Dist::with_parameter`],
//! [`Dist::shifted`]), so the hot loop never re-checks and no caller can build an invalid
//! distribution. Constants the sampler and the engine would otherwise recompute (the mean, the
//! standard deviation, a triangular's and a two-piece normal's pieces) are computed once here.

use super::special::{beta_inc_inv, norm_cdf, norm_ppf, student_t_ppf};
use crate::error::num;

/// z-value of the 90 % quantile of a standard normal.
pub const Z90: f64 = 1.2815515655446004;
/// z-value of the 95 % quantile of a standard normal.
pub const Z95: f64 = 1.6448536269514722;

/// A distribution family of DESIGN.md with validated parameters (build it with [`Family::normal`],
/// [`Family::lognormal`], …, or [`Family::from_quantiles`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    shape: Shape,
    /// Mean of the distribution (for Student's t with df ≤ 1, its location).
    mean: f64,
    /// Standard deviation (for Student's t with df ≤ 2, its scale).
    sd: f64,
}

/// The families and their parameters, with the constants their quantile functions reuse.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Parameters of the underlying normal of ln X.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// With `range` = max − min, `fc` = F(mode) (0 when the range is 0), `a` = range·(mode − min)
    /// and `b` = range·(max − mode).
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
        range: f64,
        fc: f64,
        a: f64,
        b: f64,
    },
    /// PERT: a Beta(α, β) on [min, max] with α = 1 + 4(mode−min)/(max−min), β = 1 + 4(max−mode)/(max−min).
    Pert {
        min: f64,
        max: f64,
        alpha: f64,
        beta: f64,
    },
    StudentT {
        mean: f64,
        scale: f64,
        df: f64,
    },
    /// With `total` = sd_low + sd_high, `p0` = P(X < mode) = sd_low / total (0 when total is 0),
    /// `two_low` = 2·sd_low and `two_high` = 2·sd_high.
    TwoPieceNormal {
        mode: f64,
        sd_low: f64,
        sd_high: f64,
        total: f64,
        p0: f64,
        two_low: f64,
        two_high: f64,
    },
    /// Bootstrap from the values, sorted ascending.
    Empirical {
        values: Vec<f64>,
    },
    Constant {
        value: f64,
    },
}

/// A validated distribution with an optional clamp (build it with [`Dist::new`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    family: Family,
    clamp: Option<(f64, f64)>,
}

/// A parameter error: which parameter and why, for the scenario validator to place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError(pub String);

/// What kind of quantity a distribution parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Moves the distribution (mean, mode, min, max, a constant's value, an empirical sample's
    /// shift): [`Dist::shifted`] moves every one of them by δ.
    Location,
    /// Spreads it (sd, scale, sd_low, sd_high).
    Scale,
    /// Neither (Student's t degrees of freedom).
    Shape,
}

/// One parameter of a distribution, by the name a scenario file uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub value: f64,
    pub role: Role,
}

fn finite(name: &str, v: f64) -> Result<f64, ParamError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ParamError(format!(
            "`{name}` must be a finite number, got {v}"
        )))
    }
}

fn non_negative(name: &str, v: f64) -> Result<f64, ParamError> {
    finite(name, v)?;
    if v < 0.0 {
        Err(ParamError(format!("`{name}` must be ≥ 0, got {}", num(v))))
    } else {
        Ok(v)
    }
}

/// `max − min` must be a finite number: a range such as ±1e308 overflows to infinity, and sampling
/// on it degenerates (a pert then took milliseconds per draw).
fn finite_range(min: f64, max: f64) -> Result<(), ParamError> {
    if (max - min).is_finite() {
        Ok(())
    } else {
        Err(ParamError(format!(
            "`max` − `min` = {max:e} − {min:e} overflows to infinity; give a narrower range"
        )))
    }
}

fn ordered(lo_name: &str, lo: f64, hi_name: &str, hi: f64) -> Result<(), ParamError> {
    finite(lo_name, lo)?;
    finite(hi_name, hi)?;
    if lo > hi {
        Err(ParamError(format!(
            "`{lo_name}` ({}) must not exceed `{hi_name}` ({})",
            num(lo),
            num(hi)
        )))
    } else {
        Ok(())
    }
}

/// Mean and standard deviation of a lognormal variable with log-parameters `mu`, `sigma`.
fn lognormal_moments(mu: f64, sigma: f64) -> (f64, f64) {
    let mean = (mu + sigma * sigma / 2.0).exp();
    (mean, mean * (sigma * sigma).exp_m1().max(0.0).sqrt())
}

/// The mode of a PERT on [min, max] with shape α = 1 + 4(mode − min)/(max − min).
fn pert_mode(min: f64, max: f64, alpha: f64) -> f64 {
    min + (alpha - 1.0) * (max - min) / 4.0
}

impl Shape {
    /// The mean of the distribution. For Student's t with df ≤ 1 (no mean) this is the location.
    fn mean(&self) -> f64 {
        match self {
            Shape::Normal { mean, .. } => *mean,
            Shape::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Shape::Uniform { min, max } => (min + max) / 2.0,
            Shape::Triangular { min, mode, max, .. } => (min + mode + max) / 3.0,
            Shape::Pert {
                min,
                max,
                alpha,
                beta,
            } => min + (max - min) * alpha / (alpha + beta),
            Shape::StudentT { mean, .. } => *mean,
            Shape::TwoPieceNormal {
                mode,
                sd_low,
                sd_high,
                ..
            } => mode + (2.0 / std::f64::consts::PI).sqrt() * (sd_high - sd_low),
            Shape::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
            Shape::Constant { value } => *value,
        }
    }

    /// The standard deviation. For Student's t with df ≤ 2 (infinite variance) this is the scale.
    fn sd(&self) -> f64 {
        match self {
            Shape::Normal { sd, .. } => *sd,
            Shape::LogNormal { mu, sigma } => lognormal_moments(*mu, *sigma).1,
            Shape::Uniform { min, max } => (max - min) / 12f64.sqrt(),
            Shape::Triangular { min, mode, max, .. } => {
                // This operand order (max before mode) is the one the analyses' swing and shift
                // have always used; outputs are compared bit for bit.
                let (a, c, b) = (*min, *mode, *max);
                ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0)
                    .max(0.0)
                    .sqrt()
            }
            Shape::Pert {
                min,
                max,
                alpha,
                beta,
            } => {
                let s = alpha + beta;
                (max - min) * (alpha * beta / (s * s * (s + 1.0))).sqrt()
            }
            Shape::StudentT { scale, df, .. } => {
                if *df > 2.0 {
                    scale * (df / (df - 2.0)).sqrt()
                } else {
                    *scale
                }
            }
            Shape::TwoPieceNormal {
                sd_low, sd_high, ..
            } => {
                let d = sd_high - sd_low;
                ((1.0 - 2.0 / std::f64::consts::PI) * d * d + sd_low * sd_high).sqrt()
            }
            Shape::Empirical { values } => {
                let n = values.len() as f64;
                let m = values.iter().sum::<f64>() / n;
                (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n).sqrt()
            }
            Shape::Constant { .. } => 0.0,
        }
    }
}

impl Family {
    /// The family of a shape whose parameters the caller has validated, with its moments.
    fn of(shape: Shape) -> Family {
        Family {
            mean: shape.mean(),
            sd: shape.sd(),
            shape,
        }
    }

    pub fn normal(mean: f64, sd: f64) -> Result<Family, ParamError> {
        Ok(Family::of(Shape::Normal {
            mean: finite("mean", mean)?,
            sd: non_negative("sd", sd)?,
        }))
    }

    /// Lognormal from the mean and sd of the variable itself (mean > 0).
    pub fn lognormal(mean: f64, sd: f64) -> Result<Family, ParamError> {
        finite("mean", mean)?;
        non_negative("sd", sd)?;
        if mean <= 0.0 {
            return Err(ParamError(format!(
                "a lognormal needs `mean` > 0, got {}",
                num(mean)
            )));
        }
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        Family::lognormal_log(mean.ln() - sigma2 / 2.0, sigma2.sqrt())
    }

    /// Lognormal from the mean `mu` and sd `sigma` of ln X.
    fn lognormal_log(mu: f64, sigma: f64) -> Result<Family, ParamError> {
        Ok(Family::of(Shape::LogNormal {
            mu: finite("mu", mu)?,
            sigma: non_negative("sigma", sigma)?,
        }))
    }

    pub fn uniform(min: f64, max: f64) -> Result<Family, ParamError> {
        ordered("min", min, "max", max)?;
        finite_range(min, max)?;
        Ok(Family::of(Shape::Uniform { min, max }))
    }

    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Family, ParamError> {
        ordered("min", min, "mode", mode)?;
        ordered("mode", mode, "max", max)?;
        finite_range(min, max)?;
        let range = max - min;
        let fc = if range > 0.0 {
            (mode - min) / range
        } else {
            0.0
        };
        Ok(Family::of(Shape::Triangular {
            min,
            mode,
            max,
            range,
            fc,
            a: range * (mode - min),
            b: range * (max - mode),
        }))
    }

    /// PERT on [min, max] with the given mode; a constant when min = max.
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Family, ParamError> {
        ordered("min", min, "mode", mode)?;
        ordered("mode", mode, "max", max)?;
        finite_range(min, max)?;
        if max == min {
            return Family::constant(min);
        }
        let range = max - min;
        Ok(Family::of(Shape::Pert {
            min,
            max,
            alpha: 1.0 + 4.0 * (mode - min) / range,
            beta: 1.0 + 4.0 * (max - mode) / range,
        }))
    }

    pub fn student_t(mean: f64, scale: f64, df: f64) -> Result<Family, ParamError> {
        finite("mean", mean)?;
        non_negative("scale", scale)?;
        finite("df", df)?;
        if df <= 0.0 {
            return Err(ParamError(format!("`df` must be > 0, got {}", num(df))));
        }
        Ok(Family::of(Shape::StudentT { mean, scale, df }))
    }

    pub fn two_piece_normal(mode: f64, sd_low: f64, sd_high: f64) -> Result<Family, ParamError> {
        finite("mode", mode)?;
        non_negative("sd_low", sd_low)?;
        non_negative("sd_high", sd_high)?;
        let total = sd_low + sd_high;
        Ok(Family::of(Shape::TwoPieceNormal {
            mode,
            sd_low,
            sd_high,
            total,
            p0: if total > 0.0 { sd_low / total } else { 0.0 },
            two_low: 2.0 * sd_low,
            two_high: 2.0 * sd_high,
        }))
    }

    pub fn empirical(values: &[f64]) -> Result<Family, ParamError> {
        if values.is_empty() {
            return Err(ParamError("`values` must hold at least one number".into()));
        }
        for &v in values {
            finite("values", v)?;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Ok(Family::of(Shape::Empirical { values: v }))
    }

    pub fn constant(value: f64) -> Result<Family, ParamError> {
        Ok(Family::of(Shape::Constant {
            value: finite("value", value)?,
        }))
    }

    /// A two-parameter family from two symmetric quantiles `lo` (probability `p`) and `hi` (1 − p),
    /// where `z` = Φ⁻¹(1 − p) > 0 (e.g. [`Z90`], [`Z95`]). `df` is needed for Student's t.
    pub fn from_quantiles(
        kind: &str,
        lo: f64,
        hi: f64,
        z: f64,
        df: Option<f64>,
    ) -> Result<Family, ParamError> {
        finite("lower quantile", lo)?;
        finite("upper quantile", hi)?;
        if !(z.is_finite() && z > 0.0) {
            return Err(ParamError(format!(
                "the quantiles' z-value must be a positive number, got {}",
                num(z)
            )));
        }
        if lo > hi {
            return Err(ParamError(format!(
                "the lower quantile ({}) must not exceed the upper one ({})",
                num(lo),
                num(hi)
            )));
        }
        match kind {
            "normal" => Family::normal((lo + hi) / 2.0, (hi - lo) / (2.0 * z)),
            "lognormal" => {
                if lo <= 0.0 {
                    return Err(ParamError(format!(
                        "a lognormal needs positive quantiles, got {}",
                        num(lo)
                    )));
                }
                let (a, b) = (lo.ln(), hi.ln());
                Family::lognormal_log((a + b) / 2.0, (b - a) / (2.0 * z))
            }
            "uniform" => {
                // lo and hi are at probabilities p and 1 − p of [min, max].
                let p = norm_cdf(-z);
                let width = (hi - lo) / (1.0 - 2.0 * p);
                Family::uniform(lo - p * width, hi + p * width)
            }
            "student_t" => {
                let df = df.ok_or_else(|| {
                    ParamError("a student_t given by quantiles also needs `df`".into())
                })?;
                if df.is_nan() || df <= 0.0 {
                    return Err(ParamError(format!("`df` must be > 0, got {}", num(df))));
                }
                let t = student_t_ppf(norm_cdf(z), df);
                Family::student_t((lo + hi) / 2.0, (hi - lo) / (2.0 * t), df)
            }
            other => Err(ParamError(format!(
                "`{other}` cannot be given by quantiles; only normal, lognormal, uniform and student_t can"
            ))),
        }
    }

    /// The family's name as written in scenario files.
    pub fn kind(&self) -> &'static str {
        match &self.shape {
            Shape::Normal { .. } => "normal",
            Shape::LogNormal { .. } => "lognormal",
            Shape::Uniform { .. } => "uniform",
            Shape::Triangular { .. } => "triangular",
            Shape::Pert { .. } => "pert",
            Shape::StudentT { .. } => "student_t",
            Shape::TwoPieceNormal { .. } => "two_piece_normal",
            Shape::Empirical { .. } => "empirical",
            Shape::Constant { .. } => "constant",
        }
    }

    /// The parameters in a fixed order, by the names a scenario file uses. A lognormal is given by
    /// the mean and sd of the variable, a PERT by its mode; an empirical sample has one parameter,
    /// a shift of all its values (0).
    fn parameters(&self) -> Vec<Param> {
        use Role::{Location as L, Scale as S};
        let p = |name, value, role| Param { name, value, role };
        match &self.shape {
            Shape::Normal { mean, sd } => vec![p("mean", *mean, L), p("sd", *sd, S)],
            Shape::LogNormal { mu, sigma } => {
                let (mean, sd) = lognormal_moments(*mu, *sigma);
                vec![p("mean", mean, L), p("sd", sd, S)]
            }
            Shape::Uniform { min, max } => vec![p("min", *min, L), p("max", *max, L)],
            Shape::Triangular { min, mode, max, .. } => {
                vec![p("min", *min, L), p("mode", *mode, L), p("max", *max, L)]
            }
            Shape::Pert {
                min, max, alpha, ..
            } => {
                let mode = pert_mode(*min, *max, *alpha);
                vec![p("min", *min, L), p("mode", mode, L), p("max", *max, L)]
            }
            Shape::StudentT { mean, scale, df } => vec![
                p("mean", *mean, L),
                p("scale", *scale, S),
                p("df", *df, Role::Shape),
            ],
            Shape::TwoPieceNormal {
                mode,
                sd_low,
                sd_high,
                ..
            } => vec![
                p("mode", *mode, L),
                p("sd_low", *sd_low, S),
                p("sd_high", *sd_high, S),
            ],
            Shape::Empirical { .. } => vec![p("shift", 0.0, L)],
            Shape::Constant { value } => vec![p("value", *value, L)],
        }
    }

    /// The family with its parameters set to `v` (in [`Family::parameters`] order), validated.
    fn with_values(&self, v: &[f64]) -> Result<Family, ParamError> {
        let get = |i: usize| v.get(i).copied().unwrap_or(f64::NAN);
        match &self.shape {
            Shape::Normal { .. } => Family::normal(get(0), get(1)),
            Shape::LogNormal { .. } => Family::lognormal(get(0), get(1)),
            Shape::Uniform { .. } => Family::uniform(get(0), get(1)),
            Shape::Triangular { .. } => Family::triangular(get(0), get(1), get(2)),
            Shape::Pert { .. } => Family::pert(get(0), get(1), get(2)),
            Shape::StudentT { .. } => Family::student_t(get(0), get(1), get(2)),
            Shape::TwoPieceNormal { .. } => Family::two_piece_normal(get(0), get(1), get(2)),
            Shape::Empirical { values } => {
                let shifted: Vec<f64> = values.iter().map(|x| x + get(0)).collect();
                Family::empirical(&shifted)
            }
            Shape::Constant { .. } => Family::constant(get(0)),
        }
    }
}

impl From<Family> for Dist {
    /// The unclamped distribution of a (valid) family.
    fn from(family: Family) -> Dist {
        Dist {
            family,
            clamp: None,
        }
    }
}

impl Dist {
    /// The distribution of `family`, clamped to `[lo, hi]` if given. The bounds may be infinite but
    /// not NaN, and lo ≤ hi.
    pub fn new(family: Family, clamp: Option<(f64, f64)>) -> Result<Dist, ParamError> {
        if let Some((lo, hi)) = clamp
            && (lo.is_nan() || hi.is_nan() || lo > hi)
        {
            return Err(ParamError(format!(
                "`clamp` must be [lo, hi] with lo ≤ hi, got [{}, {}]",
                num(lo),
                num(hi)
            )));
        }
        if let Some((lo, hi)) = clamp
            && (lo == f64::INFINITY || hi == f64::NEG_INFINITY)
        {
            return Err(ParamError(format!(
                "`clamp` [{}, {}] would clamp every value to infinity",
                num(lo),
                num(hi)
            )));
        }
        Ok(Dist { family, clamp })
    }

    /// The family (the distribution before clamping).
    pub fn family(&self) -> &Family {
        &self.family
    }

    /// The clamp `(lo, hi)`, if any.
    pub fn clamp(&self) -> Option<(f64, f64)> {
        self.clamp
    }

    /// The family's name as written in scenario files.
    pub fn kind(&self) -> &'static str {
        self.family.kind()
    }

    /// The parameters in a fixed order, with their roles, by the names a scenario file uses: these
    /// are what [`Dist::with_parameter`] sets (a lognormal by the mean and sd of the variable, a
    /// PERT by its mode, an empirical sample by a shift of all its values, 0 here).
    pub fn parameters(&self) -> Vec<Param> {
        self.family.parameters()
    }

    /// The parameters to echo the distribution by: [`Dist::parameters`], except that an empirical
    /// sample is shown by its range (`min`, `max`) instead of its shift (see [`Dist::sample_size`]).
    pub fn summary_parameters(&self) -> Vec<Param> {
        match &self.family.shape {
            Shape::Empirical { values } => {
                let p = |name, value| Param {
                    name,
                    value,
                    role: Role::Location,
                };
                vec![p("min", values[0]), p("max", values[values.len() - 1])]
            }
            _ => self.parameters(),
        }
    }

    /// The number of values of an empirical distribution.
    pub fn sample_size(&self) -> Option<usize> {
        match &self.family.shape {
            Shape::Empirical { values } => Some(values.len()),
            _ => None,
        }
    }

    /// The distribution with parameter `name` (one of [`Dist::parameters`]) set to `value` and the
    /// others and the clamp kept; an error when there is no such parameter or the setting is not
    /// valid (sd < 0, min > mode, …). A lognormal's mean moves with its sd kept, a PERT's bounds
    /// or mode with the other two kept.
    pub fn with_parameter(&self, name: &str, value: f64) -> Result<Dist, ParamError> {
        let params = self.parameters();
        let i = params
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ParamError(format!("a {} has no parameter `{name}`", self.kind())))?;
        let mut v: Vec<f64> = params.iter().map(|p| p.value).collect();
        v[i] = value;
        Ok(Dist {
            family: self.family.with_values(&v)?,
            clamp: self.clamp,
        })
    }

    /// The distribution shifted by `delta` in location: every location parameter moves by δ (a
    /// normal's mean, a triangular's min, mode and max, an empirical sample's values…) while the
    /// spread, the shape and the clamp stay; a lognormal keeps its sd while its mean moves, a PERT
    /// keeps its shape (α, β).
    pub fn shifted(&self, delta: f64) -> Result<Dist, ParamError> {
        let family = match &self.family.shape {
            Shape::Pert {
                min,
                max,
                alpha,
                beta,
            } => Family::of(Shape::Pert {
                min: finite("min", min + delta)?,
                max: finite("max", max + delta)?,
                alpha: *alpha,
                beta: *beta,
            }),
            _ => {
                let v: Vec<f64> = self
                    .parameters()
                    .iter()
                    .map(|p| match p.role {
                        Role::Location => p.value + delta,
                        _ => p.value,
                    })
                    .collect();
                self.family.with_values(&v)?
            }
        };
        Ok(Dist {
            family,
            clamp: self.clamp,
        })
    }

    /// Transforms a row of draws in place: normal scores (`uniform = false`) or uniforms in (0, 1).
    /// The family is matched once per row, not once per value.
    pub fn transform(&self, row: &mut [f64], uniform: bool) {
        match (&self.family.shape, uniform) {
            (Shape::Normal { mean, sd }, false) => row.iter_mut().for_each(|z| *z = mean + sd * *z),
            (Shape::LogNormal { mu, sigma }, false) => {
                row.iter_mut().for_each(|z| *z = (mu + sigma * *z).exp())
            }
            (Shape::Constant { value }, _) => row.fill(*value),
            (Shape::Uniform { min, max }, true) => {
                row.iter_mut().for_each(|u| *u = min + (max - min) * *u)
            }
            (
                Shape::Triangular {
                    min, max, fc, a, b, ..
                },
                true,
            ) => {
                row.iter_mut().for_each(|u| {
                    *u = if *u < *fc {
                        min + (*u * a).sqrt()
                    } else {
                        max - ((1.0 - *u) * b).sqrt()
                    }
                });
            }
            // The family most scenarios use beside the normal, without a dispatch per value.
            (
                Shape::Triangular {
                    min,
                    mode,
                    max,
                    range,
                    fc,
                    ..
                },
                false,
            ) => row.iter_mut().for_each(|z| {
                *z = triangular_quantile(*min, *mode, *max, *range, *fc, norm_cdf(*z))
            }),
            (_, false) => row
                .iter_mut()
                .for_each(|z| *z = self.quantile(norm_cdf(*z))),
            (_, true) => row.iter_mut().for_each(|u| *u = self.quantile(*u)),
        }
        if let Some((lo, hi)) = self.clamp {
            row.iter_mut().for_each(|v| *v = v.clamp(lo, hi));
        }
    }

    /// The quantile function at probability `u` in (0, 1), before clamping.
    pub fn quantile(&self, u: f64) -> f64 {
        match &self.family.shape {
            Shape::Normal { mean, sd } => mean + sd * norm_ppf(u),
            Shape::LogNormal { mu, sigma } => (mu + sigma * norm_ppf(u)).exp(),
            Shape::Uniform { min, max } => min + (max - min) * u,
            Shape::Triangular {
                min,
                mode,
                max,
                range,
                fc,
                ..
            } => triangular_quantile(*min, *mode, *max, *range, *fc, u),
            Shape::Pert {
                min,
                max,
                alpha,
                beta,
            } => min + (max - min) * beta_inc_inv(*alpha, *beta, u),
            Shape::StudentT { mean, scale, df } => mean + scale * student_t_ppf(u, *df),
            Shape::TwoPieceNormal {
                mode,
                sd_low,
                sd_high,
                total,
                p0,
                two_low,
                two_high,
            } => {
                if *total == 0.0 {
                    return *mode;
                }
                if u < *p0 {
                    mode + sd_low * norm_ppf(u * total / two_low)
                } else {
                    mode + sd_high * norm_ppf((u - p0) * total / two_high + 0.5)
                }
            }
            Shape::Empirical { values } => {
                let n = values.len();
                let i = ((u * n as f64) as usize).min(n - 1);
                values[i]
            }
            Shape::Constant { value } => *value,
        }
    }

    /// The mean of the unclamped distribution (the centre that AR(1) persistence reverts to).
    /// For Student's t with df ≤ 1 (no mean) this is the location.
    pub fn mean(&self) -> f64 {
        self.family.mean
    }

    /// The standard deviation of the unclamped distribution (the unit of a steering margin and of
    /// the sensitivity swing). For Student's t with df ≤ 2 (infinite variance) this is the scale.
    pub fn sd(&self) -> f64 {
        self.family.sd
    }

    /// True when every draw is the same number (no randomness to vary).
    pub fn is_degenerate(&self) -> bool {
        match &self.family.shape {
            Shape::Constant { .. } => true,
            Shape::Normal { sd, .. } => *sd == 0.0,
            Shape::LogNormal { sigma, .. } => *sigma == 0.0,
            Shape::Uniform { min, max } => min == max,
            Shape::Triangular { min, max, .. } => min == max,
            Shape::StudentT { scale, .. } => *scale == 0.0,
            Shape::TwoPieceNormal {
                sd_low, sd_high, ..
            } => *sd_low == 0.0 && *sd_high == 0.0,
            Shape::Empirical { values } => values.first() == values.last(),
            Shape::Pert { .. } => false,
        }
    }
}

/// The triangular quantile at `u` (`range` = max − min, `fc` = (mode − min)/range), one
/// expression for the quantile function and the transform of normal scores.
#[inline(always)]
fn triangular_quantile(min: f64, mode: f64, max: f64, range: f64, fc: f64, u: f64) -> f64 {
    if range == 0.0 {
        return min;
    }
    if u < fc {
        min + (u * range * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * range * (max - mode)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: Family) -> Dist {
        Dist::from(f)
    }

    /// One distribution of every family.
    fn every_family() -> Vec<Family> {
        vec![
            Family::normal(0.065, 0.012).unwrap(),
            Family::lognormal(1.07, 0.03).unwrap(),
            Family::uniform(1.0, 3.0).unwrap(),
            Family::triangular(0.8, 1.3, 1.6).unwrap(),
            Family::pert(0.0, 0.3, 1.0).unwrap(),
            Family::student_t(1.0, 0.5, 5.0).unwrap(),
            Family::two_piece_normal(2.0, 0.5, 1.5).unwrap(),
            Family::empirical(&[1.0, 2.0, 4.0]).unwrap(),
            Family::constant(3.0).unwrap(),
        ]
    }

    #[test]
    fn quantile_parameterisation_round_trips() {
        let n = Family::from_quantiles("normal", 3.6, 4.8, Z90, None).unwrap();
        let dn = d(n);
        assert!((dn.quantile(0.1) - 3.6).abs() < 1e-12);
        assert!((dn.quantile(0.9) - 4.8).abs() < 1e-12);
        let ln = d(Family::from_quantiles("lognormal", 2.0, 8.0, Z95, None).unwrap());
        assert!((ln.quantile(0.05) - 2.0).abs() < 1e-10);
        assert!((ln.quantile(0.95) - 8.0).abs() < 1e-10);
        let u = d(Family::from_quantiles("uniform", 1.0, 9.0, Z90, None).unwrap());
        assert!((u.quantile(0.1) - 1.0).abs() < 1e-12);
        assert!((u.quantile(0.9) - 9.0).abs() < 1e-12);
        let t = d(Family::from_quantiles("student_t", -1.0, 3.0, Z90, Some(4.0)).unwrap());
        assert!((t.quantile(0.1) + 1.0).abs() < 1e-8);
        assert!((t.quantile(0.9) - 3.0).abs() < 1e-8);
    }

    #[test]
    fn lognormal_moments() {
        let l = d(Family::lognormal(1.07, 0.02).unwrap());
        assert!((l.mean() - 1.07).abs() < 1e-12);
        assert!((l.sd() - 0.02).abs() < 1e-12);
    }

    #[test]
    fn standard_deviations_match_known_values() {
        let sd = |f: Family| d(f).sd();
        assert!((sd(Family::uniform(0.0, 12f64.sqrt()).unwrap()) - 1.0).abs() < 1e-12);
        // Triangular(0, 0, 1): variance 1/18.
        let t = sd(Family::triangular(0.0, 0.0, 1.0).unwrap());
        assert!((t - (1.0f64 / 18.0).sqrt()).abs() < 1e-12);
        // A two-piece normal with equal sides is a normal.
        let tp = sd(Family::two_piece_normal(0.0, 0.7, 0.7).unwrap());
        assert!((tp - 0.7).abs() < 1e-12);
        // Student's t: scale·√(df/(df − 2)); its scale when df ≤ 2.
        let st = sd(Family::student_t(0.0, 2.0, 4.0).unwrap());
        assert!((st - 2.0 * 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(sd(Family::student_t(0.0, 2.0, 1.5).unwrap()), 2.0);
        assert_eq!(sd(Family::constant(3.0).unwrap()), 0.0);
    }

    #[test]
    fn two_piece_normal_quantile_matches_its_cdf() {
        let tp = d(Family::two_piece_normal(2.0, 0.5, 1.5).unwrap());
        // P(X < mode) = 0.25
        assert!((tp.quantile(0.25) - 2.0).abs() < 1e-9);
        // Upper half: F(x) = 0.25 + 2·0.75·(Φ((x−m)/1.5) − 0.5)
        let x = tp.quantile(0.8);
        let f = 0.25 + 1.5 * (norm_cdf((x - 2.0) / 1.5) - 0.5);
        assert!((f - 0.8).abs() < 1e-12);
        let x = tp.quantile(0.1);
        let f = 0.5 * norm_cdf((x - 2.0) / 0.5);
        assert!((f - 0.1).abs() < 1e-12);
        // Degenerate sides: a point mass, or all mass above the mode.
        assert_eq!(
            d(Family::two_piece_normal(2.0, 0.0, 0.0).unwrap()).quantile(0.3),
            2.0
        );
        assert!(d(Family::two_piece_normal(2.0, 0.0, 1.0).unwrap()).quantile(0.01) >= 2.0);
    }

    #[test]
    fn triangular_and_pert_quantiles() {
        let tri = d(Family::triangular(0.0, 1.0, 4.0).unwrap());
        // F(mode) = (mode − min)/(max − min) = 0.25
        assert!((tri.quantile(0.25) - 1.0).abs() < 1e-12);
        // The uniform-draw path agrees with the quantile function.
        let mut u = [0.1, 0.25, 0.6, 0.99];
        let q: Vec<f64> = u.iter().map(|&x| tri.quantile(x)).collect();
        tri.transform(&mut u, true);
        for (a, b) in u.iter().zip(&q) {
            assert!((a - b).abs() < 1e-12);
        }
        let flat = d(Family::triangular(2.0, 2.0, 2.0).unwrap());
        let mut u = [0.1, 0.9];
        flat.transform(&mut u, true);
        assert_eq!(u, [2.0, 2.0]);
        assert_eq!(flat.quantile(0.5), 2.0);
        let p = d(Family::pert(0.0, 0.5, 1.0).unwrap());
        assert!((p.quantile(0.5) - 0.5).abs() < 1e-10);
        assert!((p.mean() - 0.5).abs() < 1e-12);
        assert_eq!(d(Family::pert(1.0, 1.0, 1.0).unwrap()).kind(), "constant");
    }

    #[test]
    fn bad_parameters_are_rejected() {
        assert!(Family::normal(0.0, -1.0).is_err());
        assert!(Family::uniform(2.0, 1.0).is_err());
        assert!(Family::triangular(0.0, 3.0, 2.0).is_err());
        assert!(Family::lognormal(-1.0, 0.1).is_err());
        assert!(Family::from_quantiles("normal", 5.0, 4.0, Z90, None).is_err());
        assert!(Family::from_quantiles("lognormal", 1.0, 4.0, 0.0, None).is_err());
        assert!(Family::from_quantiles("normal", 1.0, 4.0, f64::NAN, None).is_err());
        assert!(Family::normal(f64::NAN, 1.0).is_err());
        assert!(Family::empirical(&[]).is_err());
    }

    #[test]
    fn clamp_applies() {
        let c = Dist::new(Family::normal(0.0, 1.0).unwrap(), Some((-0.5, 0.5))).unwrap();
        assert_eq!(c.clamp(), Some((-0.5, 0.5)));
        let mut z = [3.0, -3.0, 0.25];
        c.transform(&mut z, false);
        assert_eq!(z, [0.5, -0.5, 0.25]);
        let mut u = [0.999, 0.001];
        c.transform(&mut u, true);
        assert_eq!(u, [0.5, -0.5]);
    }

    #[test]
    fn a_bad_clamp_is_refused_not_a_panic() {
        let f = || Family::normal(0.0, 1.0).unwrap();
        assert!(Dist::new(f(), Some((1.0, -1.0))).is_err());
        assert!(Dist::new(f(), Some((f64::NAN, 1.0))).is_err());
        assert!(Dist::new(f(), Some((0.0, f64::NAN))).is_err());
        // Infinite bounds and a point are fine, and sample without panicking.
        for clamp in [
            (f64::NEG_INFINITY, 0.0),
            (0.0, f64::INFINITY),
            (f64::NEG_INFINITY, f64::INFINITY),
            (0.5, 0.5),
        ] {
            let c = Dist::new(f(), Some(clamp)).unwrap();
            let mut z = [-2.0, 0.0, 2.0];
            c.transform(&mut z, false);
            assert!(z.iter().all(|v| *v >= clamp.0 && *v <= clamp.1), "{z:?}");
        }
    }

    #[test]
    fn parameters_round_trip_through_with_parameter_for_every_family() {
        for f in every_family() {
            let a = Dist::new(f, Some((-5.0, 5.0))).unwrap();
            let params = a.parameters();
            assert!(!params.is_empty());
            for p in &params {
                let b = a.with_parameter(p.name, p.value).unwrap();
                assert_eq!(b.kind(), a.kind());
                assert_eq!(b.clamp(), a.clamp());
                for (x, y) in params.iter().zip(b.parameters()) {
                    assert_eq!((x.name, x.role), (y.name, y.role));
                    assert!((x.value - y.value).abs() < 1e-12, "{a:?}: {x:?} vs {y:?}");
                }
                assert!((b.mean() - a.mean()).abs() < 1e-12);
                assert!((b.sd() - a.sd()).abs() < 1e-12);
            }
            assert!(a.with_parameter("no_such", 1.0).is_err());
        }
    }

    #[test]
    fn with_parameter_sets_one_value_and_refuses_invalid_ones() {
        let n = d(Family::normal(0.0, 1.0).unwrap());
        assert_eq!(n.with_parameter("sd", 2.0).unwrap().sd(), 2.0);
        assert!(n.with_parameter("sd", -0.1).is_err());
        assert!(n.with_parameter("mean", f64::NAN).is_err());
        let u = d(Family::uniform(1.0, 3.0).unwrap());
        assert!(u.with_parameter("min", 4.0).is_err());
        assert!(u.with_parameter("max", 0.5).is_err());
        let t = d(Family::triangular(0.0, 1.0, 2.0).unwrap());
        assert!(t.with_parameter("min", 1.5).is_err());
        assert!(t.with_parameter("mode", 2.5).is_err());
        let p = d(Family::pert(0.0, 1.0, 2.0).unwrap());
        assert!(p.with_parameter("max", -1.0).is_err());
        let moved = p.with_parameter("mode", 1.5).unwrap();
        assert!((moved.parameters()[1].value - 1.5).abs() < 1e-12);
        let l = d(Family::lognormal(1.07, 0.03).unwrap());
        assert!(l.with_parameter("mean", 0.0).is_err());
        let st = d(Family::student_t(0.0, 1.0, 5.0).unwrap());
        assert!(st.with_parameter("df", 0.0).is_err());
        assert!(st.with_parameter("scale", -1.0).is_err());
        let tp = d(Family::two_piece_normal(0.0, 1.0, 2.0).unwrap());
        assert!(tp.with_parameter("sd_low", -1.0).is_err());
        let e = d(Family::empirical(&[1.0, 2.0, 4.0]).unwrap());
        let e2 = e.with_parameter("shift", 0.5).unwrap();
        assert_eq!(e2.summary_parameters()[0].value, 1.5);
        assert!(e.with_parameter("shift", f64::INFINITY).is_err());
    }

    #[test]
    fn shifted_moves_the_mean_and_keeps_sd_shape_and_clamp() {
        for f in every_family() {
            let a = Dist::new(f, Some((-5.0, 5.0))).unwrap();
            let b = a.shifted(0.25).unwrap();
            assert_eq!(b.kind(), a.kind());
            assert!((b.mean() - a.mean() - 0.25).abs() < 1e-9, "{a:?}");
            assert!((b.sd() - a.sd()).abs() < 1e-9, "{a:?}");
            assert_eq!(b.clamp(), a.clamp());
            // (An empirical sample's shift is relative: its range shows the move.)
            for (x, y) in a.summary_parameters().iter().zip(b.summary_parameters()) {
                let moved = if x.role == Role::Location { 0.25 } else { 0.0 };
                assert!((y.value - x.value - moved).abs() < 1e-9, "{a:?}: {x:?}");
            }
        }
        // The student_t keeps its degrees of freedom, the PERT its shape.
        let t = d(Family::student_t(1.0, 0.5, 3.0).unwrap())
            .shifted(-1.0)
            .unwrap();
        assert_eq!(t.parameters()[2].value, 3.0);
        let p = d(Family::pert(0.0, 0.3, 1.0).unwrap());
        assert_eq!(p.shifted(2.0).unwrap().quantile(0.3), p.quantile(0.3) + 2.0);
        assert!(p.shifted(f64::INFINITY).is_err());
        assert!(
            d(Family::normal(0.0, 1.0).unwrap())
                .shifted(f64::NAN)
                .is_err()
        );
    }

    #[test]
    fn summary_parameters_echo_what_a_scenario_file_states() {
        let pert = d(Family::pert(1.0, 2.0, 5.0).unwrap());
        let s = pert.summary_parameters();
        let names: Vec<&str> = s.iter().map(|p| p.name).collect();
        assert_eq!(names, ["min", "mode", "max"]);
        assert!((s[1].value - 2.0).abs() < 1e-12);
        let e = d(Family::empirical(&[4.0, 1.0, 2.0]).unwrap());
        let s = e.summary_parameters();
        assert_eq!(
            (s[0].name, s[0].value, s[1].name, s[1].value),
            ("min", 1.0, "max", 4.0)
        );
        assert_eq!(e.sample_size(), Some(3));
        assert_eq!(pert.sample_size(), None);
        let t = d(Family::student_t(1.0, 0.5, 3.0).unwrap()).summary_parameters();
        assert_eq!(t[2].role, Role::Shape);
    }
}
