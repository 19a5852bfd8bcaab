//! Build settings: the command line and the environment, resolved once.

use std::path::{Path, PathBuf};

use crate::cli::{BuildArgs, Emit};
use crate::diag::{Diagnostic, Result};
use crate::format::Format;

/// Build settings, resolved once from the command line.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    /// Project folder.
    pub root: PathBuf,
    /// Output folder; `None` means `<root>/out`.
    pub out: Option<PathBuf>,
    /// Topics to build; empty means all.
    pub topics: Vec<String>,
    /// Languages to build; empty means all.
    pub langs: Vec<String>,
    /// Formats to build; empty means all.
    pub formats: Vec<Format>,
    /// Brands (ids) to build; empty means all.
    pub brands: Vec<String>,
    /// Whether system fonts are used.
    pub system_fonts: bool,
    /// Parallel documents; `None` means one per core.
    pub jobs: Option<usize>,
    /// The longest one document may take to compile, in seconds.
    pub time_limit: u64,
    /// The most memory the run may use, in megabytes.
    pub memory_limit: usize,
    /// `SOURCE_DATE_EPOCH`, if set.
    pub source_date_epoch: Option<i64>,
    /// The day review dates are measured against: the day of `SOURCE_DATE_EPOCH` when it is
    /// set (so a reproducible build stays reproducible), else today (UTC).
    pub today: chrono::NaiveDate,
    /// Bleed in millimetres from the command line, overriding `[print] bleed`.
    pub bleed: Option<f64>,
    /// Crop marks from the command line, overriding `[print] crop-marks`.
    pub crop_marks: bool,
    /// Whether stale translations are errors rather than warnings.
    pub strict: bool,
    /// Which slice of the matrix to build: (k, n), 1-based; (1, 1) is everything.
    pub shard: (usize, usize),
    /// Whether PDFs are compiled and written.
    pub emit_pdf: bool,
    /// Whether each document is also written as a standalone Typst folder.
    pub emit_typst: bool,
    /// Page previews: PNGs at this many pixels per point, and `out/index.html`.
    pub preview: Option<f32>,
    /// Time every stage of every document: a table and `out/timings.json` (`--timings`).
    pub timings: bool,
}

/// The most documents compiled at once: threads beyond this only add memory (each holds a
/// document's layout), whatever the machine.
pub const MAX_JOBS: usize = 64;

impl BuildConfig {
    /// Resolves command-line arguments and the environment. Every error is a
    /// [usage](Diagnostic::usage) error: the run exits with 2.
    pub fn from_args(args: BuildArgs) -> Result<Self> {
        Self::resolve(args).map_err(|d| d.usage().into())
    }

    fn resolve(args: BuildArgs) -> std::result::Result<Self, Diagnostic> {
        let source_date_epoch = source_date_epoch()?;
        let jobs = match args.jobs {
            None => None,
            Some(j) => Some(within(j, 1..=MAX_JOBS).ok_or_else(|| {
                Diagnostic::error(format!("--jobs {j} is outside 1–{MAX_JOBS}"))
                    .hint("each job compiles one document at a time; the default is one per core")
            })?),
        };
        let time_limit = match args.time_limit {
            None => crate::limits::DEFAULT_TIME_LIMIT_SECS,
            Some(t) => within(t, 1..=3600).ok_or_else(|| {
                Diagnostic::error(format!("--time-limit {t} is outside 1–3600 seconds"))
                    .hint("the limit is per document; the slowest real document takes about a second")
            })?,
        };
        let memory_limit = match args.memory_limit {
            None => crate::limits::DEFAULT_MEMORY_LIMIT_MB,
            Some(m) => within(m, 256..=1024 * 1024).ok_or_else(|| {
                Diagnostic::error(format!("--memory-limit {m} is outside 256–1048576 MB"))
                    .hint("the limit is for the whole run; the demo's 56 documents need about 600 MB")
            })?,
        };
        if let Some(b) = args.bleed
            && !(0.0..=5.0).contains(&b)
        {
            return Err(Diagnostic::error(format!("--bleed {b} is outside 0–5 mm"))
                .hint("printers usually ask for 3 mm of bleed"));
        }
        if let Some(out) = &args.out {
            check_out(out)?;
        }
        Ok(Self {
            root: args.project.root,
            out: args.out,
            topics: args.filter.topic,
            langs: args.filter.lang,
            formats: args.format,
            brands: args.brand,
            system_fonts: args.project.system_fonts,
            jobs,
            time_limit,
            memory_limit,
            source_date_epoch,
            today: today(source_date_epoch),
            bleed: args.bleed,
            crop_marks: args.crop_marks,
            strict: false,
            shard: match args.shard.as_deref() {
                None => (1, 1),
                Some(s) => parse_shard(s)?,
            },
            emit_pdf: args.emit.is_empty() || args.emit.contains(&Emit::Pdf),
            emit_typst: args.emit.contains(&Emit::Typst),
            preview: match (args.preview, args.preview_dpi) {
                (false, None) => None,
                (_, dpi) => Some(preview_scale(dpi.unwrap_or(DEFAULT_PREVIEW_DPI))?),
            },
            timings: args.timings,
        })
    }

    /// The output folder of the project at `root`.
    pub fn out_root(&self, root: &Path) -> PathBuf {
        self.out.clone().unwrap_or_else(|| root.join("out"))
    }

    /// The settings for `leafpress check`: every format of the selected content.
    pub fn for_check(args: crate::cli::CheckArgs) -> Self {
        Self {
            root: args.project.root,
            out: None,
            topics: args.filter.topic,
            langs: args.filter.lang,
            formats: Vec::new(),
            brands: Vec::new(),
            system_fonts: args.project.system_fonts,
            jobs: None,
            time_limit: crate::limits::DEFAULT_TIME_LIMIT_SECS,
            memory_limit: crate::limits::DEFAULT_MEMORY_LIMIT_MB,
            source_date_epoch: None,
            today: review_day(),
            bleed: None,
            crop_marks: false,
            strict: args.strict,
            shard: (1, 1),
            emit_pdf: false,
            emit_typst: false,
            preview: None,
            timings: false,
        }
    }
}

/// `SOURCE_DATE_EPOCH`, if set (and not blank); a value that is no timestamp from 1970 to
/// 9999 is an error.
fn source_date_epoch() -> std::result::Result<Option<i64>, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => {
            // PDF dates have four-digit years: 1970-01-01 up to the end of 9999.
            let seconds = v.trim().parse::<i64>().ok().filter(|s| (0..=253_402_300_799).contains(s));
            seconds.map(Some).ok_or_else(|| {
                Diagnostic::error(format!(
                    "SOURCE_DATE_EPOCH `{v}` is not a number of seconds between 0 (1970) and 253402300799 (9999)"
                ))
                .hint("set it to a Unix timestamp, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)")
            })
        }
        Err(_) => Ok(None),
    }
}

/// The day review dates are measured against outside a build: `SOURCE_DATE_EPOCH`'s when it
/// is a valid timestamp (a value that is none is for `build` to report), else today.
pub fn review_day() -> chrono::NaiveDate {
    today(source_date_epoch().ok().flatten())
}

/// The day of `epoch`, or today (UTC) without one.
pub fn today(epoch: Option<i64>) -> chrono::NaiveDate {
    let secs = epoch.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    });
    chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default().date_naive()
}

/// `n` as the type of `range` if it lies in it.
fn within<T: TryFrom<i64> + PartialOrd>(n: i64, range: std::ops::RangeInclusive<T>) -> Option<T> {
    T::try_from(n).ok().filter(|v| range.contains(v))
}

/// Fails when `--out` cannot be a folder: it, or a folder above it, is a file (or anything
/// but a folder). Checked before anything is compiled, so the mistake is one message instead
/// of a failed write per document.
pub fn check_out(out: &Path) -> std::result::Result<(), Diagnostic> {
    for at in out.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        match std::fs::metadata(at) {
            Ok(meta) if meta.is_dir() => return Ok(()),
            Ok(_) => {
                let what = if at == out {
                    format!("--out {} is a file, not a folder", out.display())
                } else {
                    format!(
                        "--out {} lies under {}, which is a file, not a folder",
                        out.display(),
                        at.display()
                    )
                };
                return Err(Diagnostic::error(what).hint(
                    "--out names the folder the documents are written to (created if missing), e.g. --out dist",
                ));
            }
            // Not there (yet), or not reachable through a file above it: look further up.
            Err(_) => continue,
        }
    }
    Ok(())
}

/// Parses `K/N` with 1 ≤ K ≤ N.
fn parse_shard(s: &str) -> std::result::Result<(usize, usize), Diagnostic> {
    match crate::manifest::parse_shard(s) {
        Some(shard) => Ok(shard),
        None => Err(Diagnostic::error(format!("--shard `{s}` is not K/N with 1 ≤ K ≤ N")).hint(
            "e.g. --shard 2/4 builds the second of four slices; together the slices build everything once",
        )),
    }
}

/// Preview resolution when `--preview` is given without `--preview-dpi`: sharp enough to
/// read body text on screen, small enough for a page of a whole release.
pub const DEFAULT_PREVIEW_DPI: i64 = 60;

/// Pixels per point for a preview resolution in dots per inch (24–300).
fn preview_scale(dpi: i64) -> std::result::Result<f32, Diagnostic> {
    if !(24..=300).contains(&dpi) {
        return Err(Diagnostic::error(format!("--preview-dpi {dpi} is outside 24–300"))
            .hint(format!("{DEFAULT_PREVIEW_DPI} reads well on screen; 150 shows fine print")));
    }
    Ok(dpi as f32 / 72.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_k_of_n() {
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        assert_eq!(parse_shard(" 1 / 1 ").unwrap(), (1, 1));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn preview_resolution_is_bounded() {
        assert_eq!(preview_scale(72).unwrap(), 1.0);
        assert!(preview_scale(10).is_err() && preview_scale(600).is_err());
    }
}
