//! Every output format of the demo project: geometry, content, presenter notes,
//! imposition, QR code, print marks and fit.

mod common;

use common::{Pdf, Project, built_demo as demo, mm, squash};

fn open(format: &str) -> Pdf {
    Pdf::open(&demo().path(&format!("out/de-linde/hernia/nl/{format}.pdf")))
}

fn assert_size(pdf: &Pdf, format: &str, w: f64, h: f64) {
    for (i, (pw, ph)) in pdf.page_sizes().into_iter().enumerate() {
        assert!(
            (pw - w).abs() < 0.6 && (ph - h).abs() < 0.6,
            "{format} page {} is {pw:.1} × {ph:.1} pt, expected {w:.1} × {h:.1}",
            i + 1
        );
    }
}

#[test]
fn every_format_has_its_paper_and_page_count() {
    let a4 = (mm(210.0), mm(297.0));
    let cases = [
        ("handout", a4.0, a4.1),
        ("booklet", mm(148.0), mm(210.0)),
        ("booklet-imposed", mm(297.0), mm(210.0)),
        ("trifold", mm(297.0), mm(210.0)),
        ("poster", mm(297.0), mm(420.0)),
        ("slides", mm(297.0), mm(167.0625)),
        ("slides-handout", a4.0, a4.1),
    ];
    for (format, w, h) in cases {
        let pdf = open(format);
        assert_size(&pdf, format, w, h);
        assert!(pdf.is_tagged(), "{format} is not tagged");
        assert_eq!(pdf.catalog_string(b"Lang").as_deref(), Some("nl-BE"), "{format}");
    }
    let booklet = open("booklet").pages();
    assert_eq!(booklet % 4, 0, "the booklet has {booklet} pages, not whole sheets");
    assert!((12..=24).contains(&booklet), "booklet has {booklet} pages");
    assert_eq!(open("booklet-imposed").pages(), booklet / 2, "one sheet side per two booklet pages");
    assert_eq!(open("trifold").pages(), 2);
    assert_eq!(open("poster").pages(), 1);
    assert!(open("slides").pages() >= 15);
}

/// Text of a format, with whitespace and hyphens removed.
fn flat_text(format: &str) -> String {
    squash(&open(format).text())
}

#[test]
fn red_flags_and_emergency_numbers_are_in_every_format() {
    // The imposed booklet draws its pages as XObjects, which text extraction does not enter;
    // its content is the booklet's (checked by the imposition test).
    for format in ["handout", "booklet", "trifold", "poster", "slides", "slides-handout"] {
        let text = flat_text(format);
        for needle in common::DEMO_RED_FLAG_CARD.into_iter().chain([
            "Verlies je de controle over plassen of stoelgang",
            "Plots verlies van controle over plassen of stoelgang",
            "Verminderd gevoel in het zitvlak of tussen de benen",
            "Ernstige, toenemende pijn in beide benen",
            "Krachtverlies in beide benen of moeilijk kunnen stappen",
        ]) {
            assert!(text.contains(&squash(needle)), "{format} lacks {needle:?}");
        }
    }
}

/// The key messages of the demo content, by section id.
fn key_messages() -> Vec<(String, String)> {
    let content = demo().read("leaflets/hernia/nl.md");
    let mut out = Vec::new();
    let mut id = String::new();
    let mut lines = content.lines();
    while let Some(line) = lines.next() {
        if let Some(start) = line.find("{#") {
            id = line[start + 2..].split([' ', '}']).next().unwrap().to_owned();
        }
        if line.trim() == "> [!IMPORTANT]" {
            // The demo practice is Belgian: {profession} is "kinesitherapeut".
            let message =
                lines.next().unwrap().trim_start_matches("> ").replace("{profession}", "kinesitherapeut");
            out.push((id.clone(), message));
        }
    }
    out
}

#[test]
fn each_format_shows_the_key_messages_of_its_sections() {
    let all = key_messages();
    assert_eq!(all.len(), 11);
    // The poster shows the sections chosen in leafpress.toml.
    let poster = ["what-is", "resorption", "red-flags", "what-helps", "summary"];
    for format in ["handout", "booklet", "trifold", "poster", "slides", "slides-handout"] {
        let text = flat_text(format);
        for (id, message) in &all {
            let shown = format != "poster" || poster.contains(&id.as_str());
            assert_eq!(text.contains(&squash(message)), shown, "{format}: key message of `{id}`");
        }
    }
}

#[test]
fn trifold_and_poster_leave_citations_out_and_say_where_sources_are() {
    for format in ["trifold", "poster"] {
        let text = flat_text(format);
        assert!(!text.contains("(Waddell,1998)") && !text.contains("1998"), "{format} has a citation");
        assert!(
            text.contains(&squash("De wetenschappelijke bronnen staan in de volledige folder.")),
            "{format}"
        );
    }
    assert!(
        flat_text("trifold")
            .contains(&squash("Volledige rust of immobilisatie: vertraagt herstel en verzwakt de rug."))
    );
}

#[test]
fn presenter_notes_give_each_slide_its_own_text_once() {
    let json = demo().read("out/de-linde/hernia/nl/slides.pdfpc");
    let v: serde_json::Value = serde_json::from_str(&json).expect("the .pdfpc file is JSON");
    assert_eq!(v["pdfpcFormat"], 2);
    assert_eq!(v["disableMarkdown"], true);
    let pages = v["pages"].as_array().unwrap();
    assert_eq!(pages.len(), open("slides").pages(), "one entry per page");
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p["idx"], i, "entries are in page order");
        assert_eq!(p["label"], (i + 1).to_string());
        assert_eq!(p["hidden"], false);
        assert!(p["note"].is_string());
    }
    let notes: Vec<&str> = pages.iter().map(|p| p["note"].as_str().unwrap()).collect();
    let slides = open("slides");
    let doc = slides.doc();
    let page_ids: Vec<u32> = doc.get_pages().keys().copied().collect();
    let texts: Vec<String> = page_ids.iter().map(|&p| squash(&doc.extract_text(&[p]).unwrap())).collect();
    let page_of = |s: &str| texts.iter().position(|t| t.contains(&squash(s))).expect(s);
    // The slide with the "what-is" key message: the section's title, the key message and the
    // paragraph that explains it; the figure slide that follows has its caption.
    let key = page_of("Bij een hernia puilt de zachte kern");
    assert!(notes[key].starts_with("Wat is een hernia eigenlijk?\n\nBij een hernia puilt"), "{}", notes[key]);
    assert!(notes[key].contains("(het zachte, gelachtige midden, de nucleus pulposus)"), "{}", notes[key]);
    assert_eq!(
        notes[key + 1],
        "Een hernia: de zachte kern puilt door de buitenring en kan op een zenuwwortel drukken."
    );
    // Citations as the slides print them, so a presenter can name the source; the slide names
    // them in its footer.
    assert!(
        notes[key].contains("bij ouder worden en bewegen (Adams & Dolan, 2005; Urban & Roberts, 2003)."),
        "{}",
        notes[key]
    );
    assert!(texts[key].contains(&squash("(Adams & Dolan, 2005; Brinjikji et al., 2015")), "{}", texts[key]);
    // A list over two slides: each slide's note has its own items, the second not the first's.
    let first = page_of("Plots verlies van controle over plassen of stoelgang");
    let second = page_of("Krachtverlies in beide benen");
    assert_eq!(second, first + 1);
    assert!(notes[first].contains("- Plots verlies van controle"), "{}", notes[first]);
    assert!(!notes[second].contains("Plots verlies"), "{}", notes[second]);
    assert!(notes[second].starts_with("- Ernstige, toenemende pijn in beide benen"), "{}", notes[second]);
    // Every list item in a note is on that note's slide.
    for (i, note) in notes.iter().enumerate() {
        for item in note.lines().filter_map(|l| l.strip_prefix("- ")) {
            assert!(texts[i].contains(&squash(item)), "slide {} does not show {item}", i + 1);
        }
    }
    // Every sentence is in the notes exactly once.
    let all = notes.join("\n");
    for sentence in [
        "ongeveer 30% een hernia heeft zonder klachten (Brinjikji et al., 2015).",
        "Een snelle chirurgische ingreep kan blijvende schade voorkomen.",
        "- Tijd en consistentie.",
        "Je rug is geen porseleinkast.",
        "Hoe lang duurt herstel?",
    ] {
        assert_eq!(all.matches(sentence).count(), 1, "{sentence}");
    }
    // The title slide's note is the introduction.
    assert!(notes[0].contains("Een rughernia klinkt vaak als iets dramatisch"));
}

/// For an assembled sheet side: which layer (0 = the first page drawn on it) each marked-content
/// id is in. A sheet side's content is its pages' content one after the other, each in a
/// top-level `q … Q`.
fn layers(doc: &lopdf::Document, page: lopdf::ObjectId) -> (usize, std::collections::HashMap<i64, usize>) {
    use lopdf::Object;
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let (mut depth, mut layer, mut out) = (0usize, 0usize, std::collections::HashMap::new());
    for op in content.operations {
        match op.operator.as_str() {
            "q" => {
                if depth == 0 {
                    layer += 1;
                }
                depth += 1;
            }
            "Q" => depth -= 1,
            "BDC" => {
                if let Some(Object::Dictionary(d)) = op.operands.get(1)
                    && let Ok(mcid) = d.get(b"MCID").and_then(Object::as_i64)
                {
                    assert!(out.insert(mcid, layer - 1).is_none(), "MCID {mcid} twice on one sheet side");
                }
            }
            _ => {}
        }
    }
    (layer, out)
}

/// For an assembled PDF: in the order the structure tree reads, which (sheet side, layer)
/// each piece of marked content is in.
fn tag_order(pdf: &Pdf) -> Vec<(usize, usize)> {
    use lopdf::Object;
    let doc = pdf.doc();
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    // (page, MCID) -> (sheet side, layer).
    let mut place = std::collections::HashMap::new();
    for (i, &id) in pages.iter().enumerate() {
        for (mcid, layer) in layers(doc, id).1 {
            place.insert((id, mcid), (i + 1, layer));
        }
    }
    let mut out = Vec::new();
    fn walk(
        doc: &lopdf::Document,
        o: &Object,
        page: Option<lopdf::ObjectId>,
        place: &std::collections::HashMap<(lopdf::ObjectId, i64), (usize, usize)>,
        out: &mut Vec<(usize, usize)>,
    ) {
        let o = match o {
            Object::Reference(id) => doc.get_object(*id).unwrap(),
            o => o,
        };
        let mut visit = |pg: Option<lopdf::ObjectId>, mcid: i64| {
            let here = place[&(pg.expect("marked content names its page"), mcid)];
            if out.last() != Some(&here) {
                out.push(here);
            }
        };
        match o {
            Object::Array(items) => items.iter().for_each(|i| walk(doc, i, page, place, out)),
            Object::Dictionary(d) => {
                let pg = d.get(b"Pg").and_then(Object::as_reference).ok().or(page);
                if d.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == b"MCR") {
                    visit(pg, d.get(b"MCID").and_then(Object::as_i64).unwrap());
                } else if let Ok(k) = d.get(b"K") {
                    walk(doc, k, pg, place, out);
                }
            }
            Object::Integer(mcid) => visit(page, *mcid),
            _ => {}
        }
    }
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap();
    walk(doc, root, None, &place, &mut out);
    out
}

#[test]
fn imposed_booklet_follows_saddle_stitch_order_and_reads_in_page_order() {
    let n = open("booklet").pages();
    let imposed = open("booklet-imposed");
    assert_eq!(imposed.pages(), n / 2);
    // domain.md: sheet i (0-based) front [n−2i | 2i+1], back [2i+2 | n−2i−1]. Where does each
    // booklet page land: (sheet side, 0 = left / 1 = right)?
    let mut place = vec![(0, 0); n + 1];
    for i in 0..n / 4 {
        place[n - 2 * i] = (2 * i + 1, 0);
        place[2 * i + 1] = (2 * i + 1, 1);
        place[2 * i + 2] = (2 * i + 2, 0);
        place[n - 2 * i - 1] = (2 * i + 2, 1);
    }
    assert_eq!((place[1], place[n]), ((1, 1), (1, 0)), "cover right, back page left of the first side");
    // Reading the tags visits the booklet's pages in order, each at its imposed place. Note
    // pages carry no tagged content, so they may be skipped.
    let order = tag_order(&imposed);
    let expected: Vec<(usize, usize)> = (1..=n).map(|p| place[p]).collect();
    let mut it = expected.iter();
    for got in &order {
        assert!(it.any(|e| e == got), "tag order {order:?} does not follow the pages {expected:?}");
    }
    assert_eq!(order.first(), Some(&place[1]));
    assert_eq!(order.last(), Some(&place[n]));
    assert!(order.len() >= n - 3, "only {} pages hold tagged content", order.len());
}

#[test]
fn trifold_reads_front_cover_first_and_back_cover_last() {
    // Page 1 is the outside sheet; the back cover is laid over it last, so in the tag tree its
    // layer comes after the inside sheet.
    let pdf = open("trifold");
    let doc = pdf.doc();
    let first = *doc.get_pages().values().next().unwrap();
    assert_eq!(layers(doc, first).0, 2, "the outside sheet draws two layers");
    let order = tag_order(&pdf);
    assert_eq!(order, vec![(1, 0), (2, 0), (1, 1)], "front + flap, inside, back cover");
}

/// The texts of the QR codes on page `page` (from 0) of a PDF.
fn qr_codes(path: &std::path::Path, page: usize, scale: f32) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let pdf = hayro::hayro_syntax::Pdf::new(std::sync::Arc::new(bytes)).expect("hayro opens the PDF");
    let pixmaps = hayro::render_pdf(&pdf, scale, Default::default(), None).expect("the PDF renders");
    let pix = &pixmaps[page];
    let (w, h) = (pix.width() as usize, pix.height() as usize);
    let rgba = pix.data_as_u8_slice();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = (y * w + x) * 4;
        ((rgba[i] as u32 + rgba[i + 1] as u32 + rgba[i + 2] as u32) / 3) as u8
    });
    img.detect_grids().iter().map(|g| g.decode().expect("the QR code decodes").1).collect()
}

#[test]
fn poster_qr_code_scans_to_the_practice_website() {
    let codes = qr_codes(&demo().path("out/de-linde/hernia/nl/poster.pdf"), 0, 2.0);
    assert_eq!(codes, ["https://www.delinde.example"], "one QR code on the poster");
}

#[test]
fn with_leaflets_url_every_printed_qr_code_scans_to_the_leaflets_own_page() {
    let p = Project::demo();
    p.edit(
        "leafpress.toml",
        "website = \"https://www.delinde.example\"",
        "website = \"https://www.delinde.example\"\nleaflets-url = \"https://leaflets.delinde.example/\"",
    );
    let run = p.run(&[
        "build", "--brand", "de-linde", "--format", "poster", "--format", "trifold", "--format", "booklet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for lang in ["nl", "en"] {
        let url = format!("https://leaflets.delinde.example/hernia/{lang}/");
        let poster = p.path(&format!("out/de-linde/hernia/{lang}/poster.pdf"));
        assert_eq!(qr_codes(&poster, 0, 2.0), std::slice::from_ref(&url), "{lang} poster");
        assert!(
            squash(&Pdf::open(&poster).text()).contains(&squash(&url[8..url.len() - 1])),
            "printed beside it"
        );
        let trifold = p.path(&format!("out/de-linde/hernia/{lang}/trifold.pdf"));
        assert_eq!(qr_codes(&trifold, 0, 4.0), std::slice::from_ref(&url), "{lang} trifold");
        let booklet = Pdf::open(&p.path(&format!("out/de-linde/hernia/{lang}/booklet.pdf")));
        let last = booklet.pages() - 1;
        assert_eq!(
            qr_codes(&p.path(&format!("out/de-linde/hernia/{lang}/booklet.pdf")), last, 4.0),
            [url],
            "{lang} booklet"
        );
    }
}

#[test]
fn bleed_and_crop_marks_extend_the_media_around_the_trim() {
    let p = Project::demo();
    let run = p.run(&["build", "--format", "poster", "--format", "trifold", "--bleed", "3", "--crop-marks"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The reported size is the trim.
    assert!(run.stderr.contains("poster.pdf (1 page, 297 × 420 mm"), "{}", run.stderr);
    for (format, w, h) in [("poster", 297.0, 420.0), ("trifold", 297.0, 210.0)] {
        let pdf = Pdf::open(&p.path(&format!("out/de-linde/hernia/nl/{format}.pdf")));
        // 3 mm bleed plus 10 mm for the marks on every side.
        let out = mm(3.0 + 10.0);
        assert_size(&pdf, format, mm(w) + 2.0 * out, mm(h) + 2.0 * out);
        let trim = pdf.page_box(0, b"TrimBox").expect("a TrimBox");
        assert!((trim[0] - out).abs() < 0.6 && (trim[1] - out).abs() < 0.6, "{format} trim {trim:?}");
        assert!((trim[2] - trim[0] - mm(w)).abs() < 0.6 && (trim[3] - trim[1] - mm(h)).abs() < 0.6);
    }
    // Screen formats ignore print options.
    let run = p.run(&["build", "--format", "slides", "--bleed", "3"]);
    assert_eq!(run.code, 0);
    assert_size(&Pdf::open(&p.path("out/de-linde/hernia/nl/slides.pdf")), "slides", mm(297.0), mm(167.0625));
}

#[test]
fn poster_paper_comes_from_the_layout() {
    let p = Project::demo();
    p.edit("leafpress.toml", "paper = \"a3\"", "paper = \"a2\"");
    let run = p.run(&["build", "--format", "poster"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_size(&Pdf::open(&p.path("out/de-linde/hernia/nl/poster.pdf")), "poster", mm(420.0), mm(594.0));
}

/// Renders page `index` of a PDF at `px_per_mm`; returns width, height and RGBA bytes.
fn render(path: &std::path::Path, index: usize, px_per_mm: f32) -> (usize, usize, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let pdf = hayro::hayro_syntax::Pdf::new(std::sync::Arc::new(bytes)).expect("hayro opens the PDF");
    let scale = px_per_mm * 25.4 / 72.0;
    let pixmaps = hayro::render_pdf(&pdf, scale, Default::default(), Some(index..=index)).expect("renders");
    let pix = &pixmaps[0];
    (pix.width() as usize, pix.height() as usize, pix.data_as_u8_slice().to_vec())
}

#[test]
fn trifold_keeps_every_fold_clear_and_fills_every_panel() {
    let path = demo().path("out/de-linde/hernia/nl/trifold.pdf");
    let ppm = 4.0;
    // (page, folds in mm from the left edge, panels as (from, to) in mm)
    let sheets = [
        (0, [97.0, 197.0], [(0.0, 97.0), (97.0, 197.0), (197.0, 297.0)]),
        (1, [100.0, 200.0], [(0.0, 100.0), (100.0, 200.0), (200.0, 297.0)]),
    ];
    for (page, folds, panels) in sheets {
        let (w, h, px) = render(&path, page, ppm);
        assert!((w as f32 - 297.0 * ppm).abs() <= 2.0, "page {page} is {w} px wide");
        assert!((h as f32 - 210.0 * ppm).abs() <= 2.0, "page {page} is {h} px high");
        let ink = |x: usize, y: usize| {
            let i = (y * w + x) * 4;
            px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200
        };
        // Above the cover's colour band (the bottom 18 mm, background that may cross a fold).
        let rows = 0..((210.0 - 19.0) * ppm) as usize;
        for fold in folds {
            let from = ((fold - 3.0) * ppm) as usize;
            let to = ((fold + 3.0) * ppm) as usize;
            for x in from..to {
                assert!(
                    rows.clone().all(|y| !ink(x, y)),
                    "page {}: something is drawn within 3 mm of the fold at {fold} mm (x = {:.1} mm)",
                    page + 1,
                    x as f32 / ppm
                );
            }
        }
        for (a, b) in panels {
            let cols = ((a + 3.0) * ppm) as usize..((b - 3.0) * ppm) as usize;
            let inked = cols.filter(|&x| rows.clone().any(|y| ink(x, y))).count();
            assert!(inked > 40, "page {}: the panel {a}–{b} mm is empty", page + 1);
        }
    }
}

#[test]
fn layout_chooses_and_orders_the_sections_of_a_format() {
    let p = Project::demo();
    p.write(
        "leafpress.toml",
        p.read("leafpress.toml") + "\n[layout.slides]\nsections = [\"red-flags\", \"summary\"]\n",
    );
    let run = p.run(&["build", "--format", "slides"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&p.read("out/de-linde/hernia/nl/slides.pdfpc")).unwrap();
    let notes: Vec<&str> =
        json["pages"].as_array().unwrap().iter().map(|p| p["note"].as_str().unwrap()).collect();
    // Title, the red-flag slides, the summary and its quote, references, closing.
    assert!(notes[1].starts_with("Wanneer is een hernia wél een noodgeval?"), "{}", notes[1]);
    // Each section's first slide starts with its title: red flags, then the summary.
    let titles = [
        "Wat is een hernia eigenlijk?",
        "Wanneer is een hernia wél een noodgeval? Cauda-equinasyndroom",
        "Samengevat",
    ];
    let titled: Vec<&str> =
        notes.iter().filter_map(|n| n.lines().next()).filter(|l| titles.contains(l)).collect();
    assert_eq!(titled, ["Wanneer is een hernia wél een noodgeval? Cauda-equinasyndroom", "Samengevat"]);
    assert!(
        notes.iter().all(|n| !n.contains("Wat is een hernia eigenlijk?")),
        "an unchosen section is shown"
    );
    let text = squash(&Pdf::open(&p.path("out/de-linde/hernia/nl/slides.pdf")).text());
    assert!(!text.contains(&squash("Hoe vaak komt het voor?")));
}

#[test]
fn poster_shows_four_key_messages_when_the_layout_does_not_choose() {
    let p = Project::demo();
    let toml = p.read("leafpress.toml");
    let start = toml.find("[layout.poster]").unwrap();
    p.write("leafpress.toml", &toml[..start]);
    let run = p.run(&["build", "--format", "poster"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = squash(&Pdf::open(&p.path("out/de-linde/hernia/nl/poster.pdf")).text());
    let messages = key_messages();
    let shown: Vec<&str> =
        messages.iter().filter(|(_, m)| text.contains(&squash(m))).map(|(id, _)| id.as_str()).collect();
    assert_eq!(shown, ["what-is", "how-common", "causes", "adaptation", "red-flags"]);
}

#[test]
fn every_language_and_brand_builds_every_format_with_its_red_flags_and_the_countrys_numbers() {
    let cases = [
        ("nl", "nl-BE", "Wanneer is een hernia wél een noodgeval? Cauda equina syndroom", "Bel meteen"),
        ("en", "en", "When is a slipped disc an emergency? Cauda equina syndrome", "Call now"),
        (
            "fr",
            "fr-BE",
            "Quand une hernie discale est-elle une urgence ? Le syndrome de la queue de cheval",
            "Appelez tout de suite",
        ),
        (
            "de",
            "de-BE",
            "Wann ist ein Bandscheibenvorfall ein Notfall? Das Cauda-equina-Syndrom",
            "Sofort anrufen",
        ),
    ];
    let formats = ["handout", "booklet", "booklet-imposed", "trifold", "poster", "slides", "slides-handout"];
    for (brand, practice) in
        [("de-linde", "Kinesitherapie De Linde"), ("zuiderpark", "Fysiotherapie Zuiderpark")]
    {
        for (lang, tag, heading, call) in cases {
            for format in formats {
                let pdf = Pdf::open(&demo().path(&format!("out/{brand}/hernia/{lang}/{format}.pdf")));
                assert_eq!(pdf.catalog_string(b"Lang").as_deref(), Some(tag), "{brand} {lang} {format}");
                let text = squash(&pdf.text());
                for needle in [heading, call, "112", practice] {
                    assert!(text.contains(&squash(needle)), "{brand} {lang} {format} lacks {needle:?}");
                }
                // Belgium has a national out-of-hours number; the Netherlands has none.
                assert_eq!(text.contains("1733"), brand == "de-linde", "{brand} {lang} {format}: 1733");
            }
        }
    }
    // The Dutch practice's leaflet names the profession as the Dutch do.
    let nl = squash(&open_brand("zuiderpark", "nl", "handout").text());
    assert!(nl.contains(&squash("Een onderzoek door je fysiotherapeut of arts zegt meer dan een scan.")));
    assert!(nl.contains(&squash("advies van je arts of fysiotherapeut.")));
    assert!(nl.contains(&squash("Fysiotherapie Zuiderpark")) && !nl.contains(&squash("De Linde")));
}

fn open_brand(brand: &str, lang: &str, format: &str) -> Pdf {
    Pdf::open(&demo().path(&format!("out/{brand}/hernia/{lang}/{format}.pdf")))
}
