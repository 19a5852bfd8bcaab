//! What becomes of translations and leaflets that are not current, through the binary on
//! copies of the demo: a translation with parity errors is withheld while the others build;
//! stale translations are drafts by default (a mark on every page, in the manifest); a leaflet
//! past its review date is withheld by default or a draft; warnings are counted and repeated.

mod common;

use common::{Pdf, Project, squash};

/// Handouts of one practice: enough to see every language's fate, quickly.
const HANDOUTS: [&str; 5] = ["build", "--format", "handout", "--brand", "de-linde"];

fn handout(p: &Project, lang: &str) -> std::path::PathBuf {
    p.path(&format!("out/de-linde/hernia/{lang}/handout.pdf"))
}

/// The squashed text of every page of a handout.
fn text(p: &Project, lang: &str) -> String {
    squash(&Pdf::open(&handout(p, lang)).text())
}

/// The document title in the PDF's Info dictionary.
fn title(pdf: &Pdf) -> String {
    let doc = pdf.doc();
    let info = doc.trailer.get(b"Info").and_then(|o| o.as_reference()).expect("an Info dictionary");
    let bytes = doc.get_dictionary(info).unwrap().get(b"Title").unwrap().as_str().unwrap();
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// SOURCE_DATE_EPOCH for noon UTC on `y-m-d`.
fn epoch(y: i32, m: u32, d: u32) -> String {
    let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    day.and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp().to_string()
}

#[test]
fn a_translation_with_parity_errors_is_withheld_and_the_others_build() {
    let p = Project::demo();
    // One list item fewer in the German text.
    p.edit("leaflets/hernia/de.md", "- **Bleiben Sie in Bewegung", "**Bleiben Sie in Bewegung");
    let run = p.run(&HANDOUTS);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error: section `"), "{}", run.stderr);
    for lang in ["nl", "en", "fr"] {
        assert!(handout(&p, lang).is_file(), "{lang} is built");
    }
    assert!(!handout(&p, "de").exists(), "de is withheld");
    assert!(
        run.stderr.ends_with("built 3 documents, 1 content file withheld: hernia/de (parity errors)\n")
            || run.stderr.contains("1 content file withheld: hernia/de (parity errors) in "),
        "{}",
        run.stderr
    );
    assert_eq!(p.manifest("out").len(), 3);
    let check = p.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains(": 1 error"), "{}", check.stderr);
}

#[test]
fn a_stale_translation_is_a_draft_marked_on_every_page_by_default() {
    let p = Project::demo();
    // A changed source sentence makes its section stale in en, fr and de.
    p.edit("leaflets/hernia/nl.md", "Een hernia", "Een echte hernia");
    let run = p.run(&HANDOUTS);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("3 drafts"), "{}", run.stderr);
    // The warnings again after the per-document lines, one line each, and counted.
    let after = run.stderr.rsplit("wrote ").next().unwrap();
    assert!(
        after.contains("3 warnings (shown in full above):\n  warning: leaflets/hernia/de.md:"),
        "{after}"
    );
    assert!(run.stderr.contains("built 4 documents, 3 warnings, 3 drafts in "), "{}", run.stderr);
    let marks = [
        ("en", "Draft — translation being updated"),
        ("fr", "Brouillon — traduction en cours de mise à jour"),
        ("de", "Entwurf — Übersetzung wird aktualisiert"),
    ];
    for (lang, mark) in marks {
        let pdf = Pdf::open(&handout(&p, lang));
        for page in 0..pdf.pages() {
            assert!(squash(&pdf.page_text(page)).contains(&squash(mark)), "{lang} page {}", page + 1);
        }
    }
    assert!(!text(&p, "nl").contains(&squash("Concept")), "the source is no draft");
    // The title says it too: a screen reader announces it, and skips the mark (decoration).
    assert!(title(&Pdf::open(&handout(&p, "en"))).starts_with("Draft — translation being updated: "));
    assert!(!title(&Pdf::open(&handout(&p, "nl"))).contains("Concept"));
    let manifest = p.manifest("out");
    let drafts: Vec<&str> = manifest
        .iter()
        .filter(|d| d["draft"] == "stale-translation")
        .map(|d| d["lang"].as_str().unwrap())
        .collect();
    assert_eq!(drafts, ["de", "en", "fr"]);
    assert!(manifest.iter().all(|d| d["lang"] != "nl" || d.get("draft").is_none()));
    // Each entry says where its text stands, and which version and review date it carries.
    for d in &manifest {
        let state = if d["lang"] == "nl" { "source" } else { "stale" };
        assert_eq!(d["translation"], state, "{d}");
        assert_eq!(
            (d["version"].as_str(), d["review_by"].as_str()),
            (Some("1.2"), Some("2029-12-03")),
            "{d}"
        );
    }

    // "warn": built as current ones.
    p.edit(
        "leafpress.toml",
        "source-language = \"nl\"",
        "source-language = \"nl\"\nstale-translations = \"warn\"",
    );
    let run = p.run(&HANDOUTS);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!text(&p, "en").contains(&squash("Draft — translation")));
    assert!(run.stderr.contains("built 4 documents, 3 warnings in "), "{}", run.stderr);
    // Not a draft, but the manifest still says the translation is stale.
    let manifest = p.manifest("out");
    let stale: Vec<&serde_json::Value> = manifest.iter().filter(|d| d["translation"] == "stale").collect();
    assert_eq!(stale.len(), 3);
    assert!(stale.iter().all(|d| d.get("draft").is_none()));

    // "error": withheld.
    p.edit("leafpress.toml", "stale-translations = \"warn\"", "stale-translations = \"error\"");
    let run = p.run(&["build", "--format", "handout", "--brand", "de-linde", "--out", "strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("3 content files withheld: hernia/de (stale translation), hernia/en (stale translation), hernia/fr (stale translation)"), "{}", run.stderr);
    assert_eq!(p.manifest("strict").len(), 1, "only nl");
}

#[test]
fn a_leaflet_past_review_is_withheld_by_default_or_a_draft() {
    let p = Project::demo();
    // The demo's leaflets are to be reviewed by 2029-12-03.
    let after = epoch(2029, 12, 4);
    let run = p.run_env(&HANDOUTS, &[("SOURCE_DATE_EPOCH", &after)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: `leaflets/hernia/nl.md` is past its review date: review-by 2029-12-03 was 1 day ago"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("leaflets/hernia/nl.md:8:1"), "at the review-by line: {}", run.stderr);
    assert!(!p.path("out/de-linde/hernia").exists(), "every language is past review");

    p.edit("leafpress.toml", "source-language = \"nl\"", "source-language = \"nl\"\nexpired = \"draft\"");
    let run = p.run_env(&HANDOUTS, &[("SOURCE_DATE_EPOCH", &after)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(text(&p, "nl").contains(&squash("Concept — herziening verlopen")));
    assert!(text(&p, "en").contains(&squash("Draft — review date passed")));

    // 90 days ahead: a warning, nothing else.
    let before = epoch(2029, 10, 2);
    let run = p.run_env(&["check"], &[("SOURCE_DATE_EPOCH", &before)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: `leaflets/hernia/nl.md` is due for review in 62 days (review-by 2029-12-03)"),
        "{}",
        run.stderr
    );
}

#[test]
fn several_languages_without_a_source_language_is_a_warning_with_the_line_to_add() {
    let p = Project::demo();
    p.edit("leafpress.toml", "source-language = \"nl\"", "");
    let run = p.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "warning: translations are not checked: topic `hernia` has de, en, fr, nl and leafpress.toml names no source language\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: add under [project]: source-language = \"nl\""), "{}", run.stderr);
    let (_, readability) = run.stderr_without_readability();
    assert!(run.stderr.contains(&format!(": no errors, {} warning", 1 + readability)), "{}", run.stderr);
}

#[test]
fn status_shows_every_languages_state_as_a_table_and_as_json() {
    let p = Project::demo();
    p.edit("leaflets/hernia/nl.md", "Een hernia", "Een echte hernia");
    p.edit("leaflets/hernia/de.md", "- **Bleiben Sie in Bewegung", "**Bleiben Sie in Bewegung");
    let day = epoch(2029, 10, 2);
    let run = p.run_env(&["status"], &[("SOURCE_DATE_EPOCH", &day)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The table of states (the readability table under it is tests/readability.rs's).
    let states = &run.stdout[..run.stdout.find("\n\n").map_or(run.stdout.len(), |i| i + 1)];
    assert_eq!(
        states,
        "hernia
  lang version  published   review-by                  translation              documents
  nl   1.2      2026-12-03  2029-12-03 (due in 62 d)   source                   14
  de   1.2      2026-12-03  2029-12-03 (due in 62 d)   1 parity error           0 (withheld)
  en   1.2      2026-12-03  2029-12-03 (due in 62 d)   1 stale part             14 (drafts)
  fr   1.2      2026-12-03  2029-12-03 (due in 62 d)   1 stale part             14 (drafts)
"
    );
    let run =
        p.run_env(&["status", "--lang", "en", "--message-format", "json"], &[("SOURCE_DATE_EPOCH", &day)]);
    let row: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(row["translation"], "stale");
    assert_eq!(row["stale"], 1);
    assert_eq!(row["build"], "draft");
    assert_eq!(row["days_left"], 62);
    assert_eq!(row["documents"], 14);
}

#[test]
fn the_review_page_shows_each_languages_state_and_messages_source_first() {
    let p = Project::demo();
    p.edit("leaflets/hernia/nl.md", "Een hernia", "Een echte hernia");
    p.edit("leaflets/hernia/de.md", "- **Bleiben Sie in Bewegung", "**Bleiben Sie in Bewegung");
    let run = p.run(&["preview", "--format", "poster", "--brand", "de-linde", "--preview-dpi", "24"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let html = p.read("out/index.html");
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("no {s} in {html}"));
    assert!(
        at("lang=\"nl\" data-state=\"ok\"") < at("lang=\"de\" data-state=\"withheld\""),
        "the source first"
    );
    assert!(html.contains("withheld: parity errors"));
    assert!(html.contains("<li class=\"error\">error: leaflets/hernia/de.md:"), "the parity error under de");
    assert!(html.contains("lang=\"en\" data-state=\"stale\""));
    assert!(
        html.contains(
            "<li class=\"warning\">warning: leaflets/hernia/en.md:14:16: the introduction is stale"
        )
    );
}
