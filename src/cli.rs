//! Command-line arguments (clap derive).
//!
//! Each subcommand has exactly the options that mean something to it: the groups they share
//! (the project, the content filter, what to build) are flattened in, and the few that differ
//! in their help (`--message-format`, whose JSON events depend on the command; `--preview-dpi`)
//! are written per command. `build`, `watch` and `preview` all resolve into [`BuildArgs`], the
//! flat set of build settings that [`crate::build::BuildConfig`] reads. Every subcommand's help
//! ends with examples ([`EXAMPLES`]), which the man page ([`crate::manual`]) shows too.

use std::path::PathBuf;

use clap::builder::StyledStr;
use clap::builder::styling::{AnsiColor, Style};
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
#[command(name = "leafpress", version, about, long_about, after_help = examples_help(&[]))]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// How progress and diagnostics are written: `human`, text on stderr, or `json`, one JSON
    /// object per line on stdout (each command's --help names its events; the option may also
    /// follow the command) [default: human].
    #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
    pub message_format: Option<MessageFormat>,
}

impl Cli {
    /// The message format: the command's `--message-format`, else the one before the command,
    /// else text for people.
    pub fn message_format(&self) -> MessageFormat {
        self.command.message_format().or(self.message_format).unwrap_or_default()
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build PDFs for every topic × brand × language × format (or the filtered subset).
    ///
    /// Everything is validated first; if any content, brand or image is wrong, no PDF is
    /// written. Each PDF is written whole (through a temporary file), so a failed rebuild
    /// leaves the previous good file in place. out/manifest.json lists what was written.
    #[command(after_help = examples_help(&["build"]))]
    Build(BuildCommandArgs),
    /// Build, then rebuild the documents an edit affects, until interrupted.
    ///
    /// Watches content, brands, labels, images, fonts and templates. An edit that breaks a
    /// file prints the error and keeps watching; the previous good PDFs stay in place.
    #[command(after_help = examples_help(&["watch"]))]
    Watch(WatchArgs),
    /// Build with page previews: PNGs under out/preview/ and out/index.html to review a
    /// whole release by looking (same as `build --preview`).
    #[command(after_help = examples_help(&["preview"]))]
    Preview(PreviewArgs),
    /// Check everything `build` checks, without writing PDFs.
    ///
    /// Content, brand, layout and labels as for `build`, plus translations against the
    /// source language of leafpress.toml: a section, list item, quote, key message, citation
    /// or red-flag section missing from or added to a translation is an error; a translated
    /// section whose source changed since (see `[translated-from]`) is a warning, an error
    /// with --strict.
    #[command(after_help = examples_help(&["check"]))]
    Check(CheckArgs),
    /// List the font families the project sees (project fonts first).
    #[command(after_help = examples_help(&["fonts"]))]
    Fonts(FontsArgs),
    /// Start a project that builds as it is.
    ///
    /// A folder with leafpress.toml, a sample topic that shows every kind of content, its
    /// references, a placeholder logo and a .gitignore: `leafpress build` in it works straight
    /// away. Never overwrites a file.
    #[command(after_help = examples_help(&["init"]))]
    Init(InitArgs),
    /// Add a topic (or a language of one) to the project.
    ///
    /// Writes leaflets/TOPIC/LANG.md with a title, a section with its key message and the
    /// red-flag section, ready to fill in. Never overwrites a file.
    #[command(after_help = examples_help(&["new"]))]
    New(NewArgs),
    /// Show every topic's languages: version, review date, translation state, documents.
    ///
    /// One table per topic, the source language first: days left until review-by (or since
    /// it passed), whether each translation is current, stale (how many parts) or has parity
    /// errors, and what a build makes of it (documents, drafts, or withheld).
    #[command(after_help = examples_help(&["status"]))]
    Status(StatusArgs),
    /// Record that a translation matches its source again.
    ///
    /// Writes the source's fingerprints of the parts given (every part without PART) under
    /// [translated-from] in the translation's front matter, keeping the rest of the file as
    /// it is, and the accepted source text beside it (LANG.accepted.toml), from which later
    /// stale warnings show what changed. Refuses while the translation differs from the
    /// source in structure.
    #[command(after_help = examples_help(&["accept"]))]
    Accept(AcceptArgs),
    /// Print leafpress's built-in label table for LANG as TOML, to start a project's own.
    ///
    /// The labels are the fixed words every leaflet prints ("Call now", "Review by", …).
    /// Save the output as labels/LANG.toml and keep only the keys you change: the others
    /// keep their built-in text. For a language leafpress has no table for, the English one
    /// is printed, to translate every value.
    #[command(after_help = examples_help(&["labels"]))]
    Labels(LabelsArgs),
    /// Work with out/manifest.json files: combine the slices of a sharded build.
    #[command(subcommand, after_help = examples_help(&["manifest"]))]
    Manifest(ManifestCommand),
    /// Print a shell completion script to stdout (bash, zsh, fish, powershell, elvish).
    ///
    /// The script completes subcommands, options and their values, as this version of
    /// leafpress has them; generate it again after an upgrade.
    #[command(after_help = examples_help(&["completions"]))]
    Completions(CompletionsArgs),
    /// Print a manual page (roff) to stdout: leafpress(1), or a command's own page.
    #[command(after_help = examples_help(&["man"]))]
    Man(ManArgs),
}

impl Command {
    /// The `--message-format` given after the command, if the command has one.
    pub fn message_format(&self) -> Option<MessageFormat> {
        match self {
            Command::Build(a) => a.messages.message_format,
            Command::Watch(a) => a.messages.message_format,
            Command::Preview(a) => a.messages.message_format,
            Command::Check(a) => a.messages.message_format,
            Command::Fonts(a) => a.messages.message_format,
            Command::Init(a) => a.messages.message_format,
            Command::New(a) => a.messages.message_format,
            Command::Manifest(ManifestCommand::Merge(a)) => a.messages.message_format,
            Command::Accept(a) => a.messages.message_format,
            Command::Status(a) => a.messages.message_format,
            Command::Completions(_) | Command::Man(_) | Command::Labels(_) => None,
        }
    }
}

/// `leafpress manifest …`.
#[derive(Debug, Subcommand)]
pub enum ManifestCommand {
    /// Combine the manifests of the slices of a sharded build into the release's manifest.
    ///
    /// Each `leafpress build --shard K/N` job writes out/manifest.json for its slice. Given the
    /// manifests of all N slices (in any order), this writes the manifest a full build would
    /// have written: every document in matrix order, with `shard: "1/1"`. It refuses slices
    /// that overlap (a document in two of them), a missing slice, slices of different N and
    /// slices written by different leafpress versions. Only the manifests are read.
    #[command(after_help = examples_help(&["manifest", "merge"]))]
    Merge(MergeArgs),
}

/// `--message-format` of `build` and `preview`.
#[derive(Debug, Args)]
pub struct BuildMessages {
    /// How progress and diagnostics are written: `human`, text on stderr; or `json`, one JSON
    /// object per line on stdout, with the events plan, document, failed, diagnostic and
    /// summary [default: human].
    #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
    pub message_format: Option<MessageFormat>,
}

/// `--message-format` of `watch`.
#[derive(Debug, Args)]
pub struct WatchMessages {
    /// How progress and diagnostics are written: `human`, text on stderr; or `json`, one JSON
    /// object per line on stdout, with the events plan, document, failed and diagnostic for
    /// each build, watching once the first build is done, and rebuild after each
    /// [default: human].
    #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
    pub message_format: Option<MessageFormat>,
}

/// `--message-format` of `check`.
#[derive(Debug, Args)]
pub struct CheckMessages {
    /// How problems and the result are written: `human`, text on stderr; or `json`, one JSON
    /// object per line on stdout, with the events diagnostic (each error and warning) and
    /// summary [default: human].
    #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
    pub message_format: Option<MessageFormat>,
}

/// `--message-format` of the commands that only report problems (`fonts`, `init`, `new`,
/// `manifest merge`).
#[derive(Debug, Args)]
pub struct DiagnosticMessages {
    /// How problems are written: `human`, text on stderr; or `json`, one diagnostic event (a
    /// JSON object) per line on stdout, and no status lines [default: human].
    #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
    pub message_format: Option<MessageFormat>,
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
    /// Output of messages.
    #[command(flatten)]
    pub messages: DiagnosticMessages,
}

/// `leafpress new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The topic's id: its folder name under leaflets/, e.g. `neck-pain`.
    #[arg(value_name = "TOPIC")]
    pub topic: String,
    /// Language of the content file [default: the project's source-language, else nl].
    #[arg(long, value_name = "LANG", value_parser = ["nl", "en", "fr", "de"])]
    pub lang: Option<String>,
    /// Project folder (holding leafpress.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Output of messages.
    #[command(flatten)]
    pub messages: DiagnosticMessages,
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

/// `leafpress fonts`.
#[derive(Debug, Args)]
pub struct FontsArgs {
    /// Project folder and font options.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output of messages.
    #[command(flatten)]
    pub messages: DiagnosticMessages,
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
    /// Output of messages.
    #[command(flatten)]
    pub messages: CheckMessages,
}

/// The options `build`, `watch` and `preview` share: the project, which documents, where they
/// go, what is written, resources and print settings. Numbers are signed and may be negative
/// on the command line (`--bleed -1`), so that every number out of range gets the range
/// check's message rather than clap's "unexpected argument".
#[derive(Debug, Args)]
pub struct DocumentArgs {
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
    /// What to write per document; repeatable [default: pdf]. `typst` writes a folder beside
    /// where the PDF goes (out/<topic>/<lang>/<format>/main.typ) that the Typst CLI compiles.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub emit: Vec<Emit>,
}

/// The `--shard` option of `build` and `preview`.
#[derive(Debug, Args)]
pub struct ShardArgs {
    /// Build only the K-th of N slices of the matrix (for a CI matrix of N jobs; together
    /// the N slices build every document exactly once, and `leafpress manifest merge`
    /// combines their manifests).
    #[arg(long, value_name = "K/N", allow_hyphen_values = true)]
    pub shard: Option<String>,
}

/// `leafpress build`.
#[derive(Debug, Args)]
pub struct BuildCommandArgs {
    /// What to build and how.
    #[command(flatten)]
    pub documents: DocumentArgs,
    /// Which slice of the matrix.
    #[command(flatten)]
    pub shard: ShardArgs,
    /// Also render every page to PNG under out/preview/ and write out/index.html.
    #[arg(long)]
    pub preview: bool,
    /// Resolution of the previews in dots per inch (implies --preview) [default: 60].
    #[arg(long, value_name = "DPI", allow_negative_numbers = true)]
    pub preview_dpi: Option<i64>,
    /// Time every stage of every document (load, check, prepare, compile, export, arrange,
    /// previews, post-process, write): print a table and write out/timings.json, a Chrome
    /// trace (chrome://tracing, Perfetto).
    #[arg(long)]
    pub timings: bool,
    /// Output of messages.
    #[command(flatten)]
    pub messages: BuildMessages,
}

/// `leafpress watch`: no `--shard` (a session rebuilds what an edit affects, wherever it is in
/// the matrix).
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// What to build and how.
    #[command(flatten)]
    pub documents: DocumentArgs,
    /// Also render every page to PNG under out/preview/ and keep out/index.html up to date.
    #[arg(long)]
    pub preview: bool,
    /// Resolution of the previews in dots per inch (implies --preview) [default: 60].
    #[arg(long, value_name = "DPI", allow_negative_numbers = true)]
    pub preview_dpi: Option<i64>,
    /// Output of messages.
    #[command(flatten)]
    pub messages: WatchMessages,
}

/// `leafpress preview`: `build --preview`, so no `--preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// What to build and how.
    #[command(flatten)]
    pub documents: DocumentArgs,
    /// Which slice of the matrix.
    #[command(flatten)]
    pub shard: ShardArgs,
    /// Resolution of the page images in dots per inch (24–300) [default: 60].
    #[arg(long, value_name = "DPI", allow_negative_numbers = true)]
    pub preview_dpi: Option<i64>,
    /// Output of messages.
    #[command(flatten)]
    pub messages: BuildMessages,
}

/// `leafpress manifest merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The manifest of each slice (out/manifest.json of each `build --shard K/N` job), in any
    /// order.
    #[arg(value_name = "MANIFEST", required = true)]
    pub manifests: Vec<PathBuf>,
    /// Write the merged manifest to this file (whole, through a temporary file; folders are
    /// created) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output of messages.
    #[command(flatten)]
    pub messages: DiagnosticMessages,
}

/// `leafpress completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `leafpress status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Project folder (holding leafpress.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: std::path::PathBuf,
    /// Topics and languages.
    #[command(flatten)]
    pub filter: ContentFilter,
    /// Output of messages.
    #[command(flatten)]
    pub messages: DiagnosticMessages,
}

/// `leafpress accept`.
#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The topic, e.g. `hernia`.
    #[arg(value_name = "TOPIC")]
    pub topic: String,
    /// The translation's language, e.g. `en`.
    #[arg(value_name = "LANG")]
    pub lang: String,
    /// The parts to accept: `introduction` or section ids [default: every part].
    #[arg(value_name = "PART")]
    pub parts: Vec<String>,
    /// Project folder (holding leafpress.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: std::path::PathBuf,
    /// Output of messages.
    #[command(flatten)]
    pub messages: DiagnosticMessages,
}

/// `leafpress labels`.
#[derive(Debug, Args)]
pub struct LabelsArgs {
    /// The language code, e.g. `nl`, `en`, `fr`, `de`, or one leafpress has no table for.
    #[arg(value_name = "LANG")]
    pub lang: String,
}

/// `leafpress man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, e.g. `build` or `manifest merge` [default: the main
    /// page, leafpress(1)].
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// The settings `build`, `watch` and `preview` resolve into (see
/// [`crate::build::BuildConfig::from_args`]): every option any of them has, with what the
/// command does not offer at its default.
#[derive(Debug)]
pub struct BuildArgs {
    /// Project folder and font options.
    pub project: ProjectArgs,
    /// Output folder; `None` means `<root>/out`.
    pub out: Option<PathBuf>,
    /// Topics and languages.
    pub filter: ContentFilter,
    /// Formats; empty means all.
    pub format: Vec<Format>,
    /// Brand ids; empty means all.
    pub brand: Vec<String>,
    /// Parallel documents.
    pub jobs: Option<i64>,
    /// Seconds per document.
    pub time_limit: Option<i64>,
    /// Megabytes for the run.
    pub memory_limit: Option<i64>,
    /// Bleed in millimetres.
    pub bleed: Option<f64>,
    /// Crop marks.
    pub crop_marks: bool,
    /// `K/N`, unparsed.
    pub shard: Option<String>,
    /// What to write per document.
    pub emit: Vec<Emit>,
    /// Page previews.
    pub preview: bool,
    /// Preview resolution.
    pub preview_dpi: Option<i64>,
    /// `--timings`.
    pub timings: bool,
}

impl BuildArgs {
    /// The shared options, with the rest given.
    fn of(d: DocumentArgs, shard: Option<String>, preview: bool, preview_dpi: Option<i64>) -> Self {
        Self {
            project: d.project,
            out: d.out,
            filter: d.filter,
            format: d.format,
            brand: d.brand,
            jobs: d.jobs,
            time_limit: d.time_limit,
            memory_limit: d.memory_limit,
            bleed: d.bleed,
            crop_marks: d.crop_marks,
            shard,
            emit: d.emit,
            preview,
            preview_dpi,
            timings: false,
        }
    }
}

impl From<BuildCommandArgs> for BuildArgs {
    fn from(a: BuildCommandArgs) -> Self {
        Self { timings: a.timings, ..Self::of(a.documents, a.shard.shard, a.preview, a.preview_dpi) }
    }
}

impl From<WatchArgs> for BuildArgs {
    fn from(a: WatchArgs) -> Self {
        Self::of(a.documents, None, a.preview, a.preview_dpi)
    }
}

impl From<PreviewArgs> for BuildArgs {
    fn from(a: PreviewArgs) -> Self {
        Self::of(a.documents, a.shard.shard, true, a.preview_dpi)
    }
}

/// One example: what it does, and the command line.
pub type Example = (&'static str, &'static str);

/// The examples of each command (by its path of subcommand names; `[]` is leafpress itself),
/// shown at the end of its --help and in its man page.
pub const EXAMPLES: &[(&[&str], &[Example])] = &[
    (
        &[],
        &[
            (
                "Start a project and build its sample topic",
                "leafpress init my-practice && cd my-practice && leafpress build",
            ),
            ("Check everything, as CI would", "leafpress check --strict"),
            ("Build every document into out/", "leafpress build"),
            ("Rebuild as you edit", "leafpress watch --topic neck-pain --lang nl --format handout"),
        ],
    ),
    (
        &["build"],
        &[
            ("Every topic, language, brand and format, into out/", "leafpress build"),
            ("One document", "leafpress build --topic hernia --lang nl --format handout"),
            (
                "Print-ready booklets and posters with 3 mm bleed and crop marks",
                "leafpress build --format booklet-imposed --format poster --bleed 3 --crop-marks",
            ),
            ("The second of four CI slices (see leafpress manifest merge)", "leafpress build --shard 2/4"),
            ("PDFs and standalone folders for the Typst CLI", "leafpress build --emit pdf --emit typst"),
            ("One teaching deck", "leafpress build --topic decks/hernia-les"),
            ("Where the time goes: a table and out/timings.json", "leafpress build --timings"),
            ("One JSON object per line on stdout, for scripts", "leafpress build --message-format json"),
        ],
    ),
    (
        &["watch"],
        &[
            ("Build everything, then rebuild what each save affects", "leafpress watch"),
            (
                "While writing one leaflet: only its handout",
                "leafpress watch --topic hernia --lang nl --format handout",
            ),
            ("Keep the page images and out/index.html up to date too", "leafpress watch --preview"),
        ],
    ),
    (
        &["preview"],
        &[
            ("Every document with its page images; then open out/index.html", "leafpress preview"),
            (
                "One practice's posters, sharp enough for fine print",
                "leafpress preview --brand zuiderpark --format poster --preview-dpi 150",
            ),
        ],
    ),
    (
        &["check"],
        &[
            ("Every topic and language", "leafpress check"),
            (
                "In CI: stale translations and sections without a key message are errors",
                "leafpress check --strict",
            ),
            ("One translation", "leafpress check --topic hernia --lang fr"),
            ("Problems as JSON lines, for an editor or a bot", "leafpress check --message-format json"),
        ],
    ),
    (
        &["fonts"],
        &[
            ("The families a build can use", "leafpress fonts"),
            ("With the fonts installed on this system", "leafpress fonts --system-fonts"),
        ],
    ),
    (
        &["init"],
        &[
            ("A new project in the folder my-practice", "leafpress init my-practice"),
            ("In the current folder, with an English sample topic", "leafpress init --lang en"),
        ],
    ),
    (
        &["new"],
        &[
            ("A Dutch topic to fill in: leaflets/neck-pain/nl.md", "leafpress new neck-pain"),
            ("Its French translation", "leafpress new neck-pain --lang fr"),
        ],
    ),
    (
        &["manifest"],
        &[(
            "The release manifest of a CI matrix of four slices",
            "leafpress manifest merge --out out/manifest.json slice-1/manifest.json slice-2/manifest.json slice-3/manifest.json slice-4/manifest.json",
        )],
    ),
    (
        &["manifest", "merge"],
        &[
            (
                "The release manifest of a CI matrix of four slices, each downloaded into slice-K/",
                "leafpress manifest merge --out out/manifest.json slice-*/manifest.json",
            ),
            ("To stdout", "leafpress manifest merge a/manifest.json b/manifest.json > manifest.json"),
        ],
    ),
    (
        &["completions"],
        &[
            ("bash", "leafpress completions bash > ~/.local/share/bash-completion/completions/leafpress"),
            (
                "zsh (with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc)",
                "leafpress completions zsh > ~/.zfunc/_leafpress",
            ),
            ("fish", "leafpress completions fish > ~/.config/fish/completions/leafpress.fish"),
            ("PowerShell (then load it from $PROFILE)", "leafpress completions powershell > leafpress.ps1"),
            (
                "elvish (then `use leafpress` in rc.elv)",
                "leafpress completions elvish > ~/.config/elvish/lib/leafpress.elv",
            ),
        ],
    ),
    (
        &["status"],
        &[
            ("Monday morning: where every leaflet stands", "leafpress status"),
            ("One topic, for a script", "leafpress status --topic hernia --message-format json"),
        ],
    ),
    (
        &["accept"],
        &[
            ("The whole English translation matches the Dutch source again", "leafpress accept hernia en"),
            ("Only the sections brought up to date", "leafpress accept hernia en red-flags what-helps"),
        ],
    ),
    (
        &["labels"],
        &[
            (
                "Change one label: save the Dutch table, then keep only the keys you change",
                "leafpress labels nl > labels/nl.toml",
            ),
            (
                "Start a table for a language leafpress has none for, to translate",
                "leafpress labels tr > labels/tr.toml",
            ),
        ],
    ),
    (
        &["man"],
        &[
            ("Read the manual now", "leafpress man | man -l -"),
            ("Install the main page", "leafpress man > ~/.local/share/man/man1/leafpress.1"),
            ("Install a command's page", "leafpress man build > ~/.local/share/man/man1/leafpress-build.1"),
            ("The page of leafpress manifest merge", "leafpress man manifest merge | man -l -"),
        ],
    ),
];

/// The examples of the command at `path` (none for an unknown one).
pub fn examples(path: &[&str]) -> &'static [Example] {
    EXAMPLES.iter().find(|(p, _)| *p == path).map_or(&[], |(_, e)| *e)
}

/// The examples of the command at `path` as its help shows them, under a heading styled like
/// clap's own (the styles are dropped where help is not coloured).
fn examples_help(path: &[&str]) -> StyledStr {
    let heading = Style::new().bold().underline();
    let comment = Style::new().fg_color(Some(AnsiColor::BrightBlack.into()));
    let mut text = format!("{heading}Examples:{heading:#}\n");
    for (i, (what, line)) in examples(path).iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&format!("  {comment}# {what}{comment:#}\n  {line}\n"));
    }
    StyledStr::from(text)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_examples() {
        fn walk(cmd: &clap::Command, path: &mut Vec<String>) {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            assert!(!examples(&p).is_empty(), "no examples for {p:?}");
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                path.push(sub.get_name().to_owned());
                walk(sub, path);
                path.pop();
            }
        }
        walk(&Cli::command(), &mut Vec::new());
        // And none for a command that does not exist.
        for (path, _) in EXAMPLES {
            let mut cmd = Cli::command();
            for name in *path {
                cmd = cmd.find_subcommand(name).unwrap_or_else(|| panic!("{path:?}")).clone();
            }
        }
    }

    #[test]
    fn message_format_after_the_command_wins() {
        let cli = Cli::try_parse_from(["leafpress", "--message-format", "json", "check"]).unwrap();
        assert_eq!(cli.message_format(), MessageFormat::Json);
        let cli = Cli::try_parse_from(["leafpress", "check", "--message-format", "json"]).unwrap();
        assert_eq!(cli.message_format(), MessageFormat::Json);
        let cli = Cli::try_parse_from([
            "leafpress",
            "--message-format",
            "json",
            "fonts",
            "--message-format",
            "human",
        ])
        .unwrap();
        assert_eq!(cli.message_format(), MessageFormat::Human);
        let cli = Cli::try_parse_from(["leafpress", "man"]).unwrap();
        assert_eq!(cli.message_format(), MessageFormat::Human);
    }
}
