//! A topic's bibliography as clinicians write it (#12): `references.bib` beside
//! `references.yml`, warnings for entries without author or date, and the fields Hayagriva
//! would silently ignore reported at their place. Located errors for single mistakes are
//! cases of the bad-input corpus (tests/bad-input/references/).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use common::{Pdf, Project, squash};
use leafpress::content::bibliography;

const BIB: &str = "leaflets/topic/references.bib";
const YML: &str = "leaflets/topic/references.yml";
const HANDOUT: &str = "out/topic/nl/handout.pdf";

/// The demo's entry for `key`, as written in leaflets/hernia/references.yml (verified by hand).
fn demo_entry(key: &str) -> String {
    let text = std::fs::read_to_string(common::repo().join("leaflets/hernia/references.yml")).unwrap();
    let start = text.find(&format!("\n{key}:\n")).expect("the demo has the entry") + 1;
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e + 1);
    text[start..end].to_owned()
}

#[test]
fn a_bib_topic_builds_with_its_citations_and_reference_list() {
    let p = Project::fixture("bib");
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
    let run = p.run(&["build", "--format", "handout", "--format", "slides"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let handout = squash(&Pdf::open(&p.path(HANDOUT)).text());
    for needle in [
        "Een zin met een bron (Urban & Roberts, 2003).",
        "Bronnen",
        "Urban, J. P. G., & Roberts, S. (2003). Degeneration of the intervertebral disc. Arthritis Research & Therapy, 5(3), 120",
        "https://doi.org/10.1186/ar629",
    ] {
        assert!(handout.contains(&squash(needle)), "the handout lacks {needle:?}");
    }
    let slides = squash(&Pdf::open(&p.path("out/topic/nl/slides.pdf")).text());
    assert!(
        slides.contains(&squash("Urban, J. P. G., & Roberts, S. (2003).")),
        "the slides lack the reference"
    );
    // The manifest names the bibliography among the handout's inputs.
    let docs = p.manifest("out");
    let inputs = docs[0]["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i == BIB), "{inputs:?}");
}

#[test]
fn a_bib_and_the_same_entry_in_yaml_print_the_same() {
    let p = Project::fixture("bib");
    assert_eq!(p.run(&["build", "--format", "handout"]).code, 0);
    let from_bib = Pdf::open(&p.path(HANDOUT)).text();
    std::fs::remove_file(p.path(BIB)).unwrap();
    p.write(YML, demo_entry("urban2003"));
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(Pdf::open(&p.path(HANDOUT)).text(), from_bib);
}

#[test]
fn emit_typst_carries_the_bib() {
    let p = Project::fixture("bib");
    let run = p.run(&["build", "--format", "handout", "--emit", "typst"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ejected = p.path("out/topic/nl/handout").join(BIB);
    assert_eq!(std::fs::read(ejected).unwrap(), std::fs::read(p.path(BIB)).unwrap());
    let data = p.read("out/topic/nl/handout/_leafpress/data.json");
    assert!(data.contains("/leaflets/topic/references.bib"), "{data}");
}

#[test]
fn both_bibliographies_in_one_topic_is_an_error() {
    let p = Project::fixture("bib");
    p.write(YML, demo_entry("urban2003"));
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: topic folder leaflets/topic has both references.yml and references.bib
 = hint: a topic has one bibliography: keep references.yml (Hayagriva YAML) or references.bib (BibTeX, as reference managers export it), and move the other's entries into it

"
    );
}

#[test]
fn entries_without_author_or_date_warn_and_fail_check_strict() {
    let p = Project::fixture("small");
    // An obviously fake entry: no author, no date, no journal.
    p.write(YML, "smith2020:\n  type: misc\n  title: Test entry\n");
    let warnings = "warning: reference `smith2020` has no author
  ┌─ leaflets/topic/references.yml:1:1
  │
1 │ smith2020:
  │ ^^^^^^^^^
  │
  = hint: citations and the reference list show its title in the author's place; add `author: Family, Given` (for several, one `- Family, Given` per line; an organisation by its name)

warning: reference `smith2020` has no date
  ┌─ leaflets/topic/references.yml:1:1
  │
1 │ smith2020:
  │ ^^^^^^^^^
  │
  = hint: citations show \"n.d.\" (no date) in place of the year; add the year it was published, `date: YYYY` (or `YYYY-MM-DD`)

";
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.starts_with(warnings), "{}", check.stderr);
    let strict = p.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1);
    assert_eq!(strict.stderr, warnings.replace("warning: ", "error: "));
    // The build goes on, and prints what the warnings say.
    let build = p.run(&["build", "--format", "handout"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.starts_with(warnings), "{}", build.stderr);
    let text = squash(&Pdf::open(&p.path(HANDOUT)).text());
    assert!(text.contains(&squash("(Test entry, z.d.)")), "{text}");
}

#[test]
fn an_editor_or_a_parents_date_is_enough() {
    let p = Project::fixture("small");
    p.write(
        YML,
        "smith2020:\n  type: chapter\n  title: Test entry\n  editor: Tester, Test\n  parent:\n    type: book\n    title: Test book\n    date: 2020\n",
    );
    let check = p.run(&["check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
}

#[test]
fn bib_entries_without_author_or_date_warn_in_bibtex_terms() {
    let p = Project::fixture("bib");
    p.write(BIB, "@misc{urban2003,\n  title = {Test entry},\n}\n");
    let run = p.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "warning: reference `urban2003` has no author
  ┌─ leaflets/topic/references.bib:1:7
  │
1 │ @misc{urban2003,
  │       ^^^^^^^^^
  │
  = hint: citations and the reference list show its title in the author's place; add `author = {Family, Given and Family, Given}` (an organisation in double braces, `{{…}}`)

warning: reference `urban2003` has no date
"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`year = {YYYY}` or `date = {YYYY-MM-DD}`"), "{}", run.stderr);
}

#[test]
fn fields_as_clinicians_write_them_are_all_reported_at_once() {
    let p = Project::fixture("small");
    p.write(
        YML,
        "smith2020:\n  type: article\n  title: Test entry\n  authors: Tester, Test\n  year: 2020\n  journal: Test\n",
    );
    let run = p.run(&["check", "--strict"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: unknown field `authors` in reference `smith2020`
  ┌─ leaflets/topic/references.yml:4:3
  │
4 │   authors: Tester, Test
  │   ^^^^^^^
  │
  = hint: did you mean `author`? one name, `author: Family, Given`, or a list with one `- Family, Given` per line

error: unknown field `year` in reference `smith2020`
  ┌─ leaflets/topic/references.yml:5:3
  │
5 │   year: 2020
  │   ^^^^
  │
  = hint: did you mean `date`? the year, `date: 2020`, or with month and day, `date: 2020-03-15`

error: unknown field `journal` in reference `smith2020`
  ┌─ leaflets/topic/references.yml:6:3
  │
6 │   journal: Test
  │   ^^^^^^^
  │
  = hint: the journal is the reference's parent: `parent: {type: periodical, title: …}` (its `volume` and `issue` go in the parent too)

"
    );
}

#[test]
fn hayagrivas_refusals_are_all_located_and_short() {
    let p = Project::fixture("small");
    p.write(
        YML,
        "smith2020:\n  type: article\n  title: Test entry\n  author: Tester, Test\n  date: someday\n  parent: {type: journal, volume: [1]}\n",
    );
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1);
    let located: Vec<&str> = run.stderr.lines().filter(|l| l.contains("┌─")).collect();
    assert_eq!(
        located,
        [
            "  ┌─ leaflets/topic/references.yml:5:9",
            "  ┌─ leaflets/topic/references.yml:6:18",
            "  ┌─ leaflets/topic/references.yml:6:35",
        ],
        "{}",
        run.stderr
    );
    for line in run.stderr.lines() {
        assert!(line.len() < 400, "a long line: {line}");
    }
    for words in ["http", "untagged enum", "expected one of", "Article"] {
        assert!(!run.stderr.contains(words), "{words:?} in\n{}", run.stderr);
    }
}

/// Every byte removed or a troublesome character put in, one position after another, in
/// the demo's bibliography and the bib fixture's: no panic, and every error has its place.
#[test]
fn broken_bibliographies_give_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let yml = std::fs::read_to_string(common::repo().join("leaflets/hernia/references.yml")).unwrap();
    let bib = std::fs::read_to_string(common::repo().join("tests/fixtures/bib").join(BIB)).unwrap();
    let started = Instant::now();
    let mut tried = 0;
    for (name, text, step) in [("references.yml", &yml, 17), ("references.bib", &bib, 1)] {
        let path = root.join(name);
        let positions: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(step).collect();
        for at in positions {
            let next = at + text[at..].chars().next().map_or(0, char::len_utf8);
            let variants = [
                format!("{}{}", &text[..at], &text[next..]),
                format!("{}:{}", &text[..at], &text[at..]),
                format!("{}\"{}", &text[..at], &text[at..]),
                format!("{}{{{}", &text[..at], &text[at..]),
                format!("{}\n  x{}", &text[..at], &text[at..]),
            ];
            for variant in variants {
                std::fs::write(&path, &variant).unwrap();
                tried += 1;
                let Err(errors) = bibliography::load(&root, &path, format!("/{name}")) else { continue };
                for d in &errors.0 {
                    assert!(d.location.is_some(), "{name}: not located: {}\n{variant}", d.message);
                    assert!(!d.message.contains("untagged enum"), "{name}: {}\n{variant}", d.message);
                    assert!(d.hints.iter().all(|h| !h.contains("http")), "{name}: {:?}", d.hints);
                }
            }
        }
    }
    assert!(tried > 1000, "{tried}");
    assert!(started.elapsed() < Duration::from_secs(120), "took {:?}", started.elapsed());
}

#[test]
fn watch_rebuilds_on_a_bib_edit() {
    let p = Project::fixture("bib");
    let mut child = Command::new(env!("CARGO_BIN_EXE_leafpress"))
        .args(["--message-format", "json", "watch", "--format", "handout"])
        .current_dir(&p.root)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start leafpress watch");
    let stdout = child.stdout.take().unwrap();
    let (tx, events) = channel::<serde_json::Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                break;
            }
        }
    });
    let next = |kind: &str| {
        let mut seen = Vec::new();
        loop {
            let event = events.recv_timeout(Duration::from_secs(60)).expect("an event within a minute");
            if event["event"] == kind {
                return (event, seen);
            }
            seen.push(event);
        }
    };
    let (first, _) = next("rebuild");
    assert_eq!(first["ok"], true, "{first}");
    next("watching");

    // An uncited, obviously fake entry added: the handout is rebuilt.
    let text = p.read(BIB);
    p.write(BIB, format!("{text}\n@misc{{tester2020,\n  title = {{Test entry}},\n  author = {{Tester, Test}},\n  year = {{2020}},\n}}\n"));
    let (rebuild, seen) = next("rebuild");
    assert_eq!((rebuild["ok"].as_bool(), rebuild["documents"].as_u64()), (Some(true), Some(1)), "{rebuild}");
    assert_eq!(rebuild["changed"], serde_json::json!([BIB]), "{rebuild}");
    assert!(seen.iter().any(|e| e["event"] == "document"), "{seen:?}");

    // Broken, it is reported at its place in the .bib and the last good PDF stays.
    let good = std::fs::read(p.path(HANDOUT)).unwrap();
    p.write(BIB, p.read(BIB).replacen("{Test entry}", "{Test entry", 1));
    let (rebuild, seen) = next("rebuild");
    assert_eq!(rebuild["ok"], false, "{rebuild}");
    let error = seen.iter().find(|e| e["event"] == "diagnostic").expect("the error is reported");
    assert_eq!(error["file"], BIB, "{error}");
    assert!(error["line"].as_u64().is_some(), "{error}");
    assert_eq!(std::fs::read(p.path(HANDOUT)).unwrap(), good);
    let _ = child.kill();
    let _ = child.wait();
}
