//! The HTML edition (`--format html`): one self-contained, accessible page per topic ×
//! language × practice. Its structure is checked here on every page of the demo and of the
//! corpus; axe-core (WCAG 2.1 A and AA) checks them in headless Chromium where Node.js,
//! Chromium and `tests/axe/node_modules` are installed (`.ci/run` installs them).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Pdf, Project, repo};

/// The heading levels of a page, in order.
fn headings(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| html.as_bytes().get(i + 2).copied())
        .filter(u8::is_ascii_digit)
        .map(|d| d - b'0')
        .collect()
}

/// Checks what every page must be; returns the problems found.
fn structure(path: &Path, lang: &str) -> Vec<String> {
    let html = std::fs::read_to_string(path).unwrap();
    let mut problems = Vec::new();
    let mut check = |ok: bool, what: &str| {
        if !ok {
            problems.push(format!("{}: {what}", path.display()));
        }
    };
    check(html.starts_with("<!DOCTYPE html>\n<html lang=\""), "starts with a doctype and <html lang>");
    check(html.contains(&format!("<html lang=\"{lang}")), "its language");
    let levels = headings(&html);
    check(levels.iter().filter(|&&l| l == 1).count() == 1, "one h1");
    check(levels.first() == Some(&1), "the h1 first");
    check(levels.windows(2).all(|w| w[1] <= w[0] + 1), "no heading level skipped");
    check(!html.contains("<script") && !html.contains("javascript:"), "no script");
    check(
        !html.contains("src=\"http") && !html.contains("url(http") && !html.contains("@import"),
        "no external request",
    );
    check(html.contains("<main>") && html.contains("<header class=\"masthead\">"), "landmarks");
    check(html.contains("<footer class=\"about\">") && html.contains("<dl>"), "governance in the footer");
    let card = html.find("<section class=\"card\" aria-labelledby=").map(|i| &html[i..]);
    let card = card.map(|c| &c[..c.find("</section>").unwrap_or(c.len())]);
    check(
        card.is_some_and(|c| c.contains("href=\"tel:112\"")),
        "the red-flag card as a landmark with tel: links",
    );
    check(html.contains("@font-face") && html.contains("base64,"), "the brand font embedded");
    for (i, _) in html.match_indices("<img ") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        check(tag.contains("src=\"data:") && tag.contains(" alt=\""), "every image inlined with alt text");
    }
    check(html.matches("<figure>").count() == html.matches("</figure>").count(), "figures closed");
    problems
}

/// Whether `entry` is in `text`, whole or split once by a page break (the running foot and
/// head between its two parts, a few hundred characters at most).
fn printed(text: &str, entry: &str) -> bool {
    text.contains(entry)
        || entry.char_indices().skip(1).any(|(k, _)| {
            let (head, tail) = entry.split_at(k);
            text.match_indices(head).any(|(at, _)| {
                let rest = &text[at + head.len()..];
                let end = rest.char_indices().nth(400 + tail.chars().count()).map_or(rest.len(), |(i, _)| i);
                rest[..end].contains(tail)
            })
        })
}

/// Runs axe-core over `pages`, writing screenshots to `shots`; none where the tools are missing.
fn axe(pages: &[PathBuf], shots: &Path) -> Option<Vec<serde_json::Value>> {
    let dir = repo().join("tests/axe");
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let chromium = Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some();
    if !(node_ok && chromium && dir.join("node_modules/axe-core").is_dir()) {
        eprintln!(
            "skipped: axe-core was not run (needs Node.js, Debian's chromium and `npm ci --prefix tests/axe`)"
        );
        return None;
    }
    let out =
        Command::new("node").arg(dir.join("check.mjs")).arg(shots).args(pages).output().expect("run node");
    assert!(out.status.success(), "axe run failed:\n{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect())
}

fn assert_clean(reports: &[serde_json::Value]) {
    let bad: Vec<String> = reports
        .iter()
        .filter(|r| !r["violations"].as_array().unwrap().is_empty())
        .map(|r| format!("{}: {}", r["page"], r["violations"]))
        .collect();
    assert!(bad.is_empty(), "axe violations:\n{}", bad.join("\n"));
}

#[test]
fn every_language_and_practice_of_the_demo_has_an_accessible_page() {
    let p = Project::demo();
    let run = p.run(&["build", "--format", "html", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut pages = Vec::new();
    for brand in ["de-linde", "zuiderpark"] {
        for (lang, tag) in [("nl", "nl-"), ("en", "en"), ("fr", "fr"), ("de", "de")] {
            let page = p.path(&format!("out/{brand}/hernia/{lang}/index.html"));
            let problems = structure(&page, tag);
            assert!(problems.is_empty(), "{}", problems.join("\n"));
            let html = std::fs::read_to_string(&page).unwrap();
            assert!(html.contains("<figure>") && html.contains("<figcaption>"), "{brand}/{lang}: the figure");
            assert!(html.contains("<ul class=\"references\">"), "{brand}/{lang}: references");
            assert!(html.contains("<a href=\"handout.pdf\">"), "{brand}/{lang}: links to the PDF beside it");
            pages.push(page);
        }
    }
    // The reference list as the handout prints it, in the document's language: each entry of
    // every page is in the PDF's text (a Dutch page range takes a hyphen in both).
    for (page, (brand, lang)) in pages
        .iter()
        .zip(["de-linde", "zuiderpark"].iter().flat_map(|b| ["nl", "en", "fr", "de"].map(|l| (*b, l))))
    {
        // Whitespace and hyphens left out (the PDF's text breaks lines inside words and
        // addresses, and its extraction drops the hyphen of a page range); an en dash stays.
        let flat = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '\u{ad}' | '-' | '\u{2010}' | '\u{2011}'))
                .map(|c| if c == '’' { '\'' } else { c })
                .collect()
        };
        let html = std::fs::read_to_string(page).unwrap();
        let list = &html[html.find("<ul class=\"references\">").unwrap()..];
        let list = &list[..list.find("</ul>").unwrap()];
        let pdf = flat(&Pdf::open(&p.path(&format!("out/{brand}/hernia/{lang}/handout.pdf"))).text());
        let entries: Vec<String> =
            list.split("<li>").skip(1).map(|e| flat(&leafpress::html::text::unescape_text(e))).collect();
        assert!(entries.len() >= 10, "{brand}/{lang}: {} entries", entries.len());
        for entry in entries {
            assert!(printed(&pdf, &entry), "{brand}/{lang}: the page's entry is not the handout's: {entry}");
        }
    }

    // The Dutch page: every section heading, the numbers of each practice's country.
    let nl = std::fs::read_to_string(&pages[0]).unwrap();
    assert!(nl.contains("href=\"tel:1733\""), "Belgian out-of-hours number");
    assert!(nl.contains("(Urban &amp; Roberts, 2003)"), "APA citations");
    let manifest = p.manifest("out");
    assert!(manifest.iter().any(|d| d["format"] == "html" && d["path"] == "de-linde/hernia/nl/index.html"));

    // Same inputs, same bytes.
    let before = std::fs::read(&pages[0]).unwrap();
    assert_eq!(p.run(&["build", "--format", "html", "--format", "handout"]).code, 0);
    assert!(std::fs::read(&pages[0]).unwrap() == before, "the page is not reproducible");

    let shots = p.path("shots");
    std::fs::create_dir_all(&shots).unwrap();
    if let Some(reports) = axe(&pages, &shots) {
        assert_eq!(reports.len(), 8);
        assert_clean(&reports);
        assert!(shots.read_dir().unwrap().count() >= 16, "a phone and a desktop screenshot of each page");
    }
}

#[test]
fn corpus_pages_have_tables_with_header_cells_and_pass_axe() {
    let p = Project::fixture("corpus");
    let run = p.run(&["build", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages: Vec<PathBuf> =
        p.manifest("out").iter().map(|d| p.path(&format!("out/{}", d["path"].as_str().unwrap()))).collect();
    assert_eq!(pages.len(), 22);
    for page in &pages {
        let lang = page.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let problems = structure(page, lang);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
    let neck = std::fs::read_to_string(p.path("out/sint-jan-baptist/neck-pain/nl/index.html")).unwrap();
    assert_eq!(neck.matches("<table>").count(), 2);
    assert!(neck.contains("<th scope=\"col\">"));
    let uk = std::fs::read_to_string(p.path("out/riverside/neck-pain/en/index.html")).unwrap();
    assert!(uk.contains("href=\"tel:999\"") && uk.contains("href=\"tel:111\""), "UK numbers");
    if let Some(reports) = axe(&pages, &p.path("out")) {
        assert_clean(&reports);
    }
}
