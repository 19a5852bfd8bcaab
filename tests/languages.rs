//! The languages of the waiting room: built-in labels for Turkish, Polish and Arabic, and
//! right-to-left layout for Arabic in every format. `tests/fixtures/languages` holds one short,
//! generic topic in the three, for a Belgian practice that opts in to large print and the HTML
//! edition: 3 languages × 9 formats.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Pdf, Project, squash};

/// The text of a PDF as a reader extracts it: Poppler's `pdftotext`, which orders
/// right-to-left runs (drawn from left to right, as every PDF draws them) back into reading
/// order with the Unicode bidi algorithm, its direction marks removed. `None`, saying so,
/// where Poppler is not installed (`.ci/run` installs it).
fn extracted(path: &Path) -> Option<String> {
    match Command::new("pdftotext").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => Some(
            String::from_utf8_lossy(&out.stdout)
                .chars()
                .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
                .collect(),
        ),
        _ => {
            eprintln!("skipped: Arabic reading order not checked (install Debian's `poppler-utils`)");
            None
        }
    }
}

const FORMATS: [&str; 8] =
    ["handout", "large-print", "booklet", "booklet-imposed", "trifold", "poster", "slides", "slides-handout"];

fn built() -> Project {
    let p = Project::fixture("languages");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(p.manifest("out").len(), 27, "3 languages × 9 formats");
    p
}

fn is_arabic(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
}

#[test]
fn every_format_in_turkish_polish_and_arabic_has_its_language_labels_and_card() {
    let p = built();
    let cases = [
        ("tr", "Ne zaman hemen yardım almalısınız?", "Hemen arayın", "Sayfa 1 / "),
        ("pl", "Kiedy od razu szukać pomocy?", "Dzwoń od razu", "Strona 1 z "),
        // Arabic needles without diacritics: Poppler extracts a letter carrying tanween twice
        // (a ToUnicode question left open in the notes of #14).
        ("ar", "متى تطلب المساعدة", "اتصل", "صفحة 1 من "),
    ];
    for (lang, card, call, page) in cases {
        for format in FORMATS {
            let pdf = Pdf::open(&p.path(&format!("out/back-pain/{lang}/{format}.pdf")));
            assert_eq!(pdf.catalog_string(b"Lang").as_deref(), Some(lang), "{lang} {format}");
            assert!(pdf.is_tagged(), "{lang} {format}");
            let path = p.path(&format!("out/back-pain/{lang}/{format}.pdf"));
            let text = if lang == "ar" {
                let Some(text) = extracted(&path) else { continue };
                squash(&text)
            } else {
                let view = pdf.inspect();
                let runs = (0..view.pages()).flat_map(|i| view.text_runs(i).to_vec());
                squash(&runs.map(|r| r.text).collect::<String>())
            };
            for needle in [card, call, "112"] {
                assert!(text.contains(&squash(needle)), "{lang} {format}: {needle:?} missing");
            }
        }
        let handout = p.path(&format!("out/back-pain/{lang}/handout.pdf"));
        let text = if lang == "ar" { extracted(&handout) } else { Some(Pdf::open(&handout).text()) };
        if let Some(text) = text {
            assert!(squash(&text).contains(&squash(page)), "{lang}: page numbers in the language: {page:?}");
        }
    }
}

#[test]
fn arabic_is_right_aligned_extracts_in_reading_order_and_mirrors_the_folded_formats() {
    let p = built();
    let handout = Pdf::open(&p.path("out/back-pain/ar/handout.pdf"));
    // Logical order: the text extracts as written, numbers left to right inside it.
    if let Some(text) = extracted(&p.path("out/back-pain/ar/handout.pdf")) {
        let sentences =
            ["ألم أسفل الظهر", "استمر في الحركة.", "ما الذي يساعد؟", "03 123 45 67", "www.schelde.example"];
        for sentence in sentences {
            assert!(text.contains(sentence), "{sentence:?} does not extract in reading order:\n{text}");
        }
    }
    let view = handout.inspect();
    // Lines: the Arabic runs of the first page grouped by baseline, each as (left, right).
    let mut lines: Vec<(f64, f64, f64)> = Vec::new();
    for r in view.text_runs(0).iter().filter(|r| r.text.chars().any(is_arabic)) {
        match lines.iter_mut().find(|l| (l.0 - r.y0).abs() < 2.0) {
            Some(l) => (l.1, l.2) = (l.1.min(r.x0), l.2.max(r.x1)),
            None => lines.push((r.y0, r.x0, r.x1)),
        }
    }
    // Right-aligned, ragged left: the lines end at a few right edges (text, key-message box,
    // list items) and start at many.
    // Only lines of running text (wider than 150 pt), not the header, footer or short labels.
    lines.retain(|l| l.2 - l.1 > 150.0);
    let edges = |f: fn(&(f64, f64, f64)) -> f64| -> std::collections::BTreeSet<i64> {
        lines.iter().map(|l| (f(l) / 6.0).round() as i64).collect()
    };
    let (rights, lefts) = (edges(|l| l.2), edges(|l| l.1));
    assert!(lines.len() >= 8, "{} Arabic lines on page 1", lines.len());
    assert!(
        rights.len() <= 4 && lefts.len() >= 2 * rights.len(),
        "right edges {rights:?}, left edges {lefts:?}"
    );

    // The imposed booklet is bound on the right: its front cover on the left of sheet 1.
    let imposed = Pdf::open(&p.path("out/back-pain/ar/booklet-imposed.pdf")).inspect();
    let [x0, _, x1, _] = imposed.frame(0);
    // (Runs hold Arabic in drawing order, so the title is found as the largest Arabic type.)
    let largest = |runs: &[common::TextRun]| {
        runs.iter()
            .filter(|r| r.text.chars().any(is_arabic))
            .max_by(|a, b| a.size.total_cmp(&b.size))
            .cloned()
    };
    let title = largest(imposed.text_runs(0)).expect("title on sheet 1");
    assert!(title.x1 < (x0 + x1) / 2.0, "the cover is on the left half: {title:?}");
    // The trifold is the mirror image: front cover on the left of the outside.
    let trifold = Pdf::open(&p.path("out/back-pain/ar/trifold.pdf")).inspect();
    let [x0, _, x1, _] = trifold.frame(0);
    let cover = largest(trifold.text_runs(0)).expect("title outside");
    assert!(cover.x1 < x0 + (x1 - x0) / 3.0, "the front cover is the left panel: {cover:?}");
    // … and its inside reads from the right panel: the first section heading stands there.
    let size = largest(trifold.text_runs(1)).expect("headings inside").size;
    let headings: Vec<_> = trifold.text_runs(1).iter().filter(|r| r.size == size).map(|r| r.x0).collect();
    assert!(
        headings.iter().any(|&x| x > x0 + 2.0 * (x1 - x0) / 3.0),
        "a section heading opens the right panel, where Arabic starts: {headings:?}"
    );

    // The Turkish trifold keeps the left-to-right order.
    let tr = Pdf::open(&p.path("out/back-pain/tr/trifold.pdf")).inspect();
    let [x0, _, x1, _] = tr.frame(0);
    let cover = tr.text_runs(0).iter().find(|r| r.text.contains("Bel ağrısı")).cloned().expect("title");
    assert!(cover.x0 > x0 + 2.0 * (x1 - x0) / 3.0, "the Turkish front cover is the right panel");
}

#[test]
fn the_html_edition_of_arabic_is_right_to_left_with_numbers_left_to_right() {
    let p = built();
    let html = std::fs::read_to_string(p.path("out/back-pain/ar/index.html")).unwrap();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("font-family: \"Noto Naskh Arabic\""), "the Arabic font embedded");
    assert!(html.contains("<a href=\"tel:112\" dir=\"ltr\">112</a>"));
    assert!(html.contains("<a href=\"tel:031234567\" dir=\"ltr\">03 123 45 67</a>"));
    let tr = std::fs::read_to_string(p.path("out/back-pain/tr/index.html")).unwrap();
    assert!(tr.contains("<html lang=\"tr\">"));
}
