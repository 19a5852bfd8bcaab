//! Batch builds for CI: deterministic shards and the manifest.

mod common;

use std::collections::BTreeMap;

use common::{Pdf, Project};

/// The manifest in `dir` as path → document.
fn manifest(p: &Project, dir: &str) -> BTreeMap<String, serde_json::Value> {
    let m: serde_json::Value = serde_json::from_str(&p.read(&format!("{dir}/manifest.json"))).unwrap();
    m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_owned(), d.clone()))
        .collect()
}

#[test]
fn shards_build_every_document_exactly_once() {
    let p = Project::demo();
    let only = ["--lang", "nl", "--lang", "en"];
    let full = p.run(&[&["build", "--out", "full"][..], &only].concat());
    assert_eq!(full.code, 0, "{}", full.stderr);
    let all = manifest(&p, "full");
    assert_eq!(all.len(), 28, "2 brands × 2 languages × 7 formats");

    let mut union = BTreeMap::new();
    for k in 1..=3 {
        let dir = format!("shard{k}");
        let shard = format!("{k}/3");
        let run = p.run(&[&["build", "--out", &dir, "--shard", &shard][..], &only].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let part = manifest(&p, &dir);
        assert!((9..=10).contains(&part.len()), "shard {k} has {} documents", part.len());
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
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: --shard `4/3` is not K/N with 1 ≤ K ≤ N\n = hint: e.g. --shard 2/4 builds the second of four slices; together the slices build everything once\n\n"
    );
}
