//! Bad input never panics, never escapes the output folder and never goes unreported: each
//! case asserts the whole message, its place, the exit code and that nothing was written.

mod common;

use std::process::{Command, Stdio};

use common::Project;

#[test]
fn a_colour_with_multibyte_characters_is_an_error_not_a_panic() {
    let p = Project::fixture("small");
    p.edit("leafpress.toml", "primary = \"#0b5d66\"", "primary = \"#a€bc\"");
    p.fails(
        &["build"],
        "error: failed to read colour (`#a€bc` has `€`, which is not a hex digit)
   ┌─ leafpress.toml:13:11
   │
13 │ primary = \"#a€bc\"
   │           ^^^^^^^
   │
   = hint: write colours as `#rrggbb`

",
    );
}

#[test]
fn a_brand_file_name_that_is_no_id_cannot_write_outside_the_output_folder() {
    for (name, suggestion) in [("...", "zuiderpark"), ("Zuid Park!", "zuid-park")] {
        let p = Project::demo();
        let brand = p.read("brands/zuiderpark.toml");
        p.write(&format!("brands/{name}.toml"), brand);
        p.fails(
            &["build"],
            &format!(
                "error: brand file name brands/{name}.toml does not make a brand id
 = hint: a brand's file name is its id: lower-case letters, digits and hyphens, e.g. brands/{suggestion}.toml

"
            ),
        );
        assert!(!p.root.parent().unwrap().join("hernia").exists(), "wrote beside the project");
    }
}

#[test]
fn a_practice_name_that_gives_no_id_asks_for_one() {
    let p = Project::fixture("small");
    p.edit("leafpress.toml", "name = \"Test Practice\"", "name = \"!!! ***\"");
    p.fails(
        &["build"],
        "error: the practice name `!!! ***` gives no usable id (``)
  ┌─ leafpress.toml:2:8
  │
2 │ name = \"!!! ***\"
  │        ^^^^^^^^^
  │
  = hint: add `id = \"…\"` to [brand]: lower-case letters, digits and hyphens, e.g. `de-linde`

",
    );
}

/// Runs `leafpress ARGS` in `p` with standard output going to `/dev/full`.
fn run_into_full_disk(p: &Project, args: &[&str]) -> (i32, String) {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = Command::new(env!("CARGO_BIN_EXE_leafpress"))
        .args(args)
        .current_dir(&p.root)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(full)
        .output()
        .expect("run leafpress");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn output_that_cannot_be_written_is_a_failure_not_a_panic() {
    let p = Project::fixture("small");
    let expected = "error: failed to write to standard output (No space left on device (os error 28))
 = hint: the output on standard output is incomplete; the exit code is 1

";
    let (code, stderr) = run_into_full_disk(&p, &["fonts"]);
    assert_eq!((code, stderr.as_str()), (1, expected));
    // Every JSON event is lost: the build says so once and fails, though its PDFs are written.
    let (code, stderr) =
        run_into_full_disk(&p, &["build", "--format", "handout", "--message-format", "json"]);
    assert_eq!((code, stderr.as_str()), (1, expected));
}

#[test]
fn values_on_the_command_line_that_clap_cannot_check_exit_2() {
    let p = Project::fixture("small");
    for (args, env, message) in [
        (
            &["build", "--jobs", "10000"][..],
            None,
            "error: --jobs 10000 is outside 1–64\n = hint: each job compiles one document at a time; the default is one per core\n\n",
        ),
        (
            &["build", "--jobs", "0"][..],
            None,
            "error: --jobs 0 is outside 1–64\n = hint: each job compiles one document at a time; the default is one per core\n\n",
        ),
        (
            &["build", "--shard", "0/0"][..],
            None,
            "error: --shard `0/0` is not K/N with 1 ≤ K ≤ N\n = hint: e.g. --shard 2/4 builds the second of four slices; together the slices build everything once\n\n",
        ),
        (
            &["build", "--bleed", "7"][..],
            None,
            "error: --bleed 7 is outside 0–5 mm\n = hint: printers usually ask for 3 mm of bleed\n\n",
        ),
        (
            &["preview", "--preview-dpi", "10"][..],
            None,
            "error: --preview-dpi 10 is outside 24–300\n = hint: 60 reads well on screen; 150 shows fine print\n\n",
        ),
        (
            &["build"][..],
            Some("soon"),
            "error: SOURCE_DATE_EPOCH `soon` is not a number of seconds between 0 (1970) and 253402300799 (9999)\n = hint: set it to a Unix timestamp, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)\n\n",
        ),
    ] {
        let run = match env {
            Some(v) => p.run_env(args, &[("SOURCE_DATE_EPOCH", v)]),
            None => p.run(args),
        };
        assert_eq!((run.code, run.stderr.as_str()), (2, message), "{args:?}");
        assert!(p.pdfs().is_empty());
    }
}

#[test]
fn fonts_are_read_only_from_regular_files_inside_the_project() {
    let p = Project::fixture("small");
    let outside = tempfile::tempdir().unwrap();
    let real = outside.path().join("Outside.ttf");
    std::fs::copy(common::repo().join("fonts/AtkinsonHyperlegible-Regular.ttf"), &real).unwrap();
    let fonts = p.path("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    std::os::unix::fs::symlink(&real, fonts.join("Outside.ttf")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", fonts.join("Zero.ttf")).unwrap();
    let fifo = std::ffi::CString::new(fonts.join("Pipe.ttf").to_str().unwrap()).unwrap();
    // SAFETY: a valid, NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::fs::write(fonts.join("Garbage.ttf"), "not a font").unwrap();
    let hint = " = hint: fonts/ holds the project's own font files (TrueType or OpenType); remove or replace this one\n\n";
    let expected = [
        "fonts/Garbage.ttf (no font in it: damaged, truncated or not a font file)",
        "fonts/Outside.ttf (fonts/Outside.ttf leads outside the project folder)",
        "fonts/Pipe.ttf (not a regular file)",
        "fonts/Zero.ttf (fonts/Zero.ttf leads outside the project folder)",
    ]
    .map(|e| format!("error: failed to load font {e}\n{hint}"))
    .concat();
    // Neither blocks on the FIFO nor reads /dev/zero: both fail at once, naming every file.
    p.fails(&["build"], &expected);
    let run = p.run(&["fonts"]);
    assert_eq!((run.code, run.stderr.as_str(), run.stdout.as_str()), (1, expected.as_str(), ""));
}

#[test]
fn a_source_language_no_content_file_has_is_an_error_not_silence() {
    let p = Project::demo();
    p.edit("leafpress.toml", "source-language = \"nl\"", "source-language = \"NL\"");
    p.fails(
        &["check"],
        "error: source language `NL` has no content file in topic `hernia`
  ┌─ leafpress.toml:7:19
  │
7 │ source-language = \"NL\"
  │                   ^^^^
  │
  = hint: the topic has de, en, fr, nl; translations are checked against the source language

",
    );
}

#[test]
fn a_content_file_may_start_with_a_byte_order_mark() {
    let p = Project::fixture("small");
    let text = p.read("leaflets/topic/nl.md");
    p.write("leaflets/topic/nl.md", format!("\u{feff}{text}"));
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(p.pdfs().len(), 1);
}

#[test]
fn deep_nesting_is_a_located_error_not_a_stack_overflow() {
    let deep_quotes = format!("{}x\n", "> ".repeat(10_000));
    let deep_lists: String = (0..100).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
    for (what, tail) in [("quotes", deep_quotes), ("lists", deep_lists)] {
        let p = Project::fixture("small");
        let text = p.read("leaflets/topic/nl.md");
        p.write("leaflets/topic/nl.md", format!("{text}\n{tail}"));
        let run = p.run(&["build"]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: lists and quotes nested more than 8 deep\n")
                && run.stderr.contains("┌─ leaflets/topic/nl.md:"),
            "{what}: {}",
            &run.stderr[..run.stderr.len().min(300)]
        );
        assert!(p.pdfs().is_empty(), "{what}");
    }
}

#[test]
fn a_document_and_its_side_files_are_replaced_together_or_not_at_all() {
    let p = Project::fixture("small");
    let run = p.run(&["build", "--format", "slides"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = std::fs::read(p.path("out/topic/nl/slides.pdf")).unwrap();
    let manifest = p.read("out/manifest.json");
    // The presenter notes cannot be written (a folder stands in their place); the text changes.
    std::fs::remove_file(p.path("out/topic/nl/slides.pdfpc")).unwrap();
    std::fs::create_dir(p.path("out/topic/nl/slides.pdfpc")).unwrap();
    p.edit("leaflets/topic/nl.md", "Een korte inleiding.", "Een andere inleiding.");
    let run = p.run(&["build", "--format", "slides"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: failed to write out/topic/nl/slides.pdf or a file beside it (out/topic/nl/slides.pdfpc is a folder)\n"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(p.path("out/topic/nl/slides.pdf")).unwrap(), before, "the PDF was replaced");
    assert_eq!(p.read("out/manifest.json"), manifest, "the manifest changed");
}

/// Text on the page: inside the trim, not over other text, not clipped, and on a trifold
/// not across a fold.
fn assert_laid_out_cleanly(pdf: &std::path::Path, folds: usize) {
    let view = common::Pdf::open(pdf).inspect();
    for page in 0..view.pages() {
        let shown = pdf.display();
        assert!(view.overlaps(page).is_empty(), "{shown} page {}: {:?}", page + 1, view.overlaps(page));
        assert!(view.outside(page).is_empty(), "{shown} page {}: {:?}", page + 1, view.outside(page));
        assert!(view.clipped(page).is_empty(), "{shown} page {}: {:?}", page + 1, view.clipped(page));
        let [x0, _, x1, _] = view.frame(page);
        for k in 1..=folds {
            let fold = x0 + (x1 - x0) * k as f64 / (folds + 1) as f64;
            let across: Vec<_> = view
                .text_runs(page)
                .iter()
                .filter(|r| r.x0 < fold - 1.0 && r.x1 > fold + 1.0)
                .cloned()
                .collect();
            assert!(across.is_empty(), "{shown} page {}: text across fold {k}: {across:?}", page + 1);
        }
    }
}

#[test]
fn an_unbreakable_address_or_word_never_runs_over_a_fold_or_off_the_page() {
    let p = Project::fixture("small");
    let path: Vec<String> = (0..10).map(|i| format!("segment{i}-of-a-very-long-path")).collect();
    let url = format!("https://www.example.org/{}", path.join("/"));
    let word = "a".repeat(300);
    p.edit(
        "leaflets/topic/nl.md",
        "De kernboodschap van het eerste deel.",
        &format!("Lees {url} en {word}."),
    );
    p.edit(
        "leaflets/topic/nl.md",
        "Een zin met een bron",
        &format!("Zie [de uitleg]({url}) en <{url}>. Een zin met een bron"),
    );
    let run = p.run(&[
        "build", "--format", "trifold", "--format", "poster", "--format", "handout", "--format", "booklet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (format, folds) in [("trifold", 2), ("poster", 0), ("handout", 0), ("booklet", 0)] {
        let pdf = p.path(&format!("out/topic/nl/{format}.pdf"));
        assert_laid_out_cleanly(&pdf, folds);
        // Every character is still there, and the address is printed whole.
        let text = common::Pdf::open(&pdf).text().replace(['\u{200b}', '\n', ' '], "");
        assert!(text.contains(&word), "{format}: the long word lost characters");
        assert!(text.contains(&url), "{format}: the address is not printed whole");
    }
}

/// What a confinement case puts in place of a project file.
#[derive(Clone, Copy, Debug)]
enum Intruder {
    /// A symlink to a file outside the project.
    LinkOutside,
    /// A named pipe: reading it would block for ever.
    Fifo,
    /// A symlink to `/dev/zero`: reading it would never end.
    LinkToDevZero,
    /// A folder of that name.
    Folder,
}

fn make_fifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

#[test]
fn every_kind_of_project_file_is_confined_and_never_blocks() {
    // (project, file as the project refers to it, command)
    let files: [(&str, &str, &[&str]); 8] = [
        ("small", "leaflets/topic/nl.md", &["check"]),
        ("small", "leafpress.toml", &["check"]),
        ("demo", "brands/zuiderpark.toml", &["check"]),
        ("small", "labels/nl.toml", &["check"]),
        ("small", "leaflets/topic/references.yml", &["check"]),
        ("small", "images/figure.svg", &["check"]),
        ("small", "fonts/extra.ttf", &["check"]),
        ("small", "templates/handout.typ", &["build", "--format", "handout"]),
    ];
    let outside = tempfile::tempdir().unwrap();
    for (base, file, args) in files {
        for intruder in [Intruder::LinkOutside, Intruder::Fifo, Intruder::LinkToDevZero, Intruder::Folder] {
            let p = if base == "demo" { Project::demo() } else { Project::fixture("small") };
            let target = p.path(file);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            // The outside file is a valid one of its kind, so only its place is wrong.
            let original = std::fs::read(&target).unwrap_or_else(|_| b"scan = \"x\"\n".to_vec());
            let stray = outside.path().join(file.replace('/', "_"));
            std::fs::write(&stray, &original).unwrap();
            let _ = std::fs::remove_file(&target);
            match intruder {
                Intruder::LinkOutside => std::os::unix::fs::symlink(&stray, &target).unwrap(),
                Intruder::LinkToDevZero => std::os::unix::fs::symlink("/dev/zero", &target).unwrap(),
                Intruder::Fifo => make_fifo(&target),
                Intruder::Folder => std::fs::create_dir(&target).unwrap(),
            }
            let started = std::time::Instant::now();
            let run = p.run(args);
            let case = format!("{file} as {intruder:?}");
            assert!(started.elapsed().as_secs() < 30, "{case}: took {:?}", started.elapsed());
            assert_eq!(run.code, 1, "{case}: exit {}\n{}", run.code, run.stderr);
            let name = std::path::Path::new(file).file_name().unwrap().to_str().unwrap();
            assert!(run.stderr.starts_with("error: "), "{case}: {}", run.stderr);
            assert!(run.stderr.contains(name), "{case}: the error does not name the file:\n{}", run.stderr);
            assert!(!run.stderr.contains("panicked"), "{case}: {}", run.stderr);
            assert!(!p.path("out").exists(), "{case}: something was written");
        }
    }
}
