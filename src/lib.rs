//! leafpress: branded, accessible, print-ready patient leaflets from Markdown and TOML,
//! compiled with embedded Typst.
//!
//! The modules follow the pipeline: [`cli`] → [`project`] (configuration) → [`content`]
//! (parsing, model) → [`document`] (data for Typst) → [`engine`] (compile) → [`output`]
//! (write); [`build`] drives it.

pub mod build;
pub mod cli;
pub mod content;
pub mod diag;
pub mod document;
pub mod eject;
pub mod engine;
pub mod fit;
pub mod format;
pub mod impose;
pub mod labels;
pub mod limits;
pub mod manifest;
pub mod output;
pub mod pdfpc;
pub mod preview;
pub mod project;
pub mod qr;
pub mod report;
pub mod select;
pub mod translation;
pub mod watch;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use cli::{Cli, Command};

/// Runs the command line `args`; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    report::set_format(cli.message_format);
    let result = match cli.command {
        Command::Build(args) => match build::BuildConfig::from_args(args) {
            Ok(config) => build::run(&config),
            Err(d) => return usage_error(d),
        },
        Command::Preview(args) => {
            match build::BuildConfig::from_args(cli::BuildArgs { preview: true, ..args }) {
                Ok(config) => build::run(&config),
                Err(d) => return usage_error(d),
            }
        }
        Command::Watch(args) => match build::BuildConfig::from_args(args) {
            Ok(config) => watch::run(&config),
            Err(d) => return usage_error(d),
        },
        Command::Check(args) => {
            build::check(&build::BuildConfig::for_check(args)).map(|()| Default::default())
        }
        Command::Fonts(args) => fonts(&args).map(|()| Default::default()),
    };
    let code = match result {
        Ok(outcome) if outcome.succeeded() => 0,
        Ok(_) => 1,
        Err(diagnostics) => {
            diag::emit(&diagnostics.0);
            1
        }
    };
    // Machine output that did not reach its reader is a failure, whatever else went well.
    if report::stdout_has_failed() { 1 } else { code }
}

/// A value on the command line (or in the environment) that clap could not check: reported
/// like any diagnostic, with clap's exit code for a bad command line.
fn usage_error(d: diag::Diagnostic) -> i32 {
    diag::emit(&[d]);
    2
}

/// `leafpress fonts`: prints the font families the project sees, one per line, on stdout.
fn fonts(args: &cli::ProjectArgs) -> diag::Result<()> {
    let root = args.root.canonicalize().map_err(|e| {
        diag::Diagnostic::error(format!("failed to open project folder {} ({e})", args.root.display()))
    })?;
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
