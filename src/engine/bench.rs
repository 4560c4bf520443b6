//! Measuring the engine against its random-number floor, for `attain bench` and for CI.
//!
//! Absolute times depend on the machine and its load; the ratios measured in one run (engine time
//! over the time to draw the same random variates alone, and the parallel efficiency) carry over
//! between machines far better. So the report holds both, CI compares only the ratio with a
//! committed baseline ([`compare`]), and nothing here asserts a time.

use super::{RunOptions, rng_floor, run};
use crate::error::{Error, Result};
use crate::model::Model;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// One `attain bench` measurement.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// Identifies the format of this JSON.
    pub format: String,
    pub attain_version: String,
    pub scenario: String,
    pub runs: u64,
    pub repeat: usize,
    pub years: usize,
    pub draws: usize,
    pub shocks: usize,
    /// Random variates drawn by the runs.
    pub variates: u64,
    /// The thread count of the parallel measurement.
    pub threads: usize,
    /// Fastest of `repeat` timings, in seconds.
    pub engine_1t_s: f64,
    pub floor_1t_s: f64,
    pub engine_nt_s: f64,
    pub floor_nt_s: f64,
    pub paths_per_s_1t: f64,
    pub paths_per_s_nt: f64,
    /// Engine time over floor time, on one thread and on `threads` threads.
    pub engine_floor_1t: f64,
    pub engine_floor_nt: f64,
    /// engine_1t / (threads · engine_nt).
    pub parallel_efficiency: f64,
    /// Engine over floor on one thread in CPU time (Linux: the process's CPU time; `None`
    /// elsewhere): unlike wall time, it does not count the time other jobs held the core, so it is
    /// the steadier figure on a shared machine.
    #[serde(default)]
    pub engine_floor_1t_cpu: Option<f64>,
    /// Peak resident memory of the process so far (Linux: VmHWM), bytes.
    pub peak_rss_bytes: Option<u64>,
    pub machine: Machine,
}

/// What the measurement ran on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Machine {
    pub cpu: String,
    /// Logical cores available to the process.
    pub cores: usize,
    pub os: String,
    pub arch: String,
}

/// The format tag of [`Report`].
pub const FORMAT: &str = "attain-bench/1";

impl Machine {
    pub fn this() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            os: std::env::consts::OS.into(),
            arch: std::env::consts::ARCH.into(),
        }
    }
}

/// CPU time (user and system) used by this process so far, all its threads including those that
/// have exited (each measurement starts and ends its own worker pool), in seconds; `None` where
/// `getrusage` is not available.
fn cpu_seconds() -> Option<f64> {
    #[cfg(unix)]
    {
        let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage writes a `rusage` into the pointer it is given, which is valid and
        // properly aligned; the struct is only read when the call reports success.
        let ok = unsafe { libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr()) } == 0;
        if !ok {
            return None;
        }
        // SAFETY: initialised by the successful call above (and zeroed before it).
        let u = unsafe { u.assume_init() };
        let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
        Some(secs(u.ru_utime) + secs(u.ru_stime))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Peak resident memory of this process (Linux only).
pub fn peak_rss_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Measures `model` with `runs` runs: engine and floor on one thread and on `threads` threads, the
/// fastest of `repeat` timings each.
pub fn measure(
    model: &Model,
    scenario: &str,
    runs: u64,
    repeat: usize,
    threads: usize,
) -> Result<Report> {
    let threads = threads.max(1);
    let opts = |t| RunOptions {
        runs,
        seed: model.scenario.seed,
        threads: Some(t),
        shard: None,
        sampling: Default::default(),
    };
    // The fastest of `repeat` (wall, CPU) timings of `a` and of `b`, taken in turn (a, b, a, b, …)
    // so that a change in the machine's load hits both alike.
    type Timing = (f64, Option<f64>);
    let pair =
        |a: &dyn Fn() -> Result<()>, b: &dyn Fn() -> Result<()>| -> Result<(Timing, Timing)> {
            let once = |f: &dyn Fn() -> Result<()>| -> Result<Timing> {
                let (t, c) = (Instant::now(), cpu_seconds());
                f()?;
                let cpu = cpu_seconds().zip(c).map(|(after, before)| after - before);
                Ok((t.elapsed().as_secs_f64(), cpu))
            };
            let best = |x: Timing, y: Timing| (x.0.min(y.0), x.1.zip(y.1).map(|(p, q)| p.min(q)));
            let (mut ta, mut tb) = (
                (f64::INFINITY, Some(f64::INFINITY)),
                (f64::INFINITY, Some(f64::INFINITY)),
            );
            for _ in 0..repeat.max(1) {
                ta = best(ta, once(a)?);
                tb = best(tb, once(b)?);
            }
            Ok((ta, tb))
        };
    let engine = |t| move || run(model, &opts(t), &|_| {}).map(|a| std::hint::black_box(a.runs));
    let floor = |t| {
        move || {
            std::hint::black_box(rng_floor(model, &opts(t)));
            Ok(())
        }
    };
    let ((engine_1t, engine_1t_cpu), (floor_1t, floor_1t_cpu)) =
        pair(&|| engine(1)().map(|_| ()), &floor(1))?;
    let ((engine_nt, _), (floor_nt, _)) = pair(&|| engine(threads)().map(|_| ()), &floor(threads))?;
    if !(engine_1t > 0.0 && floor_1t > 0.0 && engine_nt > 0.0 && floor_nt > 0.0) {
        return Err(Error::runtime(
            "the benchmark ran too fast to time; raise --runs",
        ));
    }
    let (years, draws, shocks) = (model.horizon(), model.draw_count, model.shocks.len());
    Ok(Report {
        format: FORMAT.into(),
        attain_version: env!("CARGO_PKG_VERSION").into(),
        scenario: scenario.into(),
        runs,
        repeat: repeat.max(1),
        years,
        draws,
        shocks,
        variates: (draws + shocks) as u64 * years as u64 * runs,
        threads,
        engine_1t_s: engine_1t,
        floor_1t_s: floor_1t,
        engine_nt_s: engine_nt,
        floor_nt_s: floor_nt,
        paths_per_s_1t: runs as f64 / engine_1t,
        paths_per_s_nt: runs as f64 / engine_nt,
        engine_floor_1t: engine_1t / floor_1t,
        engine_floor_nt: engine_nt / floor_nt,
        parallel_efficiency: engine_1t / (threads as f64 * engine_nt),
        engine_floor_1t_cpu: engine_1t_cpu
            .zip(floor_1t_cpu)
            .filter(|&(_, f)| f > 0.0)
            .map(|(e, f)| e / f),
        peak_rss_bytes: peak_rss_bytes(),
        machine: Machine::this(),
    })
}

impl Report {
    /// The human-readable report.
    pub fn table(&self) -> String {
        let t = self.threads;
        let mut s = String::new();
        let mut line = |l: String| {
            s.push_str(&l);
            s.push('\n');
        };
        line(format!("scenario      {}", self.scenario));
        line(format!(
            "workload      {} runs × {} years × {} draws + {} shocks = {} random variates",
            self.runs, self.years, self.draws, self.shocks, self.variates
        ));
        line(format!(
            "machine       {} ({} cores, {}/{})",
            self.machine.cpu, self.machine.cores, self.machine.os, self.machine.arch
        ));
        line(format!(
            "engine 1 thread     {:>8.3} s   {:>12.0} paths/s",
            self.engine_1t_s, self.paths_per_s_1t
        ));
        line(format!(
            "RNG floor 1 thread  {:>8.3} s   {:>12.0} variates/s",
            self.floor_1t_s,
            self.variates as f64 / self.floor_1t_s
        ));
        line(format!(
            "engine {t} threads   {:>8.3} s   {:>12.0} paths/s",
            self.engine_nt_s, self.paths_per_s_nt
        ));
        line(format!(
            "RNG floor {t} threads{:>8.3} s   {:>12.0} variates/s",
            self.floor_nt_s,
            self.variates as f64 / self.floor_nt_s
        ));
        line(format!(
            "engine/floor  {:.2}× on 1 thread, {:.2}× on {t} threads",
            self.engine_floor_1t, self.engine_floor_nt
        ));
        if let Some(r) = self.engine_floor_1t_cpu {
            line(format!("engine/floor  {r:.2}× on 1 thread in CPU time"));
        }
        line(format!(
            "parallel efficiency {:.0} % ({:.2}× speed-up on {t} threads)",
            100.0 * self.parallel_efficiency,
            self.engine_1t_s / self.engine_nt_s
        ));
        if let Some(b) = self.peak_rss_bytes {
            line(format!("peak RSS      {:.0} MB", b as f64 / 1e6));
        }
        s
    }
}

/// A regression of the engine/floor ratio beyond this fraction is flagged.
pub const REGRESSION: f64 = 0.25;

/// Compares a measurement with a baseline: the engine/floor ratios (machine-independent enough to
/// track) and, for information only, the absolute rates. Returns the text and whether a ratio
/// regressed by more than [`REGRESSION`].
pub fn compare(now: &Report, base: &Report) -> (String, bool) {
    let mut s = String::new();
    let mut regressed = false;
    s.push_str(&format!(
        "baseline      attain {} on {} ({} cores), {} runs\n",
        base.attain_version, base.machine.cpu, base.machine.cores, base.runs
    ));
    for (what, a, b) in [
        (
            "engine/floor 1 thread ",
            now.engine_floor_1t,
            base.engine_floor_1t,
        ),
        (
            "engine/floor N threads",
            now.engine_floor_nt,
            base.engine_floor_nt,
        ),
    ] {
        let change = a / b - 1.0;
        let flag = if change > REGRESSION {
            regressed = true;
            "   <-- REGRESSION beyond 25 %"
        } else {
            ""
        };
        s.push_str(&format!(
            "{what}  {a:.2}× (baseline {b:.2}×, {:+.1} %){flag}\n",
            100.0 * change
        ));
    }
    s.push_str(&format!(
        "parallel efficiency     {:.0} % (baseline {:.0} %)\n",
        100.0 * now.parallel_efficiency,
        100.0 * base.parallel_efficiency
    ));
    s.push_str(&format!(
        "paths/s 1 thread        {:.0} (baseline {:.0}; absolute rates depend on the machine: report only)\n",
        now.paths_per_s_1t, base.paths_per_s_1t
    ));
    (s, regressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn cpu_time_counts_work_done_on_exited_threads() {
        let before = cpu_seconds().expect("getrusage");
        let spin = std::thread::spawn(|| {
            let mut x = 1u64;
            for i in 0..50_000_000u64 {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
            }
            x
        });
        spin.join().unwrap();
        let after = cpu_seconds().expect("getrusage");
        assert!(after > before, "{before} → {after}");
    }

    fn report(r1: f64, rn: f64) -> Report {
        Report {
            format: FORMAT.into(),
            attain_version: "0".into(),
            scenario: "s".into(),
            runs: 1,
            repeat: 1,
            years: 1,
            draws: 1,
            shocks: 0,
            variates: 1,
            threads: 2,
            engine_1t_s: r1,
            floor_1t_s: 1.0,
            engine_nt_s: rn,
            floor_nt_s: 1.0,
            paths_per_s_1t: 1.0,
            paths_per_s_nt: 1.0,
            engine_floor_1t: r1,
            engine_floor_nt: rn,
            parallel_efficiency: 1.0,
            engine_floor_1t_cpu: None,
            peak_rss_bytes: None,
            machine: Machine::this(),
        }
    }

    #[test]
    fn compare_flags_a_ratio_regression_beyond_a_quarter_only() {
        let base = report(2.0, 2.0);
        let (text, bad) = compare(&report(2.4, 2.0), &base);
        assert!(!bad, "{text}");
        let (text, bad) = compare(&report(2.0, 2.6), &base);
        assert!(bad && text.contains("REGRESSION"), "{text}");
    }
}
