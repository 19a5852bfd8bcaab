//! `leafpress completions SHELL` and `leafpress man [COMMAND]…`: shell completion scripts
//! (clap_complete) and manual pages (clap_mangen), generated from the same clap definitions
//! as `--help`, so they never drift from it. Both are printed to stdout; nothing is read or
//! fetched.

use clap::CommandFactory;
use clap_mangen::roff::{Roff, roman};

use crate::cli::{self, Cli};
use crate::diag::{Diagnostic, Result};
use crate::report;

/// The program's name, as completions and pages call it.
const BIN: &str = "leafpress";

/// `leafpress completions SHELL`.
pub fn completions(args: &cli::CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    // Generated in memory: clap_complete panics when its writer fails.
    clap_complete::generate(args.shell, &mut Cli::command(), BIN, &mut script);
    report::stdout_bytes(&script);
    Ok(())
}

/// `leafpress man [COMMAND]…`.
pub fn man(args: &cli::ManArgs) -> Result<()> {
    let page = page(&args.command)?;
    report::stdout_bytes(&page);
    Ok(())
}

/// The manual page of the command at `path` (`[]` for leafpress(1)), as roff.
pub fn page(path: &[String]) -> Result<Vec<u8>> {
    // As clap_mangen's own generator does: no `help` subcommand, and built, so every
    // subcommand knows its full name (`leafpress build`, page leafpress-build).
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    for (i, name) in path.iter().enumerate() {
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            let at = if i == 0 { String::new() } else { format!(" {}", path[..i].join(" ")) };
            let names: Vec<String> = cmd.get_subcommands().map(|s| format!("`{}`", s.get_name())).collect();
            return Err(Diagnostic::error(format!("leafpress{at} has no command `{name}`"))
                .hint(format!("pages: leafpress{at} alone, or one of its commands: {}", names.join(", ")))
                .usage()
                .into());
        };
        cmd = sub;
    }
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    // A command's page carries leafpress's version too (subcommands have none of their own, so
    // their help offers no --version; the command is built, so none is added now).
    let version = env!("CARGO_PKG_VERSION");
    let cmd = cmd.version(version);
    let man = clap_mangen::Man::new(cmd.clone()).source(format!("{BIN} {version}"));
    let mut out = Vec::new();
    let render = |out: &mut Vec<u8>| -> std::io::Result<()> {
        man.render_title(out)?;
        man.render_name_section(out)?;
        man.render_synopsis_section(out)?;
        man.render_description_section(out)?;
        man.render_options_section(out)?;
        if cmd.has_subcommands() {
            man.render_subcommands_section(out)?;
        }
        examples_section(cli::examples(&names)).to_writer(out)?;
        man.render_version_section(out)
    };
    render(&mut out).map_err(|e| Diagnostic::error(format!("failed to render the manual page ({e})")))?;
    Ok(out)
}

/// The EXAMPLES section: each example's description, then its command line unfilled.
fn examples_section(examples: &[cli::Example]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    for (what, line) in examples {
        roff.control("PP", []);
        roff.text([roman(format!("{what}:"))]);
        roff.control("RS", ["4"]);
        roff.control("nf", []);
        roff.text([roman(*line)]);
        roff.control("fi", []);
        roff.control("RE", []);
    }
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_with_its_examples() {
        fn walk(cmd: &clap::Command, path: &mut Vec<String>) {
            let page = String::from_utf8(page(path).unwrap()).unwrap();
            assert!(page.contains("\n.TH "), "{path:?}");
            assert!(page.contains(".SH EXAMPLES") && page.contains(".SH OPTIONS"), "{path:?}:\n{page}");
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                path.push(sub.get_name().to_owned());
                walk(sub, path);
                path.pop();
            }
        }
        walk(&Cli::command(), &mut Vec::new());
        let build = String::from_utf8(page(&["build".into()]).unwrap()).unwrap();
        assert!(build.contains("leafpress\\-build") && build.contains("\\-\\-shard"), "{build}");
    }

    #[test]
    fn an_unknown_command_has_no_page() {
        let e = page(&["manifest".into(), "split".into()]).unwrap_err();
        assert!(e.is_usage());
        assert_eq!(e.0[0].message, "leafpress manifest has no command `split`");
    }
}
