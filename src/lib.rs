//! leafpress: branded, accessible, print-ready patient leaflets from Markdown and TOML,
//! compiled with embedded Typst.
//!
//! The modules follow the pipeline: [`cli`] → [`project`] (configuration) → [`content`]
//! (parsing, model) → [`document`] (data for Typst) → [`engine`] (compile) → [`output`]
//! (write); [`build`] drives it.

pub mod build;
pub mod cli;
pub mod content;
pub mod deck;
pub mod diag;
pub mod document;
pub mod eject;
pub mod engine;
pub mod fit;
pub mod format;
pub mod html;
pub mod impose;
pub mod init;
pub mod labels;
pub mod limits;
pub mod manifest;
pub mod manual;
pub mod merge;
pub mod output;
pub mod pdfpc;
pub mod preview;
pub mod project;
pub mod qr;
pub mod readability;
pub mod report;
pub mod select;
pub mod status;
pub mod timings;
pub mod translation;
pub mod trim;
pub mod watch;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use cli::{Cli, Command, ManifestCommand};

/// Runs the command line `args`; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    report::set_format(cli.message_format());
    let result = match cli.command {
        Command::Build(args) => {
            build::BuildConfig::from_args(args.into()).and_then(|config| build::run(&config))
        }
        Command::Preview(args) => {
            build::BuildConfig::from_args(args.into()).and_then(|config| build::run(&config))
        }
        Command::Watch(args) => build::BuildConfig::from_args(args.into()).and_then(|config| {
            // Watch mode reports a broken project and keeps watching for the fix; a wrong
            // command line has no fix to wait for.
            build::check_usage(&config)?;
            watch::run(&config)
        }),
        Command::Check(args) => build::check(&build::BuildConfig::for_check(args)),
        Command::Fonts(args) => fonts(&args.project).map(|()| Default::default()),
        Command::Init(args) => init(&args).map(|()| Default::default()),
        Command::New(args) => new_topic(&args).map(|()| Default::default()),
        Command::Manifest(ManifestCommand::Merge(args)) => merge::run(&args).map(|()| Default::default()),
        Command::Completions(args) => manual::completions(&args).map(|()| Default::default()),
        Command::Man(args) => manual::man(&args).map(|()| Default::default()),
        Command::Labels(args) => labels::print_table(&args.lang).map(|()| Default::default()),
        Command::Accept(args) => accept(&args).map(|()| Default::default()),
        Command::Status(args) => {
            status::run(&args.root, &args.filter.topic, &args.filter.lang).map(|()| Default::default())
        }
    };
    let code = match result {
        Ok(outcome) if outcome.succeeded() => 0,
        Ok(_) => 1,
        Err(diagnostics) => {
            diag::emit(&diagnostics.0);
            // A value on the command line (or in the environment) that clap could not check
            // gets clap's exit code for a bad command line.
            if diagnostics.is_usage() { 2 } else { 1 }
        }
    };
    // Machine output that did not reach its reader is a failure, whatever else went well.
    if report::stdout_has_failed() { 1 } else { code }
}

/// `leafpress fonts`: prints the font families the project sees, one per line, on stdout.
fn fonts(args: &cli::ProjectArgs) -> diag::Result<()> {
    let root = project::open_folder(&args.root)?;
    let engine = engine::Engine::new(&root, args.system_fonts);
    if !engine.font_problems().is_empty() {
        return Err(diag::Diagnostics(engine.font_problems().to_vec()));
    }
    let mut out = std::io::stdout().lock();
    for family in engine.families() {
        if let Err(e) = writeln!(out, "{family}") {
            report::stdout_failed(&e);
            return Ok(());
        }
    }
    if let Err(e) = out.flush() {
        report::stdout_failed(&e);
    }
    Ok(())
}

/// `leafpress accept`: records the fingerprints and says what changed.
fn accept(args: &cli::AcceptArgs) -> diag::Result<()> {
    let done = translation::accept::run(&args.root, &args.topic, &args.lang, &args.parts)?;
    let file = format!("{}/{}.md", args.topic, args.lang);
    let n = done.updated.len();
    let mut line = match n {
        0 => format!("{file}: nothing to accept"),
        _ => format!(
            "accepted {n} part{} of {file}: {}",
            if n == 1 { "" } else { "s" },
            done.updated.join(", ")
        ),
    };
    if !done.current.is_empty() {
        line += &format!(" ({} current already)", done.current.len());
    }
    report::status(&line);
    report::event("accepted", serde_json::json!({ "updated": done.updated, "current": done.current }));
    Ok(())
}

/// Today in the local sense used for new front matter (UTC; a date, not a time).
fn today() -> chrono::NaiveDate {
    build::config::today(None)
}

/// `leafpress init`: a working project, then what to do next.
fn init(args: &cli::InitArgs) -> diag::Result<()> {
    let files = init::init(&args.dir, &args.lang, today())?;
    let dir = match diag::display_path(&args.dir) {
        d if d.is_empty() || d == "." => String::new(),
        d => d,
    };
    for f in &files {
        report::status(&format!("created {}", diag::display_path(f)));
    }
    let cd = if dir.is_empty() { String::new() } else { format!("cd {dir} && ") };
    report::status(&format!(
        "a new project with one topic; next: {cd}leafpress build (PDFs in out/), then edit leafpress.toml and leaflets/"
    ));
    Ok(())
}

/// `leafpress new`: a topic skeleton.
fn new_topic(args: &cli::NewArgs) -> diag::Result<()> {
    let lang = args.lang.clone().unwrap_or_else(|| init::project_language(&args.root));
    let path = init::new_topic(&args.root, &args.topic, &lang, today())?;
    report::status(&format!("created {}; fill it in, then run leafpress check", diag::display_path(&path)));
    Ok(())
}
