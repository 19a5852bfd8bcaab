//! Slides on content nobody tuned them for (`tests/fixtures/slides`: lists of 1, 2, 5, 7
//! and 13 items, a numbered list, a section without a key message, a long key message, long
//! words, figures, seven warning signs) and on the demo: lists split evenly, numbers kept,
//! opening text, slide numbers, reference pages, the 4:3 aspect, tables and figures.

mod common;

use std::sync::OnceLock;

use common::{Pdf, Project, squash};

/// Millimetres to points.
fn mm(x: f64) -> f64 {
    x / 25.4 * 72.0
}

/// The fixture, its slides and slides handout built once for the tests that only read it.
fn fixture() -> &'static Project {
    static FIXTURE: OnceLock<Project> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let p = Project::fixture("slides");
        let run = p.run(&["build", "--format", "slides", "--format", "slides-handout"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        p
    })
}

/// The text of each page of a PDF.
fn page_texts(pdf: &Pdf) -> Vec<String> {
    let doc = pdf.doc();
    doc.get_pages().keys().map(|&p| doc.extract_text(&[p]).unwrap()).collect()
}

/// The fixture's slides, page by page.
fn fixture_pages() -> Vec<String> {
    page_texts(&Pdf::open(&fixture().path("out/topic/nl/slides.pdf")))
}

/// How many items of the list whose items all contain `marker` each page shows, for the
/// pages that show any.
fn items_per_page(pages: &[String], marker: &str) -> Vec<usize> {
    pages.iter().map(|p| p.matches(marker).count()).filter(|&n| n > 0).collect()
}

#[test]
fn lists_split_evenly_with_no_item_alone() {
    let pages = fixture_pages();
    assert_eq!(items_per_page(&pages, "van twee"), [2]);
    assert_eq!(items_per_page(&pages, "van vijf"), [3, 2]);
    assert_eq!(items_per_page(&pages, "van zeven"), [4, 3]);
    assert_eq!(items_per_page(&pages, "van dertien"), [5, 4, 4]);
    for (i, page) in pages.iter().enumerate() {
        let bullets = page.matches('•').count();
        assert!(
            bullets != 1 || page.contains("Het enige punt"),
            "page {} shows one bullet of a longer list:\n{page}",
            i + 1
        );
    }
    // The warning signs too: every one of them, never one alone.
    let red = pages.iter().filter(|p| p.contains("Wanneer dringend hulp zoeken"));
    let per_slide: Vec<usize> = red.map(|p| p.matches('•').count()).filter(|&n| n > 0).collect();
    assert_eq!(per_slide, [4, 3], "the seven warning signs");
    for sign in ["blaas of de stoelgang", "zware val", "gewichtsverlies"] {
        assert!(pages.iter().any(|p| p.contains(sign)), "{sign}");
    }
}

#[test]
fn numbered_lists_keep_their_numbers_across_slides() {
    let pages = fixture_pages();
    let steps: Vec<&String> = pages.iter().filter(|p| p.contains("Stap ")).collect();
    assert_eq!(steps.len(), 2, "nine steps on two slides");
    let words = ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"];
    for (i, word) in words.iter().enumerate() {
        let page = steps.iter().find(|p| p.contains(&format!("Stap {word}:"))).expect(word);
        assert!(
            squash(page).contains(&format!("{}.Stap{word}", i + 1)),
            "step {word} lost its number:\n{page}"
        );
    }
    assert!(
        squash(steps[1]).ends_with("TestPractice"),
        "the practice's name, laid over the slide:\n{}",
        steps[1]
    );
    assert!(!squash(steps[1]).contains("1.Stap"), "the numbering restarted:\n{}", steps[1]);
}

#[test]
fn a_section_without_a_key_message_shows_its_opening_sentences() {
    let pages = fixture_pages();
    let slides: Vec<&String> = pages.iter().filter(|p| p.contains("Zonder kernboodschap")).collect();
    assert_eq!(slides.len(), 1, "one slide, not a title alone");
    let text = squash(slides[0]);
    assert!(
        text.contains(&squash("Deze sectie heeft geen kernboodschap, dus de dia toont haar eerste zinnen."))
    );
    // Whole sentences, as many as keep to about six lines; the rest is in the notes.
    assert!(text.contains(&squash("houdt je spieren sterk.")), "{text}");
    assert!(!text.contains(&squash("Deze laatste zin")), "{text}");
    assert!(!text.contains(&squash("Een tweede alinea")), "{text}");
}

#[test]
fn a_section_of_only_a_list_or_a_figure_opens_with_it() {
    let pages = fixture_pages();
    for title in ["Alleen een lijst", "Alleen een figuur"] {
        let slides: Vec<&String> = pages.iter().filter(|p| p.contains(title)).collect();
        assert_eq!(slides.len(), 1, "{title}: {slides:?}");
        assert!(!slides[0].contains("vervolg"), "{}", slides[0]);
    }
    assert!(pages.iter().any(|p| p.contains("Alleen een lijst") && p.matches("van drie").count() == 3));

    // The red-flag section without a key message opens with its first sentences and the numbers.
    let p = Project::fixture("slides");
    p.edit(
        "leaflets/topic/nl.md",
        "> [!IMPORTANT]\n> Bij deze tekens zoek je meteen hulp.\n",
        "Zoek meteen hulp bij een van deze tekens. Wacht niet af.\n",
    );
    let run = p.run(&["build", "--format", "slides"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = page_texts(&Pdf::open(&p.path("out/topic/nl/slides.pdf")));
    let first = pages.iter().find(|p| p.contains("Wanneer dringend hulp zoeken")).unwrap();
    assert!(
        squash(first).contains(&squash("Zoek meteen hulp bij een van deze tekens. Wacht niet af.")),
        "{first}"
    );
    assert!(first.contains("112") && first.contains("1733"), "{first}");

    // An opening of one sentence that leads into the signs gets no slide of its own: every
    // red-flag slide shows signs, under that sentence.
    p.edit(
        "leaflets/topic/nl.md",
        "Zoek meteen hulp bij een van deze tekens. Wacht niet af.\n",
        "Zoek meteen hulp als je een van deze tekens hebt:\n",
    );
    let run = p.run(&["build", "--format", "slides"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = page_texts(&Pdf::open(&p.path("out/topic/nl/slides.pdf")));
    let urgent: Vec<&String> = pages.iter().filter(|p| p.contains("Wanneer dringend hulp zoeken")).collect();
    assert!(!urgent.is_empty());
    for page in urgent {
        assert!(
            squash(page).contains(&squash("Zoek meteen hulp als je een van deze tekens hebt:")),
            "{page}"
        );
        assert!(
            page.contains("Plots verlies") || page.contains("gewichtsverlies") || page.contains("zwakte"),
            "{page}"
        );
    }
}

#[test]
fn every_slide_but_the_title_slide_is_numbered() {
    let pages = fixture_pages();
    assert!(!squash(&pages[0]).contains("Testfolder1"), "{}", pages[0]);
    for (i, page) in pages.iter().enumerate().skip(1) {
        // The footer: the title or the slide's sources, then the number; the practice's
        // name is laid over the page (the foreground, drawn last) where the footer leaves
        // room for it.
        let flat = squash(page);
        let n = i + 1;
        let numbered = flat.contains(&format!("Testfolder{n}"))
            || (flat.starts_with("(") && flat.contains(&format!("){n}")));
        assert!(numbered, "page {n} has no number in its footer:\n{page}");
        assert!(flat.ends_with("TestPractice"), "page {n} does not name the practice:\n{page}");
    }
}

#[test]
fn reference_pages_keep_their_heading() {
    for (pdf, heading) in
        [(Pdf::open(&fixture().path("out/topic/nl/slides.pdf")), "Bronnen"), (demo_slides(), "Bronnen")]
    {
        let pages = page_texts(&pdf);
        let first = pages.iter().position(|p| p.contains("Adams, M. A.")).expect("the references");
        let closing = pages.len() - 1;
        assert!(closing - first >= 2, "the fixture's references take several pages");
        for (i, page) in pages.iter().enumerate().take(closing).skip(first) {
            let flat = squash(page);
            assert!(flat.contains(heading), "page {} has no heading:\n{page}", i + 1);
            assert_eq!(flat.contains("(vervolg)"), i > first, "page {}:\n{page}", i + 1);
        }
        // Every source is there, each whole on one page.
        assert!(pages.iter().any(|p| p.contains("Weber, H. (1983)")));
    }
}

#[test]
fn slide_text_is_never_hyphenated() {
    let pages = fixture_pages();
    let words = pages
        .iter()
        .filter(|p| p.to_lowercase().contains("rugrevalidatie"))
        .map(|p| p.split_whitespace().collect::<String>())
        .collect::<Vec<_>>();
    assert_eq!(words.len(), 2);
    for word in [
        "Arbeidsongeschiktheidsverzekeringen",
        "rugrevalidatieprogramma’s",
        "Arbeidsongeschiktheidsverzekeringsmaatschappijen",
        "kinesitherapeutenverenigingen",
        "Tussenwervelschijfdegeneratie",
    ] {
        assert!(words.iter().any(|w| w.contains(word)), "{word} is broken: {words:?}");
    }
    let long = pages.iter().find(|p| p.contains("Deze kernboodschap is lang")).unwrap();
    assert!(!long.contains("-\n"), "{long}");
}

#[test]
fn figures_get_slides_with_their_alt_text_and_notes_match_pages() {
    let p = fixture();
    let pdf = Pdf::open(&p.path("out/topic/nl/slides.pdf"));
    let pages = page_texts(&pdf);
    let circle = pages.iter().position(|t| t.contains("Een cirkel, zo groot als op de dia past.")).unwrap();
    assert!(
        pages[circle - 1].contains("De kernboodschap van het eerste deel."),
        "right after the key message"
    );
    assert!(pages[circle + 1].contains("Een kleine tekening wordt zo groot als past."));
    let alts = pdf.alt_texts();
    assert!(alts.iter().any(|a| a == "Een oranje cirkel"), "{alts:?}");
    assert!(alts.iter().any(|a| a == "Een kleine tekening van een blauwe ellips op oranje"), "{alts:?}");

    let notes: serde_json::Value = serde_json::from_str(&p.read("out/topic/nl/slides.pdfpc")).unwrap();
    let notes = notes["pages"].as_array().unwrap();
    assert_eq!(notes.len(), pdf.pages(), "one note per page");
    let note = notes[circle]["note"].as_str().unwrap();
    assert!(note.ends_with("Een cirkel, zo groot als op de dia past."), "the figure's caption: {note}");
    assert!(
        notes[circle - 1]["note"]
            .as_str()
            .unwrap()
            .starts_with("Eerste deel\n\nDe kernboodschap van het eerste deel.")
    );
    let opening = pages.iter().position(|t| t.contains("Zonder kernboodschap")).unwrap();
    assert!(notes[opening]["note"].as_str().unwrap().contains("Deze laatste zin past niet meer op de dia"));
}

#[test]
fn slides_are_16_9_by_default_and_4_3_when_asked() {
    let p = fixture();
    let sizes = Pdf::open(&p.path("out/topic/nl/slides.pdf")).page_sizes();
    assert!(sizes.iter().all(|&(w, h)| (w - mm(297.0)).abs() < 0.6 && (h - mm(167.0625)).abs() < 0.6));

    let p = Project::fixture("slides");
    p.write("leafpress.toml", p.read("leafpress.toml") + "\n[layout.slides]\naspect = \"4:3\"\n");
    let run = p.run(&["build", "--format", "slides", "--format", "slides-handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let slides = Pdf::open(&p.path("out/topic/nl/slides.pdf"));
    for (i, (w, h)) in slides.page_sizes().into_iter().enumerate() {
        assert!(
            (w - mm(222.75)).abs() < 0.6 && (h - mm(167.0625)).abs() < 0.6,
            "page {}: {w} × {h} pt",
            i + 1
        );
        assert!((w / h - 4.0 / 3.0).abs() < 0.001);
    }
    let pages = page_texts(&slides);
    assert_eq!(items_per_page(&pages, "van zeven"), [4, 3]);
    // The narrower slide sets the longest words smaller rather than break or clip them.
    let flat: String = pages.concat().split_whitespace().collect();
    for word in ["Arbeidsongeschiktheidsverzekeringsmaatschappijen", "Arbeidsongeschiktheidsverzekeringen"] {
        assert!(flat.contains(word), "{word}");
    }
    let handout = Pdf::open(&p.path("out/topic/nl/slides-handout.pdf"));
    assert!(
        handout.page_sizes().iter().all(|&(w, h)| (w - mm(210.0)).abs() < 0.6 && (h - mm(297.0)).abs() < 0.6)
    );
    assert!(squash(&handout.text()).contains(&squash("Zeven korte punten worden vier en drie.")));
}

#[test]
fn aspect_takes_the_two_shapes_and_only_for_slides() {
    let p = Project::fixture("slides");
    p.write(
        "leafpress.toml",
        p.read("leafpress.toml")
            + "\n[layout.handout]\naspect = \"4:3\"\n\n[layout.slides]\naspect = \"21:9\"\n",
    );
    p.fails(
        &["build"],
        "error: `aspect` does not apply to [layout.handout]
   ┌─ leafpress.toml:17:10
   │
17 │ aspect = \"4:3\"
   │          ^^^^^
   │
   = hint: `aspect` only applies to [layout.slides]

error: unknown aspect `21:9`
   ┌─ leafpress.toml:20:10
   │
20 │ aspect = \"21:9\"
   │          ^^^^^^
   │
   = hint: slides can be \"16:9\" or \"4:3\"

",
    );
}

#[test]
fn a_word_wider_than_the_slide_is_an_error_not_clipped() {
    let p = Project::fixture("slides");
    p.edit(
        "leaflets/topic/nl.md",
        "- Tussenwervelschijfdegeneratie",
        "- Arbeidsongeschiktheidsverzekeringsmaatschappijenvertegenwoordigersvergaderingen\n- Tussenwervelschijfdegeneratie",
    );
    let run = p.run(&["build", "--format", "slides"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        // (After the warnings for the fixture's sections without a key message.)
        run.stderr.lines().any(|l| l.starts_with(
            "error: slides (nl) does not fit its slides at 28 pt: slide `section` of section `long-words` overflows by "
        )),
        "{}",
        run.stderr
    );
    assert!(p.pdfs().is_empty());
}

#[test]
fn tables_get_their_own_slides_with_header_cells() {
    // Tables reach the template in the data contract's shape; until Markdown tables are
    // parsed, this injects one into the data the templates read.
    let p = Project::fixture("slides");
    let common = std::fs::read_to_string(common::repo().join("templates/common.typ")).unwrap();
    let line = "#let data = json(\"/_leafpress/data.json\")";
    assert!(common.contains(line));
    let inject = r#"#let data = {
  let d = json("/_leafpress/data.json")
  let t(s) = ((kind: "text", text: s),)
  let rows = range(1, 15).map(i => (t("Oefening " + str(i)), t(str(i * 2) + " keer"), t("ochtend en avond")))
  rows.at(3) = (t("Een oefening met een heel lange naam die over meer regels loopt"), t("10 keer"), t("na het opstaan"))
  rows.at(5) = (t("Een korte rij"),)
  let table = (kind: "table", header: (t("Oefening"), t("Hoe vaak"), t("Wanneer")), align: ("left", "right", "center"), rows: rows)
  d.sections = d.sections.map(s => if s.id == "two" { (..s, blocks: s.blocks + (table,)) } else { s })
  d
}"#;
    p.write("templates/common.typ", common.replace(line, inject));
    let run = p.run(&["build", "--format", "slides", "--format", "slides-handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = Pdf::open(&p.path("out/topic/nl/slides.pdf"));
    let pages = page_texts(&pdf);
    let tables: Vec<&String> = pages.iter().filter(|t| t.contains("Hoe vaak")).collect();
    assert_eq!(tables.len(), 2, "fourteen rows on two slides");
    for t in &tables {
        assert!(squash(t).contains("OefeningHoevaakWanneer"), "the header row on each:\n{t}");
    }
    let rows: Vec<usize> = tables.iter().map(|t| t.matches("keer").count()).collect();
    assert_eq!(rows.iter().sum::<usize>(), 13, "every row once (one has no count)");
    assert!(tables.iter().any(|t| t.contains("Een korte rij")));
    assert!(
        squash(tables[0])
            .contains(&squash("Een oefening met een heel lange naam die over meer regels loopt"))
    );
    let kinds = struct_kinds(&pdf);
    assert!(kinds.iter().filter(|k| *k == "TH").count() >= 6, "header cells are tagged: {kinds:?}");
    assert!(kinds.iter().any(|k| k == "TD"));

    let notes: serde_json::Value = serde_json::from_str(&p.read("out/topic/nl/slides.pdfpc")).unwrap();
    assert_eq!(notes["pages"].as_array().unwrap().len(), pdf.pages());
}

#[test]
fn the_demo_slides_leave_no_item_alone() {
    let pdf = demo_slides();
    let pages = page_texts(&pdf);
    for (i, page) in pages.iter().enumerate() {
        assert_ne!(page.matches('•').count(), 1, "page {}:\n{page}", i + 1);
    }
    let figure =
        pages.iter().position(|p| p.contains("Een hernia: de zachte kern puilt door de buitenring")).unwrap();
    assert!(squash(&pages[figure - 1]).contains(&squash("Bij een hernia puilt de zachte kern")));
}

/// The demo's Dutch slides of the Belgian practice.
fn demo_slides() -> Pdf {
    static DEMO: OnceLock<Project> = OnceLock::new();
    let p = DEMO.get_or_init(|| {
        let p = Project::demo();
        let run = p.run(&["build", "--format", "slides", "--lang", "nl", "--brand", "de-linde"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        p
    });
    Pdf::open(&p.path("out/de-linde/hernia/nl/slides.pdf"))
}

/// The structure types (`/S`) of every structure element in the PDF.
fn struct_kinds(pdf: &Pdf) -> Vec<String> {
    pdf.doc()
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"StructElem".as_slice()))
        .filter_map(|d| d.get(b"S").ok()?.as_name().ok().map(|n| String::from_utf8_lossy(n).into_owned()))
        .collect()
}

#[test]
fn the_slides_handout_names_the_practice_over_every_miniature() {
    // The practice's name is laid over each miniature from the page's foreground, where the
    // miniature's marker is (the miniatures themselves are then the same for every practice):
    // each page names the practice in its head and once on each of its miniatures (three to
    // a page, two on the last), the first page once more in the title slide's masthead; the
    // reference page in its head only.
    let p = Project::fixture("slides");
    let run = p.run(&["build", "--format", "slides-handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let handout = Pdf::open(&p.path("out/topic/nl/slides-handout.pdf"));
    let counts: Vec<usize> =
        page_texts(&handout).iter().map(|t| squash(t).matches("TestPractice").count()).collect();
    let mut expected = vec![5];
    expected.extend([4; 9]);
    expected.extend([3, 1]);
    assert_eq!(counts, expected);
}
