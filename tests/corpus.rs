//! Every format holds up on content nobody tuned the layouts for: the corpus in
//! `tests/fixtures/corpus` (five topics from 250 to 2,300 words, a Belgian and a UK practice,
//! Dutch, English and German; tables, nested and numbered lists, 4 to 16 warning signs, no
//! figures and several, long compound words) is built in every format, and every PDF is
//! checked for the invariants a reader relies on.

mod common;

use std::collections::BTreeSet;

use common::{Project, squash};

/// The red-flag section of a content file, as written.
struct RedFlags {
    /// Its heading.
    title: String,
    /// The text of its last warning sign (list item).
    last_sign: String,
}

/// Finds the `.urgent` section of a Markdown file and its last list item.
fn red_flags(markdown: &str) -> RedFlags {
    let mut lines = markdown.lines().skip_while(|l| !(l.starts_with("## ") && l.contains(".urgent")));
    let heading = lines.next().expect("a red-flag section");
    let title = heading.trim_start_matches("## ").split(" {").next().unwrap().trim().to_owned();
    let last_sign = lines
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let l = l.trim_start();
            let item = l
                .strip_prefix("- ")
                .or_else(|| l.split_once(". ").filter(|(n, _)| n.parse::<u32>().is_ok()).map(|(_, t)| t));
            item.map(str::to_owned)
        })
        .last()
        .expect("a warning sign");
    RedFlags { title, last_sign }
}

/// The first `n` characters of `s` with whitespace and hyphens squashed, for finding text that
/// may be broken over lines.
fn prefix(s: &str, n: usize) -> String {
    squash(s).chars().take(n).collect()
}

#[test]
fn every_format_of_every_topic_keeps_the_layout_invariants() {
    let p = Project::fixture("corpus");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docs = p.manifest("out");
    let formats: BTreeSet<&str> = docs.iter().filter_map(|d| d["format"].as_str()).collect();
    assert_eq!(formats.len(), 8, "every format is built, large print too: {formats:?}");
    assert_eq!(
        docs.len(),
        5 * 2 * 8 * 2 + 2 * 8,
        "5 topics × 2 practices × 8 formats in nl and en, and de for one"
    );

    let mut problems: Vec<String> = Vec::new();
    for doc in &docs {
        let (path, format, topic, lang, brand) = (
            doc["path"].as_str().unwrap(),
            doc["format"].as_str().unwrap(),
            doc["topic"].as_str().unwrap(),
            doc["lang"].as_str().unwrap(),
            doc["brand"].as_str().unwrap(),
        );
        let pdf = common::Pdf::open(&p.path(&format!("out/{path}")));
        let view = pdf.inspect();
        let mut problem = |what: String| problems.push(format!("{path}: {what}"));

        // No text collides with other text, and none leaves the page or is cut off.
        for page in 0..view.pages() {
            for (a, b) in view.overlaps(page) {
                problem(format!("page {}: {:?} overlaps {:?}", page + 1, a.text, b.text));
            }
            for r in view.outside(page) {
                problem(format!("page {}: {:?} is outside the page", page + 1, r.text));
            }
            for r in view.clipped(page) {
                problem(format!("page {}: {:?} is clipped", page + 1, r.text));
            }
        }

        // The Belgian practice writes its tagline per language: the document's own, on the
        // first page, every word whole (a masthead line is never hyphenated).
        if brand == "sint-jan-baptist"
            && ["handout", "booklet", "large-print", "poster", "slides"].contains(&format)
        {
            let tagline = match lang {
                "nl" => "Groepspraktijk voor kinesitherapie, manuele therapie en zwangerschapsbegeleiding",
                "en" => "Group practice for physiotherapy, manual therapy and pregnancy care",
                _ => {
                    "Gemeinschaftspraxis für Physiotherapie, manuelle Therapie und Schwangerschaftsbegleitung"
                }
            };
            let first = pdf.page_text(0);
            let words: Vec<&str> = first.split_whitespace().collect();
            if !squash(&first).contains(&squash(tagline)) {
                problem(format!("no tagline `{tagline}` on page 1"));
            }
            for word in tagline.split_whitespace().map(|w| w.trim_end_matches(',')) {
                if !words.iter().any(|w| w.trim_end_matches(',') == word) {
                    problem(format!("the tagline's `{word}` is broken on page 1"));
                }
            }
        }

        // Large print (24 pt here): no text smaller than the body, and no word hyphenated
        // that the content does not hyphenate itself, but for table cells (runs narrower than
        // half the 170 mm column), where a word can be wider than its cell.
        if format == "large-print" {
            let md = p.read(&format!("leaflets/{topic}/{lang}.md"));
            let config = p.read("leafpress.toml");
            for page in 0..view.pages() {
                let runs = view.text_runs(page);
                for (i, r) in runs.iter().enumerate() {
                    if r.size < 24.0 - 0.05 {
                        problem(format!("page {}: {:?} is set in {:.1} pt", page + 1, r.text, r.size));
                    }
                    if r.x1 - r.x0 < common::mm(85.0) {
                        continue;
                    }
                    let Some(head) = r.text.trim_end().strip_suffix('-') else { continue };
                    let (Some(last), Some(next)) = (
                        head.split_whitespace().last(),
                        runs.get(i + 1).and_then(|n| n.text.split_whitespace().next()),
                    ) else {
                        continue;
                    };
                    // A hyphen the text has (`bil- en`, a web address) is not hyphenation, nor
                    // is breaking a word of 30 letters or more that no 24 pt line holds.
                    let (last, next) = (
                        last.trim_start_matches(|c: char| !c.is_alphanumeric()),
                        next.trim_end_matches(|c: char| !c.is_alphanumeric()),
                    );
                    let written = [format!("{last}-{next}"), format!("{last}- {next}")];
                    let letters = last.chars().chain(next.chars()).filter(|c| c.is_alphabetic()).count();
                    if !written.iter().any(|w| md.contains(w) || config.contains(w)) && letters < 30 {
                        problem(format!("page {}: {last}- {next} is hyphenated", page + 1));
                    }
                }
            }
        }

        // A folded booklet is a whole number of sheets.
        if format == "booklet" && !pdf.pages().is_multiple_of(4) {
            problem(format!("{} pages, not a multiple of 4", pdf.pages()));
        }

        // The red-flag heading, its last warning sign and the emergency number share a page.
        let md = p.read(&format!("leaflets/{topic}/{lang}.md"));
        let flags = red_flags(&md);
        let number = if brand == "riverside" { "999" } else { "112" };
        let (title, sign) = (prefix(&flags.title, 24), prefix(&flags.last_sign, 30));
        let with_sign = view.pages_of(&sign);
        if with_sign.is_empty() {
            problem(format!("the last warning sign {:?} is missing", flags.last_sign));
        } else if !with_sign.iter().any(|&page| {
            let text = squash(&view.text_runs(page).iter().map(|r| r.text.as_str()).collect::<String>());
            text.contains(&title) && text.contains(number)
        }) {
            problem(format!(
                "the last warning sign is on page(s) {with_sign:?} without the heading {:?} or {number}",
                flags.title
            ));
        }

        // Every figure is tagged with its alt text.
        for (i, alt) in pdf.figures().iter().enumerate() {
            if alt.is_none() {
                problem(format!("figure {} has no alt text", i + 1));
            }
        }

        // Tables are real tables, their header row tagged as header cells.
        if topic == "neck-pain" && matches!(format, "handout" | "booklet" | "large-print") {
            let tables = pdf.tables();
            if tables.len() != 2 || !tables.iter().all(|t| t.header_row && t.th > 0) {
                problem(format!("expected 2 tables with header cells, found {tables:?}"));
            }
        }

        // Each inside panel of the trifold holds text.
        if format == "trifold" {
            let [x0, y0, x1, y1] = view.frame(1);
            let panel =
                |from: f64, to: f64| [x0 + from / 297.0 * (x1 - x0), y0, x0 + to / 297.0 * (x1 - x0), y1];
            for (name, area) in
                [("left", panel(0.0, 100.0)), ("middle", panel(100.0, 200.0)), ("right", panel(200.0, 297.0))]
            {
                if view.runs_in(1, area).is_empty() {
                    problem(format!("the inside {name} panel holds no text"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
