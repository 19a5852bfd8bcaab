//! Batch builds for CI: deterministic shards and the manifest.

mod common;

use std::collections::BTreeMap;

use common::{Pdf, Project};

/// The manifest in `dir` as path → document.
fn manifest(p: &Project, dir: &str) -> BTreeMap<String, serde_json::Value> {
    p.manifest(dir).into_iter().map(|d| (d["path"].as_str().unwrap().to_owned(), d)).collect()
}

#[test]
fn shards_build_every_document_exactly_once() {
    let p = Project::demo();
    let only = ["--lang", "nl", "--lang", "en"];
    let full = p.run(&[&["build", "--out", "full"][..], &only].concat());
    assert_eq!(full.code, 0, "{}", full.stderr);
    let all = manifest(&p, "full");
    assert_eq!(all.len(), 32, "2 brands × 2 languages × 7 formats, and the deck's 2 × 2 under one brand");

    let mut union = BTreeMap::new();
    for k in 1..=3 {
        let dir = format!("shard{k}");
        let shard = format!("{k}/3");
        let run = p.run(&[&["build", "--out", &dir, "--shard", &shard][..], &only].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let part = manifest(&p, &dir);
        assert!((10..=11).contains(&part.len()), "shard {k} has {} documents", part.len());
        for (path, doc) in part {
            assert!(union.insert(path.clone(), doc).is_none(), "{path} is in two shards");
        }
    }
    assert_eq!(union.keys().collect::<Vec<_>>(), all.keys().collect::<Vec<_>>());
    // The same document, whichever shard built it: same bytes.
    for (path, doc) in &all {
        assert_eq!(union[path]["sha256"], doc["sha256"], "{path}");
    }
}

#[test]
fn manifest_entries_match_the_files() {
    let p = Project::demo();
    let run = p.run(&["build", "--brand", "zuiderpark", "--lang", "fr"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docs = manifest(&p, "out");
    assert_eq!(docs.len(), 7);
    for (path, doc) in &docs {
        let file = p.path(&format!("out/{path}"));
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(doc["bytes"], bytes.len(), "{path}");
        assert_eq!(doc["sha256"], leafpress::manifest::sha256(&bytes), "{path}");
        assert_eq!(doc["pages"], Pdf::open(&file).pages(), "{path}");
        assert_eq!(doc["brand"], "zuiderpark");
        assert_eq!(doc["lang"], "fr");
        let inputs: Vec<&str> =
            doc["inputs"].as_array().unwrap().iter().map(|i| i.as_str().unwrap()).collect();
        for needed in [
            "leafpress.toml",
            "brands/zuiderpark.toml",
            "leaflets/hernia/fr.md",
            "leaflets/hernia/references.yml",
            "images/logo-zuiderpark.svg",
            "images/hernia-disc.fr.svg",
        ] {
            assert!(inputs.contains(&needed), "{path} lacks input {needed}: {inputs:?}");
        }
    }
    assert_eq!(docs["zuiderpark/hernia/fr/slides.pdf"]["extra"][0], "zuiderpark/hernia/fr/slides.pdfpc");
}

#[test]
fn a_bad_shard_is_refused() {
    let p = Project::demo();
    let run = p.run(&["build", "--shard", "4/3"]);
    // A bad command line, like clap's own errors.
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --shard `4/3` is not K/N with 1 ≤ K ≤ N\n = hint: e.g. --shard 2/4 builds the second of four slices; together the slices build everything once\n\n"
    );
}

/// The demo with the first key message made so long that the fixed-size formats overflow.
fn overflowing_demo() -> Project {
    let p = Project::demo();
    let key = "> Bij een hernia puilt de zachte kern van een tussenwervelschijf een beetje uit. Veel mensen hebben er een zonder pijn.";
    p.edit("leaflets/hernia/nl.md", key, &format!("{key}{}", " Dat is niet erg.".repeat(150)));
    p
}

#[test]
fn a_failing_document_does_not_stop_the_others() {
    let p = overflowing_demo();
    let run = p.run(&["build", "--topic", "hernia", "--lang", "nl", "--brand", "de-linde"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Every failure is reported, with its reason, and named again in the summary.
    for failed in ["trifold", "slides", "slides-handout"] {
        assert!(run.stderr.contains(&format!("error: {failed} (nl) does not fit")), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("failed out/de-linde/hernia/nl/{failed}.pdf")),
            "{}",
            run.stderr
        );
        assert!(!p.path(&format!("out/de-linde/hernia/nl/{failed}.pdf")).exists());
    }
    let summary = run.stderr.lines().last().unwrap();
    assert!(summary.starts_with("built 4 documents, 3 failed ("), "{summary}");
    assert!(summary.contains("de-linde/hernia/nl/trifold.pdf"), "{summary}");
    // The others are written and in the manifest (the poster leaves the long key message out).
    let docs = manifest(&p, "out");
    for written in ["handout", "booklet", "booklet-imposed", "poster"] {
        assert!(p.path(&format!("out/de-linde/hernia/nl/{written}.pdf")).is_file(), "{written}");
        assert!(docs.contains_key(&format!("de-linde/hernia/nl/{written}.pdf")), "{written}");
    }
    assert_eq!(docs.len(), 4);
}

/// The JSON events a run printed on stdout, one per line.
fn events(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn json_messages_report_progress_and_located_diagnostics() {
    let p = overflowing_demo();
    let args = ["--message-format", "json", "build", "--lang", "nl", "--brand", "de-linde"];
    let run = p.run(&[&args[..], &["--format", "handout", "--format", "trifold"]].concat());
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "", "JSON mode keeps stderr quiet");
    let ev = events(&run.stdout);
    let kinds: Vec<&str> = ev.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"plan"));
    assert_eq!(ev[0]["documents"], 2);
    assert_eq!(kinds.last(), Some(&"summary"));
    let doc = ev.iter().find(|e| e["event"] == "document").expect("a document event");
    assert_eq!(doc["key"], "de-linde/hernia/nl/handout.pdf");
    assert_eq!(doc["format"], "handout");
    assert!(doc["pages"].as_u64().unwrap() > 1 && doc["sha256"].as_str().unwrap().len() == 64);
    let failed = ev.iter().find(|e| e["event"] == "failed").expect("a failed event");
    assert_eq!(failed["key"], "de-linde/hernia/nl/trifold.pdf");
    let diag = ev.iter().find(|e| e["event"] == "diagnostic").expect("a diagnostic event");
    assert_eq!(diag["severity"], "error");
    assert!(diag["message"].as_str().unwrap().starts_with("trifold (nl) does not fit"), "{diag}");
    let summary = ev.last().unwrap();
    assert_eq!((summary["documents"].as_u64(), summary["failed"].as_u64()), (Some(1), Some(1)));

    // A content error is located: file, line and column.
    p.edit("leaflets/hernia/nl.md", "title = ", "title = = ");
    let run = p.run(&args);
    assert_eq!(run.code, 1);
    let ev = events(&run.stdout);
    let diag = ev.iter().find(|e| e["event"] == "diagnostic").expect("a diagnostic event");
    assert!(diag["file"].as_str().unwrap().ends_with("leaflets/hernia/nl.md"), "{diag}");
    assert!(diag["line"].as_u64().unwrap() >= 2 && diag["column"].as_u64().unwrap() >= 1, "{diag}");
    assert!(diag["rendered"].as_str().unwrap().contains("nl.md:"), "{diag}");
}
