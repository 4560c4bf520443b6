//! Probability distributions as small validated values.
//!
//! Every distribution is sampled through its quantile function: `transform` turns a row of standard
//! normal scores z into Q(Φ(z)), or a row of uniforms u into Q(u). The engine draws normal scores
//! where the family is normal-like (no Φ needed) or the Gaussian copula correlates the input, and
//! uniforms otherwise; every family goes through the same path, and the family is matched once per
//! row. Constructors reject bad parameters once, so the hot loop never re-checks.

use super::special::{beta_inc_inv, norm_cdf, norm_ppf, student_t_ppf};

/// z-value of the 90 % quantile of a standard normal.
pub const Z90: f64 = 1.2815515655446004;
/// z-value of the 95 % quantile of a standard normal.
pub const Z95: f64 = 1.6448536269514722;

/// The distribution families of DESIGN.md.
#[derive(Debug, Clone, PartialEq)]
pub enum Family {
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
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
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
    TwoPieceNormal {
        mode: f64,
        sd_low: f64,
        sd_high: f64,
    },
    /// Bootstrap from the values, sorted ascending.
    Empirical {
        values: Vec<f64>,
    },
    Constant {
        value: f64,
    },
}

/// A validated distribution with an optional clamp.
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    pub family: Family,
    pub clamp: Option<(f64, f64)>,
}

/// A parameter error: which parameter and why, for the scenario validator to place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError(pub String);

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
        Err(ParamError(format!("`{name}` must be ≥ 0, got {v}")))
    } else {
        Ok(v)
    }
}

fn ordered(lo_name: &str, lo: f64, hi_name: &str, hi: f64) -> Result<(), ParamError> {
    finite(lo_name, lo)?;
    finite(hi_name, hi)?;
    if lo > hi {
        Err(ParamError(format!(
            "`{lo_name}` ({lo}) must not exceed `{hi_name}` ({hi})"
        )))
    } else {
        Ok(())
    }
}

impl Family {
    /// Mean and standard deviation of a lognormal variable with log-parameters `mu`, `sigma`.
    pub fn lognormal_moments(mu: f64, sigma: f64) -> (f64, f64) {
        let mean = (mu + sigma * sigma / 2.0).exp();
        (mean, mean * (sigma * sigma).exp_m1().max(0.0).sqrt())
    }

    /// The mode of a PERT on [min, max] with shape α = 1 + 4(mode − min)/(max − min).
    pub fn pert_mode(min: f64, max: f64, alpha: f64) -> f64 {
        min + (alpha - 1.0) * (max - min) / 4.0
    }

    pub fn normal(mean: f64, sd: f64) -> Result<Family, ParamError> {
        Ok(Family::Normal {
            mean: finite("mean", mean)?,
            sd: non_negative("sd", sd)?,
        })
    }

    /// Lognormal from the mean and sd of the variable itself (mean > 0).
    pub fn lognormal(mean: f64, sd: f64) -> Result<Family, ParamError> {
        finite("mean", mean)?;
        non_negative("sd", sd)?;
        if mean <= 0.0 {
            return Err(ParamError(format!(
                "a lognormal needs `mean` > 0, got {mean}"
            )));
        }
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        Ok(Family::LogNormal {
            mu: mean.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        })
    }

    pub fn uniform(min: f64, max: f64) -> Result<Family, ParamError> {
        ordered("min", min, "max", max)?;
        Ok(Family::Uniform { min, max })
    }

    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Family, ParamError> {
        ordered("min", min, "mode", mode)?;
        ordered("mode", mode, "max", max)?;
        Ok(Family::Triangular { min, mode, max })
    }

    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Family, ParamError> {
        ordered("min", min, "mode", mode)?;
        ordered("mode", mode, "max", max)?;
        if max == min {
            return Ok(Family::Constant { value: min });
        }
        let range = max - min;
        Ok(Family::Pert {
            min,
            max,
            alpha: 1.0 + 4.0 * (mode - min) / range,
            beta: 1.0 + 4.0 * (max - mode) / range,
        })
    }

    pub fn student_t(mean: f64, scale: f64, df: f64) -> Result<Family, ParamError> {
        finite("mean", mean)?;
        non_negative("scale", scale)?;
        finite("df", df)?;
        if df <= 0.0 {
            return Err(ParamError(format!("`df` must be > 0, got {df}")));
        }
        Ok(Family::StudentT { mean, scale, df })
    }

    pub fn two_piece_normal(mode: f64, sd_low: f64, sd_high: f64) -> Result<Family, ParamError> {
        finite("mode", mode)?;
        non_negative("sd_low", sd_low)?;
        non_negative("sd_high", sd_high)?;
        Ok(Family::TwoPieceNormal {
            mode,
            sd_low,
            sd_high,
        })
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
        Ok(Family::Empirical { values: v })
    }

    pub fn constant(value: f64) -> Result<Family, ParamError> {
        Ok(Family::Constant {
            value: finite("value", value)?,
        })
    }

    /// A two-parameter family from two symmetric quantiles `lo` (probability `p`) and `hi` (1 − p),
    /// where `z` = Φ⁻¹(1 − p). `df` is needed for Student's t.
    pub fn from_quantiles(
        kind: &str,
        lo: f64,
        hi: f64,
        z: f64,
        df: Option<f64>,
    ) -> Result<Family, ParamError> {
        finite("lower quantile", lo)?;
        finite("upper quantile", hi)?;
        if lo > hi {
            return Err(ParamError(format!(
                "the lower quantile ({lo}) must not exceed the upper one ({hi})"
            )));
        }
        match kind {
            "normal" => Family::normal((lo + hi) / 2.0, (hi - lo) / (2.0 * z)),
            "lognormal" => {
                if lo <= 0.0 {
                    return Err(ParamError(format!(
                        "a lognormal needs positive quantiles, got {lo}"
                    )));
                }
                let (a, b) = (lo.ln(), hi.ln());
                Ok(Family::LogNormal {
                    mu: (a + b) / 2.0,
                    sigma: (b - a) / (2.0 * z),
                })
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
                    return Err(ParamError(format!("`df` must be > 0, got {df}")));
                }
                let t = student_t_ppf(norm_cdf(z), df);
                Family::student_t((lo + hi) / 2.0, (hi - lo) / (2.0 * t), df)
            }
            other => Err(ParamError(format!(
                "`{other}` cannot be given by quantiles; only normal, lognormal, uniform and student_t can"
            ))),
        }
    }
}

impl Dist {
    /// True when sampling from a uniform draw is cheaper than from a normal one (the family's
    /// quantile function does not start from a normal score).
    pub fn prefers_uniform(&self) -> bool {
        !matches!(
            self.family,
            Family::Normal { .. } | Family::LogNormal { .. } | Family::Constant { .. }
        )
    }

    /// Transforms a row of draws in place: normal scores (`uniform = false`) or uniforms in (0, 1).
    /// The family is matched once per row, not once per value.
    pub fn transform(&self, row: &mut [f64], uniform: bool) {
        match (&self.family, uniform) {
            (Family::Normal { mean, sd }, false) => {
                row.iter_mut().for_each(|z| *z = mean + sd * *z)
            }
            (Family::LogNormal { mu, sigma }, false) => {
                row.iter_mut().for_each(|z| *z = (mu + sigma * *z).exp())
            }
            (Family::Constant { value }, _) => row.fill(*value),
            (Family::Uniform { min, max }, true) => {
                row.iter_mut().for_each(|u| *u = min + (max - min) * *u)
            }
            (Family::Triangular { min, mode, max }, true) => {
                let range = max - min;
                let fc = if range > 0.0 {
                    (mode - min) / range
                } else {
                    0.0
                };
                let (a, b) = (range * (mode - min), range * (max - mode));
                row.iter_mut().for_each(|u| {
                    *u = if *u < fc {
                        min + (*u * a).sqrt()
                    } else {
                        max - ((1.0 - *u) * b).sqrt()
                    }
                });
            }
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
        match &self.family {
            Family::Normal { mean, sd } => mean + sd * norm_ppf(u),
            Family::LogNormal { mu, sigma } => (mu + sigma * norm_ppf(u)).exp(),
            Family::Uniform { min, max } => min + (max - min) * u,
            Family::Triangular { min, mode, max } => {
                let range = max - min;
                if range == 0.0 {
                    return *min;
                }
                let fc = (mode - min) / range;
                if u < fc {
                    min + (u * range * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * range * (max - mode)).sqrt()
                }
            }
            Family::Pert {
                min,
                max,
                alpha,
                beta,
            } => min + (max - min) * beta_inc_inv(*alpha, *beta, u),
            Family::StudentT { mean, scale, df } => mean + scale * student_t_ppf(u, *df),
            Family::TwoPieceNormal {
                mode,
                sd_low,
                sd_high,
            } => {
                let total = sd_low + sd_high;
                if total == 0.0 {
                    return *mode;
                }
                let p0 = sd_low / total;
                if u < p0 {
                    mode + sd_low * norm_ppf(u * total / (2.0 * sd_low))
                } else {
                    mode + sd_high * norm_ppf((u - p0) * total / (2.0 * sd_high) + 0.5)
                }
            }
            Family::Empirical { values } => {
                let n = values.len();
                let i = ((u * n as f64) as usize).min(n - 1);
                values[i]
            }
            Family::Constant { value } => *value,
        }
    }

    /// The mean of the unclamped distribution (the centre that AR(1) persistence reverts to).
    /// For Student's t with df ≤ 1 (no mean) this is the location.
    pub fn mean(&self) -> f64 {
        match &self.family {
            Family::Normal { mean, .. } => *mean,
            Family::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Family::Uniform { min, max } => (min + max) / 2.0,
            Family::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Family::Pert {
                min,
                max,
                alpha,
                beta,
            } => min + (max - min) * alpha / (alpha + beta),
            Family::StudentT { mean, .. } => *mean,
            Family::TwoPieceNormal {
                mode,
                sd_low,
                sd_high,
            } => mode + (2.0 / std::f64::consts::PI).sqrt() * (sd_high - sd_low),
            Family::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
            Family::Constant { value } => *value,
        }
    }

    /// The standard deviation of the unclamped distribution (the unit of a steering margin).
    /// For Student's t with df ≤ 2 (infinite variance) this is the scale.
    pub fn sd(&self) -> f64 {
        match &self.family {
            Family::Normal { sd, .. } => *sd,
            Family::LogNormal { mu, sigma } => Family::lognormal_moments(*mu, *sigma).1,
            Family::Uniform { min, max } => (max - min) / 12f64.sqrt(),
            Family::Triangular { min, mode, max } => {
                let (a, b, c) = (*min, *mode, *max);
                ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0)
                    .max(0.0)
                    .sqrt()
            }
            Family::Pert {
                min,
                max,
                alpha,
                beta,
            } => {
                let s = alpha + beta;
                (max - min) * (alpha * beta / (s * s * (s + 1.0))).sqrt()
            }
            Family::StudentT { scale, df, .. } => {
                if *df > 2.0 {
                    scale * (df / (df - 2.0)).sqrt()
                } else {
                    *scale
                }
            }
            Family::TwoPieceNormal {
                sd_low, sd_high, ..
            } => {
                let d = sd_high - sd_low;
                ((1.0 - 2.0 / std::f64::consts::PI) * d * d + sd_low * sd_high).sqrt()
            }
            Family::Empirical { values } => {
                let n = values.len() as f64;
                let m = values.iter().sum::<f64>() / n;
                (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n).sqrt()
            }
            Family::Constant { .. } => 0.0,
        }
    }

    /// True when every draw is the same number (no randomness to vary).
    pub fn is_degenerate(&self) -> bool {
        match &self.family {
            Family::Constant { .. } => true,
            Family::Normal { sd, .. } => *sd == 0.0,
            Family::LogNormal { sigma, .. } => *sigma == 0.0,
            Family::Uniform { min, max } => min == max,
            Family::Triangular { min, max, .. } => min == max,
            Family::StudentT { scale, .. } => *scale == 0.0,
            Family::TwoPieceNormal {
                sd_low, sd_high, ..
            } => *sd_low == 0.0 && *sd_high == 0.0,
            Family::Empirical { values } => values.first() == values.last(),
            Family::Pert { .. } => false,
        }
    }

    /// The family's name as written in scenario files.
    pub fn kind(&self) -> &'static str {
        match &self.family {
            Family::Normal { .. } => "normal",
            Family::LogNormal { .. } => "lognormal",
            Family::Uniform { .. } => "uniform",
            Family::Triangular { .. } => "triangular",
            Family::Pert { .. } => "pert",
            Family::StudentT { .. } => "student_t",
            Family::TwoPieceNormal { .. } => "two_piece_normal",
            Family::Empirical { .. } => "empirical",
            Family::Constant { .. } => "constant",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: Family) -> Dist {
        Dist {
            family: f,
            clamp: None,
        }
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
    }

    #[test]
    fn triangular_and_pert_quantiles() {
        let tri = d(Family::triangular(0.0, 1.0, 4.0).unwrap());
        // F(mode) = (mode − min)/(max − min) = 0.25
        assert!((tri.quantile(0.25) - 1.0).abs() < 1e-12);
        let p = d(Family::pert(0.0, 0.5, 1.0).unwrap());
        assert!((p.quantile(0.5) - 0.5).abs() < 1e-10);
        assert!((p.mean() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn bad_parameters_are_rejected() {
        assert!(Family::normal(0.0, -1.0).is_err());
        assert!(Family::uniform(2.0, 1.0).is_err());
        assert!(Family::triangular(0.0, 3.0, 2.0).is_err());
        assert!(Family::lognormal(-1.0, 0.1).is_err());
        assert!(Family::from_quantiles("normal", 5.0, 4.0, Z90, None).is_err());
        assert!(Family::normal(f64::NAN, 1.0).is_err());
        assert!(Family::empirical(&[]).is_err());
    }

    #[test]
    fn clamp_applies() {
        let c = Dist {
            family: Family::normal(0.0, 1.0).unwrap(),
            clamp: Some((-0.5, 0.5)),
        };
        let mut z = [3.0, -3.0, 0.25];
        c.transform(&mut z, false);
        assert_eq!(z, [0.5, -0.5, 0.25]);
        let mut u = [0.999, 0.001];
        c.transform(&mut u, true);
        assert_eq!(u, [0.5, -0.5]);
    }
}
