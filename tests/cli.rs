//! The command line itself (#12): each subcommand's help (its examples, exactly its options),
//! shell completions and man pages generated from the same definitions, and `manifest merge`
//! of the slices of a sharded build.

mod common;

use std::collections::BTreeSet;

use common::Project;

/// The options a command's `--help` defines (not those its text mentions), without `--`.
fn options(help: &str) -> BTreeSet<String> {
    help.lines()
        .skip_while(|l| *l != "Options:")
        .take_while(|l| !l.starts_with("Examples:"))
        // Definitions are indented 2 (with a short name) or 6; descriptions 10.
        .filter(|l| {
            let indent = l.len() - l.trim_start().len();
            indent < 10 && l.trim_start().starts_with('-')
        })
        .flat_map(|l| {
            l.split([' ', ','])
                .take_while(|w| !w.starts_with('<'))
                .filter_map(|w| w.strip_prefix("--"))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The options `build`, `watch` and `preview` share.
const DOCUMENTS: &[&str] = &[
    "root",
    "system-fonts",
    "out",
    "topic",
    "lang",
    "format",
    "brand",
    "jobs",
    "time-limit",
    "memory-limit",
    "bleed",
    "crop-marks",
    "emit",
    "preview-dpi",
    "message-format",
    "help",
];

#[test]
fn every_command_has_examples_and_exactly_its_options() {
    let p = Project::fixture("small");
    let with = |extra: &[&'static str]| DOCUMENTS.iter().chain(extra).copied().collect::<Vec<_>>();
    let expected: Vec<(&[&str], Vec<&str>)> = vec![
        (&[], vec!["message-format", "help", "version"]),
        (&["build"], with(&["shard", "preview", "timings"])),
        (&["watch"], with(&["preview"])),
        (&["preview"], with(&["shard"])),
        (&["check"], vec!["root", "system-fonts", "topic", "lang", "strict", "message-format", "help"]),
        (&["fonts"], vec!["root", "system-fonts", "message-format", "help"]),
        (&["init"], vec!["lang", "message-format", "help"]),
        (&["new"], vec!["lang", "root", "message-format", "help"]),
        (&["manifest"], vec!["help"]),
        (&["manifest", "merge"], vec!["out", "message-format", "help"]),
        (&["completions"], vec!["help"]),
        (&["man"], vec!["help"]),
        (&["labels"], vec!["help"]),
        (&["accept"], vec!["root", "message-format", "help"]),
        (&["status"], vec!["root", "topic", "lang", "message-format", "help"]),
    ];
    for (command, want) in &expected {
        for flag in ["--help", "-h"] {
            let args: Vec<&str> = command.iter().copied().chain([flag]).collect();
            let run = p.run(&args);
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            assert_eq!(options(&run.stdout), set(want), "{args:?}:\n{}", run.stdout);
            let examples = run.stdout.split("\nExamples:\n").nth(1).unwrap_or_else(|| {
                panic!("{args:?} has no examples:\n{}", run.stdout);
            });
            // Each example runs the command it belongs to.
            let prefix = ["leafpress"].iter().chain(command.iter()).copied().collect::<Vec<_>>().join(" ");
            assert!(examples.lines().any(|l| l.trim_start().starts_with(&prefix)), "{args:?}:\n{examples}");
        }
    }
    // Every subcommand is in the list above.
    let top = p.run(&["--help"]).stdout;
    let listed: BTreeSet<&str> = top
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    let tested: BTreeSet<&str> = expected.iter().filter_map(|(c, _)| c.first().copied()).collect();
    assert_eq!(listed, tested);
}

#[test]
fn message_format_help_names_only_the_commands_events() {
    let p = Project::fixture("small");
    let help = |args: &[&str]| {
        let run = p.run(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = run.stdout;
        let at = text.find("--message-format").expect("--message-format");
        // The option's description, up to the next option.
        let rest = &text[at..];
        rest[..rest[2..].find("\n  -").map_or(rest.len(), |i| i + 2)].to_owned()
    };
    let check = help(&["check", "--help"]);
    assert!(check.contains("diagnostic") && check.contains("summary"), "{check}");
    for event in ["watching", "rebuild", "plan", "document,"] {
        assert!(!check.contains(event), "check --help names {event}: {check}");
    }
    let build = help(&["build", "--help"]);
    assert!(build.contains("plan, document, failed, diagnostic and summary"), "{build}");
    assert!(!build.contains("watching") && !build.contains("rebuild"), "{build}");
    let watch = help(&["watch", "--help"]);
    assert!(watch.contains("watching") && watch.contains("rebuild"), "{watch}");
}

#[test]
fn options_a_command_does_not_have_are_refused() {
    let p = Project::fixture("small");
    for args in
        [&["preview", "--preview"][..], &["watch", "--shard", "1/2"], &["check", "--format", "handout"]]
    {
        let run = p.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("unexpected argument"), "{args:?}: {}", run.stderr);
    }
    assert!(!p.path("out").exists());
}

#[test]
fn message_format_goes_before_or_after_the_command() {
    let p = Project::fixture("small");
    for args in [&["--message-format", "json", "check"][..], &["check", "--message-format", "json"]] {
        let run = p.run(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let last: serde_json::Value = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
        assert_eq!(last["event"], "summary", "{}", run.stdout);
    }
}

#[test]
fn completions_for_every_shell() {
    let p = Project::fixture("small");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = p.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{shell}: {}", run.stderr);
        for word in ["leafpress", "manifest", "merge", "shard", "preview-dpi"] {
            assert!(run.stdout.contains(word), "{shell} completions lack {word}");
        }
        // Values too, where the shell's script lists them.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(run.stdout.contains("booklet-imposed"), "{shell} completions lack the formats");
        }
    }
    let run = p.run(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("possible values: bash, elvish, fish, powershell, zsh"), "{}", run.stderr);
}

#[test]
fn man_pages_for_leafpress_and_each_command() {
    let p = Project::fixture("small");
    let run = p.run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    for part in
        [".TH leafpress 1", ".SH SYNOPSIS", ".SH EXAMPLES", "leafpress\\-build(1)", "leafpress\\-manifest(1)"]
    {
        assert!(run.stdout.contains(part), "leafpress man lacks {part}:\n{}", run.stdout);
    }
    let run = p.run(&["man", "manifest", "merge"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for part in [".TH leafpress-manifest-merge 1", "\\-\\-out", ".SH EXAMPLES", "leafpress manifest merge"] {
        assert!(run.stdout.contains(part), "the page of manifest merge lacks {part}:\n{}", run.stdout);
    }
    let run = p.run(&["man", "watch"]);
    assert!(run.stdout.contains("\\-\\-preview") && !run.stdout.contains("\\-\\-shard"), "{}", run.stdout);

    let run = p.run(&["man", "merge"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: leafpress has no command `merge`\n"), "{}", run.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_fails_the_run() {
    let p = Project::fixture("small");
    for args in [&["man"][..], &["completions", "bash"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_leafpress"))
            .args(args)
            .current_dir(&p.root)
            .env("NO_COLOR", "1")
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: failed to write to standard output"), "{args:?}: {stderr}");
        assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    }
}

/// Builds the small fixture whole into out/ and as three slices into s1/, s2/ and s3/.
fn full_and_three_slices() -> Project {
    let p = Project::fixture("small");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for k in 1..=3 {
        let run = p.run(&["build", "--shard", &format!("{k}/3"), "--out", &format!("s{k}")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    p
}

#[test]
fn merged_slices_equal_the_full_build_byte_for_byte() {
    let p = full_and_three_slices();
    let full = std::fs::read(p.path("out/manifest.json")).unwrap();
    assert_eq!(p.manifest("out").len(), 7);
    assert!(p.read("s2/manifest.json").contains("\"shard\": \"2/3\""));

    // To stdout, slices in any order.
    let run = p.run(&["manifest", "merge", "s3/manifest.json", "s1/manifest.json", "s2/manifest.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.as_bytes() == full,
        "merged:\n{}\nfull build:\n{}",
        run.stdout,
        p.read("out/manifest.json")
    );
    assert_eq!(run.stderr, "merged 3 slices (7 documents)\n");

    // To a file, in a folder that does not exist yet.
    let run = p.run(&[
        "manifest",
        "merge",
        "--out",
        "release/manifest.json",
        "s1/manifest.json",
        "s2/manifest.json",
        "s3/manifest.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert_eq!(run.stderr, "merged 3 slices (7 documents) into release/manifest.json\n");
    assert!(std::fs::read(p.path("release/manifest.json")).unwrap() == full);

    // A slice with no documents (more jobs than documents) still writes its manifest,
    // and the merge takes it.
    for k in 1..=8 {
        let (slice, out) = (format!("{k}/8"), format!("e{k}"));
        let run = p.run(&["build", "--shard", &slice, "--out", &out]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(p.read("e8/manifest.json").contains("\"documents\": []"), "{}", p.read("e8/manifest.json"));
    let slices: Vec<String> = (1..=8).map(|k| format!("e{k}/manifest.json")).collect();
    let mut args = vec!["manifest", "merge"];
    args.extend(slices.iter().map(String::as_str));
    let run = p.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.as_bytes() == full, "merged:\n{}", run.stdout);

    // A whole build is its own merge.
    let run = p.run(&["manifest", "merge", "out/manifest.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.as_bytes() == full);
}

#[test]
fn overlaps_and_gaps_are_errors_naming_the_files() {
    let p = full_and_three_slices();
    // A gap: slice 2 is missing.
    let run = p.run(&["manifest", "merge", "s1/manifest.json", "s3/manifest.json"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: slice 2/3 is missing: the manifests given are s1/manifest.json (1/3) and s3/manifest.json (3/3)\n \
         = hint: name the manifest of every job of the matrix, 1/3 to 3/3; each job writes out/manifest.json\n\n"
    );
    assert!(run.stdout.is_empty());

    // An overlap: slice 2 of a matrix in another order holds the handout, as slice 1 does.
    let run = p.run(&[
        "build",
        "--shard",
        "2/3",
        "--out",
        "t2",
        "--format",
        "booklet",
        "--format",
        "handout",
        "--format",
        "booklet-imposed",
        "--format",
        "trifold",
        "--format",
        "poster",
        "--format",
        "slides",
        "--format",
        "slides-handout",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = p.run(&["manifest", "merge", "s1/manifest.json", "t2/manifest.json", "s3/manifest.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: 1 document is in two slices, in s1/manifest.json (1/3) and t2/manifest.json (2/3): \
             topic/nl/handout.pdf\n"
        ),
        "{}",
        run.stderr
    );

    // The same slice twice is an overlap too; slices of different N are not one matrix.
    let run = p.run(&["manifest", "merge", "s1/manifest.json", "s2/manifest.json", "s2/manifest.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: slice 2/3 is given twice: s2/manifest.json and s2/manifest.json\n")
    );
    assert!(run.stderr.contains("error: slice 3/3 is missing"), "{}", run.stderr);
    let run = p.run(&["manifest", "merge", "out/manifest.json", "s1/manifest.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("of 1: out/manifest.json (1/1); of 3: s1/manifest.json (1/3)"),
        "{}",
        run.stderr
    );

    // Diagnostics as JSON name the file too.
    let run =
        p.run(&["manifest", "merge", "--message-format", "json", "s1/manifest.json", "s3/manifest.json"]);
    assert_eq!(run.code, 2);
    let event: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(
        (event["event"].as_str(), event["file"].as_str()),
        (Some("diagnostic"), Some("s1/manifest.json"))
    );
    assert!(!p.path("release").exists());
}
