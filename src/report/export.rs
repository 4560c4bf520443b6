//! One way to emit a result: every command's typed result implements [`Export`] — the files of its
//! result directory and its text for standard output in each [`Format`] — so the command line has
//! one function that writes any of them (`cli/emit.rs`), as hyperfine has one exporter per format.
//!
//! The wrappers here pair a result with what only the report needs (the date printed in
//! `report.html`, how many inputs a table shows); the analyses' values themselves implement the
//! trait where nothing else is needed.

use super::analyses::{self as reports, Doc};
use super::{Format, calibrate, charts, csv, html, json, markdown, table};
use crate::analysis::backtest::Backtest;
use crate::analysis::calibrate::Calibration;
use crate::analysis::compare::Comparison;
use crate::analysis::goal::Goal;
use crate::analysis::nowcast::Nowcast;
use crate::analysis::sensitivity::Sensitivity;
use crate::analysis::sobol::SobolIndices;
use crate::error::Result;
use crate::results::Results;
use rayon::prelude::*;

/// A file of a result directory: its name and bytes.
pub type File = (String, Vec<u8>);

/// A result as attain writes and prints it.
pub trait Export {
    /// The files of its result directory, in the order the console lists them.
    fn files(&self) -> Result<Vec<File>>;
    /// Its text for standard output.
    fn render(&self, format: Format) -> String;
}

/// The chart files of each of `items` (a target's tornado, Sobol bars, attainment curve), drawn on
/// rayon's threads and returned in the order of `items`; when several fail, the first in that order
/// is reported, whatever the thread count.
fn chart_files<T: Sync>(
    items: &[T],
    files: impl Fn(&T) -> std::result::Result<Vec<File>, charts::ChartError> + Sync,
) -> Result<Vec<File>> {
    let per_item: Vec<_> = items.par_iter().map(&files).collect();
    let mut out = Vec::new();
    for f in per_item {
        out.extend(f?);
    }
    Ok(out)
}

/// The text of an analysis laid out as a [`Doc`]: the table and Markdown from the document, JSON and
/// CSV as given.
fn doc_text(
    doc: &Doc,
    format: Format,
    json: impl FnOnce() -> String,
    csv: impl FnOnce() -> String,
) -> String {
    match format {
        Format::Table => reports::table::render(doc),
        Format::Md => reports::markdown::render(doc),
        Format::Json => json(),
        Format::Csv => csv(),
    }
}

/// `attain run` (and `merge`): results.json, targets.csv, fan.csv, ontrack.csv, the charts and
/// report.html dated `generated`.
pub struct RunReport<'a> {
    pub results: &'a Results,
    /// The date printed in report.html (and only there).
    pub generated: String,
}

impl<'a> RunReport<'a> {
    /// A run's report dated today.
    pub fn new(results: &'a Results) -> Self {
        RunReport {
            results,
            generated: html::generation_date(),
        }
    }
}

impl Export for RunReport<'_> {
    fn files(&self) -> Result<Vec<File>> {
        let r = self.results;
        let mut files = vec![
            ("results.json".into(), json::to_json(r).into_bytes()),
            ("targets.csv".into(), csv::targets(r).into_bytes()),
            ("fan.csv".into(), csv::fan(r).into_bytes()),
            ("ontrack.csv".into(), csv::on_track(r).into_bytes()),
        ];
        files.extend(super::visual_files(r, &self.generated)?);
        Ok(files)
    }

    fn render(&self, format: Format) -> String {
        super::render(self.results, format)
    }
}

/// `attain backtest`: the run's files, then backtest.json, backtest.csv, backtest-scores.csv,
/// reliability.csv and the reliability chart.
pub struct BacktestReport<'a> {
    pub run: RunReport<'a>,
    pub backtest: &'a Backtest,
}

impl Export for BacktestReport<'_> {
    fn files(&self) -> Result<Vec<File>> {
        let b = self.backtest;
        let mut files = self.run.files()?;
        files.extend([
            ("backtest.json".into(), json::to_json(b).into_bytes()),
            ("backtest.csv".into(), csv::backtest_targets(b).into_bytes()),
            (
                "backtest-scores.csv".into(),
                csv::backtest_scores(b).into_bytes(),
            ),
            ("reliability.csv".into(), csv::reliability(b).into_bytes()),
        ]);
        files.extend(charts::files(
            "reliability",
            &charts::reliability::backtest(b),
        )?);
        Ok(files)
    }

    fn render(&self, format: Format) -> String {
        let b = self.backtest;
        match format {
            Format::Table => table::backtest(b),
            Format::Json => json::to_json(b),
            Format::Csv => csv::backtest_targets(b),
            Format::Md => markdown::backtest(b),
        }
    }
}

/// `attain nowcast`: nowcast.json, nowcast.csv and the as-of chart.
impl Export for Nowcast {
    fn files(&self) -> Result<Vec<File>> {
        let mut files = vec![
            ("nowcast.json".into(), json::to_json(self).into_bytes()),
            ("nowcast.csv".into(), csv::nowcast(self).into_bytes()),
        ];
        files.extend(charts::files("asof", &charts::asof::chart(self))?);
        Ok(files)
    }

    fn render(&self, format: Format) -> String {
        match format {
            Format::Table => table::nowcast(self),
            Format::Json => json::to_json(self),
            Format::Csv => csv::nowcast(self),
            Format::Md => markdown::nowcast(self),
        }
    }
}

/// `attain compare`: compare.json, compare.csv, compare.md, compare.html, the comparison chart and
/// one overlaid fan chart per indicator (`compare-fan-<indicator>`).
impl Export for Comparison {
    fn files(&self) -> Result<Vec<File>> {
        let mut files = vec![
            ("compare.json".into(), json::to_json(self).into_bytes()),
            (
                "compare.csv".into(),
                reports::csv::compare(self).into_bytes(),
            ),
            (
                "compare.md".into(),
                reports::markdown::render(&reports::compare_doc(self)).into_bytes(),
            ),
        ];
        // The comparison chart and one overlaid fan per indicator, as files and in compare.html,
        // rendered in parallel (rayon) and kept in this order.
        let (compare, fans) = rayon::join(
            || {
                charts::Rendered::of(
                    "compare".into(),
                    "P(met) per target and scenario".into(),
                    &reports::charts::compare_chart(self),
                )
            },
            || {
                let fans: Vec<(String, String, charts::XyChart)> =
                    reports::charts::compare_indicators(self)
                        .into_par_iter()
                        .filter_map(|id| {
                            let c = reports::charts::compare_fan_chart(self, &id)?;
                            let title = c.title.latin.clone();
                            Some((reports::charts::compare_fan_stem(&id), title, c))
                        })
                        .collect();
                charts::render_par(fans)
            },
        );
        let mut rendered = vec![compare?];
        rendered.extend(fans?);
        files.push((
            "compare.html".into(),
            super::compare_html::render(self, &rendered, &html::generation_date()).into_bytes(),
        ));
        for r in rendered {
            files.extend(r.files());
        }
        Ok(files)
    }

    fn render(&self, format: Format) -> String {
        doc_text(
            &reports::compare_doc(self),
            format,
            || json::to_json(self),
            || reports::csv::compare(self),
        )
    }
}

/// `attain sensitivity` (one at a time): sensitivity.json, sensitivity.csv,
/// rank-correlations.csv, sensitivity.md and a tornado per target; tables show `top` inputs.
pub struct SensitivityReport<'a> {
    pub sensitivity: &'a Sensitivity,
    pub top: usize,
}

impl Export for SensitivityReport<'_> {
    fn files(&self) -> Result<Vec<File>> {
        let s = self.sensitivity;
        let mut files = vec![
            ("sensitivity.json".into(), json::to_json(s).into_bytes()),
            (
                "sensitivity.csv".into(),
                reports::csv::sensitivity(s).into_bytes(),
            ),
            (
                "rank-correlations.csv".into(),
                reports::csv::rank_correlations(s).into_bytes(),
            ),
            (
                "sensitivity.md".into(),
                reports::markdown::render(&reports::sensitivity_doc(s, self.top)).into_bytes(),
            ),
        ];
        files.extend(chart_files(&s.targets, |t| {
            reports::charts::tornado(s, t, &charts::file_stem(&t.id))
        })?);
        Ok(files)
    }

    fn render(&self, format: Format) -> String {
        let s = self.sensitivity;
        doc_text(
            &reports::sensitivity_doc(s, self.top),
            format,
            || json::to_json(s),
            || reports::csv::sensitivity(s),
        )
    }
}

/// `attain sensitivity --method sobol`: sobol.json, sobol.csv, sobol.md and a bar chart per
/// target; tables show `top` inputs.
pub struct SobolReport<'a> {
    pub indices: &'a SobolIndices,
    pub top: usize,
}

impl Export for SobolReport<'_> {
    fn files(&self) -> Result<Vec<File>> {
        let s = self.indices;
        let mut files = vec![
            ("sobol.json".into(), json::to_json(s).into_bytes()),
            ("sobol.csv".into(), csv::sobol(s).into_bytes()),
            (
                "sobol.md".into(),
                reports::markdown::render(&reports::sobol_doc(s, self.top)).into_bytes(),
            ),
        ];
        files.extend(chart_files(&s.targets, |t| {
            let stem = format!("sobol-{}", charts::file_stem(&t.target));
            charts::files(&stem, &charts::sobol::chart(t, self.top))
        })?);
        Ok(files)
    }

    fn render(&self, format: Format) -> String {
        let s = self.indices;
        doc_text(
            &reports::sobol_doc(s, self.top),
            format,
            || json::to_json(s),
            || csv::sobol(s),
        )
    }
}

/// `attain goal`: goal.json, goal.csv, attainment-curve.csv, goal.md and an attainment curve per
/// target.
impl Export for Goal {
    fn files(&self) -> Result<Vec<File>> {
        let mut files = vec![
            ("goal.json".into(), json::to_json(self).into_bytes()),
            ("goal.csv".into(), reports::csv::goal(self).into_bytes()),
            (
                "attainment-curve.csv".into(),
                reports::csv::attainment_curve(self).into_bytes(),
            ),
            (
                "goal.md".into(),
                reports::markdown::render(&reports::goal_doc(self)).into_bytes(),
            ),
        ];
        files.extend(chart_files(&self.targets, |t| {
            reports::charts::attainment_curve(t, &charts::file_stem(&t.id))
        })?);
        Ok(files)
    }

    fn render(&self, format: Format) -> String {
        doc_text(
            &reports::goal_doc(self),
            format,
            || json::to_json(self),
            || reports::csv::goal(self),
        )
    }
}

/// `attain calibrate`: calibration.toml (what scenarios and `--calibration` read) and
/// calibration.json; the console shows the fit's table whatever the format but JSON.
impl Export for Calibration {
    fn files(&self) -> Result<Vec<File>> {
        Ok(vec![
            (
                "calibration.toml".into(),
                calibrate::toml(self).into_bytes(),
            ),
            ("calibration.json".into(), json::to_json(self).into_bytes()),
        ])
    }

    fn render(&self, format: Format) -> String {
        match format {
            Format::Json => json::to_json(self),
            _ => calibrate::table(self),
        }
    }
}
