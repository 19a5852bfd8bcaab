//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::format::Format;

/// Branded, accessible, print-ready patient leaflets from Markdown and TOML.
///
/// A project folder holds leafpress.toml (practice, brand, layout), leaflets/<topic>/<lang>.md
/// (content with TOML front matter) and leaflets/<topic>/references.yml, fonts/ and images/.
/// Output goes to out/<topic>/<lang>/<format>.pdf, under out/<brand>/ when brands/ holds more
/// practices (slides also get a .pdfpc presenter file), with out/manifest.json.
#[derive(Debug, Parser)]
#[command(name = "leafpress", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build PDFs for every topic × brand × language × format (or the filtered subset).
    ///
    /// Everything is validated first; if any content, brand or image is wrong, no PDF is
    /// written. Each PDF is written whole (through a temporary file), so a failed rebuild
    /// leaves the previous good file in place.
    Build(BuildArgs),
    /// Check everything `build` checks, without writing PDFs.
    ///
    /// Content, brand, layout and labels as for `build`, plus translations against the
    /// source language of leafpress.toml: a section, list item, quote, key message, citation
    /// or red-flag section missing from or added to a translation is an error; a translated
    /// section whose source changed since (see `[translated-from]`) is a warning, an error
    /// with --strict.
    Check(CheckArgs),
    /// List the font families the project sees (project fonts first).
    Fonts(ProjectArgs),
}

/// Where the project is.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// Project folder (holding leafpress.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Also use fonts installed on this system (off by default, for reproducible output).
    #[arg(long)]
    pub system_fonts: bool,
}

/// Which content to work on.
#[derive(Debug, Args)]
pub struct ContentFilter {
    /// Only this topic (folder name under leaflets/); repeatable.
    #[arg(long, value_name = "TOPIC")]
    pub topic: Vec<String>,
    /// Only this language (e.g. nl); repeatable.
    #[arg(long, value_name = "LANG")]
    pub lang: Vec<String>,
}

/// Arguments of `leafpress check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder and font options.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Topics and languages.
    #[command(flatten)]
    pub filter: ContentFilter,
    /// Treat stale translations as errors (for CI).
    #[arg(long)]
    pub strict: bool,
}

/// Arguments of `leafpress build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Project folder and font options.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output folder [default: <root>/out].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Topics and languages.
    #[command(flatten)]
    pub filter: ContentFilter,
    /// Build only this format; repeatable.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// Build only this brand (its id: leafpress.toml's `[brand] id`, or the file name under
    /// brands/); repeatable.
    #[arg(long, value_name = "ID")]
    pub brand: Vec<String>,
    /// Number of documents compiled in parallel [default: number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Bleed in millimetres on every trimmed edge of booklet, trifold and poster (0–5;
    /// printers usually ask for 3) [default: [print] bleed, else 0].
    #[arg(long, value_name = "MM")]
    pub bleed: Option<f64>,
    /// Draw crop marks outside the trim of booklet, trifold and poster.
    #[arg(long)]
    pub crop_marks: bool,
    /// Build only the K-th of N slices of the matrix (for a CI matrix of N jobs; together
    /// the N slices build every document exactly once).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}
