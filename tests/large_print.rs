//! Large print (RNIB Clear Print): an opt-in format that is the handout at 16–24 pt with
//! nothing smaller than the body. The corpus test builds every fixture topic at 24 pt and
//! checks the layout invariants; this one builds the demo at the default 16 pt.

mod common;

use common::{Pdf, Project, mm, squash};

#[test]
fn demo_in_large_print_keeps_every_word_the_card_and_nothing_under_16_pt() {
    let p = Project::demo();
    let run = p.run(&["build", "--format", "large-print", "--format", "handout", "--lang", "nl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "large print: the labels of images/hernia-disc.nl.svg print at 10.7 pt, under the body's 16 pt"
        ),
        "{}",
        run.stderr
    );
    for brand in ["de-linde", "zuiderpark"] {
        let large = Pdf::open(&p.path(&format!("out/{brand}/hernia/nl/large-print.pdf")));
        let handout = Pdf::open(&p.path(&format!("out/{brand}/hernia/nl/handout.pdf")));
        assert!(large.is_tagged());
        assert_eq!(large.catalog_string(b"Lang").as_deref(), Some("nl-BE"));
        for (w, h) in large.page_sizes() {
            assert!((w - mm(210.0)).abs() < 0.6 && (h - mm(297.0)).abs() < 0.6, "A4, not {w} × {h}");
        }
        assert!(large.pages() > handout.pages(), "larger type takes more pages");

        // The same words as the handout, but for the running header and footer.
        let running = |pdf: &Pdf| {
            let view = pdf.inspect();
            let mut words = Vec::new();
            for page in 0..view.pages() {
                let [_, y0, _, y1] = view.frame(page);
                for r in view.text_runs(page) {
                    if r.y0 > y0 + mm(22.0) && r.y1 < y1 - mm(20.0) {
                        words.extend(r.text.split_whitespace().map(str::to_owned));
                    }
                }
            }
            words
        };
        // Every sentence of the handout is in large print (which repeats the card's heading and
        // numbers on each part of a card split over pages).
        let large_text = squash(&running(&large).join(" "));
        let handout_text = running(&handout).join(" ");
        let sentences: Vec<&str> =
            handout_text.split([':', '•']).flat_map(|s| s.split(". ")).filter(|s| s.len() > 20).collect();
        assert!(sentences.len() > 100, "{brand}: {} sentences", sentences.len());
        for sentence in sentences {
            assert!(large_text.contains(&squash(sentence)), "{brand}: missing in large print: {sentence}");
        }

        // Nothing under 16 pt but the labels drawn in the figure (an image: the build warns
        // that they print at 10.7 pt).
        let view = large.inspect();
        let drawing = svg_text(&p.read("images/hernia-disc.nl.svg"));
        let mut small = Vec::new();
        for page in 0..view.pages() {
            for r in view.text_runs(page) {
                if r.size < 16.0 - 0.05 && !drawing.contains(r.text.trim()) {
                    small.push(format!("page {}: {:?} in {:.1} pt", page + 1, r.text, r.size));
                }
                assert!(!r.clipped, "page {}: {:?} is clipped", page + 1, r.text);
            }
            assert!(view.overlaps(page).is_empty(), "page {}: text overlaps", page + 1);
        }
        assert!(small.is_empty(), "{brand}: text under 16 pt:\n{}", small.join("\n"));

        // The red-flag card whole: its heading, its last sign and the numbers share a page.
        let card = view.pages_of(&squash("Krachtverlies in beide benen"));
        assert!(
            card.iter().any(|&page| {
                let text = squash(&view.text_runs(page).iter().map(|r| r.text.as_str()).collect::<String>());
                text.contains(&squash("Cauda-equinasyndroom")) && text.contains("112")
            }),
            "{brand}: the card's last sign is on page(s) {card:?} without its heading or numbers"
        );
    }
}

#[test]
fn large_print_is_built_by_default_only_when_the_layout_asks_for_it() {
    let p = Project::demo();
    let manifest_formats = |p: &Project| {
        let mut f: Vec<String> =
            p.manifest("out").iter().map(|d| d["format"].as_str().unwrap().to_owned()).collect();
        f.sort();
        f.dedup();
        f
    };
    let run = p.run(&["build", "--lang", "nl", "--brand", "de-linde"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!manifest_formats(&p).contains(&"large-print".to_owned()));

    let toml = p.read("leafpress.toml");
    p.write("leafpress.toml", format!("{toml}\n[layout.large-print]\nbody-size = 18\n"));
    let run = p.run(&["build", "--lang", "nl", "--brand", "de-linde"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(manifest_formats(&p).len(), 8, "{:?}", manifest_formats(&p));
    let view = Pdf::open(&p.path("out/de-linde/hernia/nl/large-print.pdf")).inspect();
    let drawing = svg_text(&p.read("images/hernia-disc.nl.svg"));
    let small: Vec<String> = (0..view.pages())
        .flat_map(|page| view.text_runs(page).to_vec())
        .filter(|r| r.size < 18.0 - 0.05 && !drawing.contains(r.text.trim()))
        .map(|r| format!("{:?} in {:.1} pt", r.text, r.size))
        .collect();
    assert!(small.is_empty(), "text under 18 pt: {small:?}");
}

/// The text of an SVG drawing, its tags removed.
fn svg_text(svg: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in svg.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
