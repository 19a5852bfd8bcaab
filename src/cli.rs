//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::format::Format;
use crate::report::MessageFormat;

/// What `build` writes per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// The PDF (and the slides' presenter notes).
    Pdf,
    /// A standalone folder the Typst CLI compiles: main.typ, templates, data, images.
    Typst,
}

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
    /// How progress and diagnostics are written: text on stderr, or one JSON object per line
    /// on stdout (events: plan, document, failed, diagnostic, summary, watching, rebuild).
    #[arg(long, global = true, value_enum, value_name = "FORMAT", default_value = "human")]
    pub message_format: MessageFormat,
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
    /// Build, then rebuild the documents an edit affects, until interrupted.
    ///
    /// Watches content, brands, labels, images, fonts and templates. An edit that breaks a
    /// file prints the error and keeps watching; the previous good PDFs stay in place.
    Watch(BuildArgs),
    /// Build with page previews: PNGs under out/preview/ and out/index.html to review a
    /// whole release by looking (same as `build --preview`).
    Preview(BuildArgs),
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
    /// Start a project: a folder with leafpress.toml, a sample topic that shows every kind of
    /// content, its references, a placeholder logo and a .gitignore. `leafpress build` in it
    /// works straight away. Never overwrites a file.
    ///
    /// Examples:
    ///   leafpress init my-practice
    ///   leafpress init --lang en
    Init(InitArgs),
    /// Add a topic to the project: leaflets/TOPIC/LANG.md with a title, a section with its key
    /// message and the red-flag section, ready to fill in. Never overwrites a file.
    ///
    /// Examples:
    ///   leafpress new neck-pain
    ///   leafpress new neck-pain --lang fr
    New(NewArgs),
}

/// `leafpress init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the project in (created if needed).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Language of the sample topic, and of the practice's example details.
    #[arg(long, value_name = "LANG", default_value = "nl", value_parser = ["nl", "en", "fr", "de"])]
    pub lang: String,
}

/// `leafpress new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The topic's id: its folder name under leaflets/, e.g. `neck-pain`.
    #[arg(value_name = "TOPIC")]
    pub topic: String,
    /// Language of the content file.
    #[arg(long, value_name = "LANG", default_value = "nl", value_parser = ["nl", "en", "fr", "de"])]
    pub lang: String,
    /// Project folder (holding leafpress.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
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

/// Arguments of `leafpress build`. Numbers are signed and may be negative on the command line
/// (`--bleed -1`), so that every number out of range gets the range check's message rather than
/// clap's "unexpected argument".
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
    #[arg(long, short = 'j', value_name = "N", allow_negative_numbers = true)]
    pub jobs: Option<i64>,
    /// Stop the build when one document takes longer than this to compile (1–3600)
    /// [default: 120].
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub time_limit: Option<i64>,
    /// Stop the build when it needs more memory than this, in megabytes (256–1048576)
    /// [default: 4096].
    #[arg(long, value_name = "MB", allow_negative_numbers = true)]
    pub memory_limit: Option<i64>,
    /// Bleed in millimetres on every trimmed edge of booklet, trifold and poster (0–5;
    /// printers usually ask for 3) [default: [print] bleed, else 0].
    #[arg(long, value_name = "MM", allow_negative_numbers = true)]
    pub bleed: Option<f64>,
    /// Draw crop marks outside the trim of booklet, trifold and poster.
    #[arg(long)]
    pub crop_marks: bool,
    /// Build only the K-th of N slices of the matrix (for a CI matrix of N jobs; together
    /// the N slices build every document exactly once).
    #[arg(long, value_name = "K/N", allow_hyphen_values = true)]
    pub shard: Option<String>,
    /// What to write per document; repeatable [default: pdf]. `typst` writes a folder beside
    /// where the PDF goes (out/<topic>/<lang>/<format>/main.typ) that the Typst CLI compiles.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub emit: Vec<Emit>,
    /// Also render every page to PNG under out/preview/ and write out/index.html.
    #[arg(long)]
    pub preview: bool,
    /// Resolution of the previews in dots per inch (implies --preview) [default: 60].
    #[arg(long, value_name = "DPI", allow_negative_numbers = true)]
    pub preview_dpi: Option<i64>,
}
