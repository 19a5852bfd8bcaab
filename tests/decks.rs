//! Teaching decks (issue 15): `decks/<name>/<lang>.md` mixing written slides with chosen
//! sections of two topics, in two languages; notes per slide, citations on slides and in
//! notes, located errors.

mod common;

use std::sync::OnceLock;

use common::{Pdf, Project, squash};

fn fixture() -> &'static Project {
    static FIXTURE: OnceLock<Project> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let p = Project::fixture("decks");
        let run = p.run(&["build", "--topic", "decks/lesson"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        p
    })
}

/// The text of each page of a PDF.
fn page_texts(pdf: &Pdf) -> Vec<String> {
    let doc = pdf.doc();
    doc.get_pages().keys().map(|&p| squash(&doc.extract_text(&[p]).unwrap())).collect()
}

/// The `.pdfpc` file of a language: its duration and each page's note.
fn pdfpc(lang: &str) -> (serde_json::Value, Vec<String>) {
    let v: serde_json::Value =
        serde_json::from_str(&fixture().read(&format!("out/decks/lesson/{lang}/slides.pdfpc"))).unwrap();
    let notes =
        v["pages"].as_array().unwrap().iter().map(|p| p["note"].as_str().unwrap().to_owned()).collect();
    (v["duration"].clone(), notes)
}

fn slides(lang: &str) -> Pdf {
    Pdf::open(&fixture().path(&format!("out/decks/lesson/{lang}/slides.pdf")))
}

#[test]
fn a_deck_of_two_topics_builds_in_both_languages_and_is_in_the_manifest() {
    let p = fixture();
    let docs = p.manifest("out");
    let keys: Vec<&str> = docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    for lang in ["nl", "en"] {
        for file in ["slides.pdf", "slides-handout.pdf"] {
            let key = format!("decks/lesson/{lang}/{file}");
            assert!(keys.contains(&key.as_str()), "{key} not in {keys:?}");
        }
    }
    let deck = docs.iter().find(|d| d["path"] == "decks/lesson/nl/slides.pdf").unwrap();
    assert_eq!(deck["topic"], "decks/lesson");
    assert_eq!(deck["extra"][0], "decks/lesson/nl/slides.pdfpc");
    let inputs: Vec<&str> = deck["inputs"].as_array().unwrap().iter().map(|i| i.as_str().unwrap()).collect();
    for file in [
        "decks/lesson/nl.md",
        "leaflets/back/nl.md",
        "leaflets/course/nl.md",
        "leaflets/back/references.yml",
        "leaflets/course/references.yml",
    ] {
        assert!(inputs.contains(&file), "{file} not in {inputs:?}");
    }
    assert!(!p.path("out/back").exists(), "--topic chose the deck only");

    // In order: title, written goals, the chosen sections of `back` (not `causes`), the
    // written table slide, the whole of `course`, the quiz, references, closing.
    let pages = page_texts(&slides("nl"));
    let at = |s: &str| pages.iter().position(|t| t.contains(&squash(s))).unwrap_or_else(|| panic!("{s}"));
    let order = [
        "Rugpijn en hernia",
        "Leerdoelen",
        "Rugpijn komt vaak voor en is zelden gevaarlijk.",
        "Je kunt niet meer plassen",
        "Slijtage zonder pijn komt vaak voor",
        "Een hernia wordt vaak vanzelf kleiner.",
        "Blijf bewegen",
        "Een korte zin boven het beeld.",
        "Wordt een hernia vanzelf kleiner?",
        "Bronnen",
        "Vragen?",
    ];
    let found: Vec<usize> = order.iter().map(|s| at(s)).collect();
    assert!(found.windows(2).all(|w| w[0] < w[1]), "{found:?}");
    assert!(!pages.concat().contains(&squash("Angst om te bewegen")), "an unchosen section is shown");
    // A written slide with a sentence and a figure is one slide, the figure under the text.
    let picture = at("Een korte zin boven het beeld.");
    assert!(
        pages[picture].contains("Beeld") && pages[picture].contains(&squash("Een beeld met een bijschrift."))
    );
    assert!(common::Pdf::open(&p.path("out/decks/lesson/nl/slides.pdf")).is_tagged());
    // The written table slide is one slide: heading, table and sentence together.
    let table = at("Slijtage zonder pijn komt vaak voor");
    assert!(pages[table].contains("Cijfers") && pages[table].contains("Zonderpijn"), "{}", pages[table]);
    // Title slide: presenter, course, date.
    for s in ["Docent Test", "Testopleiding Kinesitherapie", "1 maart 2027"] {
        assert!(pages[0].contains(&squash(s)), "{s}: {}", pages[0]);
    }
    let en = page_texts(&slides("en"));
    assert!(en[0].contains(&squash("Test Teacher")) && en[0].contains(&squash("1 March 2027")), "{}", en[0]);
    assert!(en.iter().any(|t| t.contains(&squash("Does a herniation get smaller by itself?"))));
    // The 3-up handout holds the same slides.
    let handout = squash(&Pdf::open(&p.path("out/decks/lesson/nl/slides-handout.pdf")).text());
    assert!(handout.contains(&squash("Wordt een hernia vanzelf kleiner?")) && handout.contains("Leerdoelen"));
}

#[test]
fn notes_match_their_slides_without_repetition_with_written_notes_and_duration() {
    let pdf = slides("nl");
    let pages = page_texts(&pdf);
    let (duration, notes) = pdfpc("nl");
    assert_eq!(notes.len(), pdf.pages(), "one note per page");
    assert_eq!(duration, 45);
    let at = |s: &str| pages.iter().position(|t| t.contains(&squash(s))).unwrap_or_else(|| panic!("{s}"));
    // A written slide's notes stand in place of its text.
    let goals = at("Leerdoelen");
    assert_eq!(notes[goals], "Leerdoelen\n\nGeschreven notitie bij de leerdoelen.");
    // Notes under an include come first on its first slide, before the section's own text.
    let key = at("Rugpijn komt vaak voor en is zelden gevaarlijk.");
    assert!(
        notes[key]
            .starts_with("Wat is lage rugpijn?\n\nNotitie vóór de rugpijn-slides.\n\nRugpijn komt vaak voor"),
        "{}",
        notes[key]
    );
    // A topic included whole brings its introduction to the notes of its first slide.
    let course = at("Een hernia wordt vaak vanzelf kleiner.");
    assert!(
        notes[course].starts_with("Verdwijnt een hernia vanzelf?\n\nEen korte inleiding over het beloop."),
        "{}",
        notes[course]
    );
    let quiz = at("Wordt een hernia vanzelf kleiner?");
    assert_eq!(notes[quiz], "Quizvraag\n\nAntwoord: vaak wel.");
    // Every list item in a note is on that note's slide, and each once in all the notes.
    let all = notes.join("\n");
    for (i, note) in notes.iter().enumerate() {
        for item in note.lines().filter_map(|l| l.strip_prefix("- ")) {
            assert!(pages[i].contains(&squash(item)), "slide {} does not show {item}", i + 1);
            assert_eq!(all.matches(item).count(), 1, "{item} repeated");
        }
    }
    for sentence in [
        "Een beeld op een scan zegt dus weinig over je klachten.",
        "Bel meteen 112 als je benen allebei zwak worden of als je niet meer kunt plassen.",
        "- Geef het tijd",
    ] {
        assert_eq!(all.matches(sentence).count(), 1, "{sentence}");
    }
    // The English deck's notes are its own.
    let (_, en) = pdfpc("en");
    assert!(en.iter().any(|n| n == "Quiz question\n\nAnswer: often it does."), "{en:?}");
}

#[test]
fn cited_claims_show_their_citation_on_the_slide_and_in_the_notes() {
    let pdf = slides("nl");
    let pages = page_texts(&pdf);
    let (_, notes) = pdfpc("nl");
    // Each slide whose note cites a source names it on the slide.
    let mut cited = 0;
    for (i, note) in notes.iter().enumerate() {
        for (name, year) in
            [("Brinjikji", "2015"), ("Chiu", "2015"), ("Peul", "2007"), ("O’Sullivan", "2020")]
        {
            if note.contains(&format!("{name} et al., {year}"))
                || note.contains(&format!("{name} et al. ({year})"))
            {
                cited += 1;
                let plain = name.replace('’', "'");
                assert!(
                    pages[i].contains(name) || pages[i].contains(&plain),
                    "slide {} states a claim of {name} without its citation: {}",
                    i + 1,
                    pages[i]
                );
            }
        }
    }
    assert!(cited >= 4, "{cited}");
    assert!(notes.iter().any(|n| n.contains("(Chiu et al., 2015).")), "{notes:?}");
    // The reference pages list what the deck cites: both topics' sources, the one they share
    // once, and not what no chosen section cites.
    let first = pages.iter().position(|t| t.contains("Bronnen")).unwrap();
    let refs: String = pages[first..].concat();
    for name in ["Brinjikji", "Chiu", "Peul"] {
        assert!(refs.contains(name), "{name} missing from {refs}");
    }
    assert_eq!(refs.matches("Backtobasics").count(), 1, "{refs}");
    assert!(!refs.contains("Weber"), "an uncited source is listed: {refs}");
}

#[test]
fn a_deck_naming_an_unknown_section_fails_at_its_line() {
    let p = Project::fixture("decks");
    p.edit("decks/lesson/nl.md", "sections=\"what-is red-flags\"", "sections=\"what-is red-flag\"");
    let run = p.run(&["build", "--topic", "decks/lesson", "--lang", "nl"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: topic `back` has no section `red-flag`\n   ┌─ decks/lesson/nl.md:20:34\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `red-flags`?"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("error:").count(), 1, "one mistake, one error: {}", run.stderr);
    assert!(p.pdfs().is_empty(), "{:?}", p.pdfs());

    let p = Project::fixture("decks");
    p.edit("decks/lesson/nl.md", "{{< topic course >}}", "{{< topic cource >}}");
    let run = p.run(&["build", "--topic", "decks/lesson", "--lang", "nl"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: unknown topic `cource`\n   ┌─ decks/lesson/nl.md:35:11\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `course`?"), "{}", run.stderr);
}

#[test]
fn a_deck_never_leaves_out_a_topics_red_flags() {
    let p = Project::fixture("decks");
    p.edit("decks/lesson/nl.md", "sections=\"what-is red-flags\"", "sections=\"what-is\"");
    let run = p.run(&["build", "--topic", "decks/lesson", "--lang", "nl"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: the deck leaves out the red-flag section `red-flags` of topic `back`\n   ┌─ decks/lesson/nl.md:20:11\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_translated_deck_must_hold_the_same_includes() {
    let p = Project::fixture("decks");
    p.edit("decks/lesson/en.md", "{{< topic course >}}\n", "");
    let run = p.run(&["build", "--topic", "decks/lesson"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("decks/lesson/en.md"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: the translation has slide `picture` here; the source has topic `course`\n"),
        "{}",
        run.stderr
    );
    // The source language is built; the translation is held back.
    assert!(p.path("out/decks/lesson/nl/slides.pdf").exists());
    assert!(!p.path("out/decks/lesson/en/slides.pdf").exists());
}

#[test]
fn two_topics_defining_one_key_differently_is_an_error_at_the_include() {
    let p = Project::fixture("decks");
    p.edit("leaflets/course/references.yml", "date: 2015", "date: 2016");
    p.edit("leaflets/course/references.yml", "chiu2015:", "brinjikji2015:");
    p.edit("leaflets/course/nl.md", "[@chiu2015]", "[@brinjikji2015]");
    p.edit("leaflets/course/en.md", "[@chiu2015]", "[@brinjikji2015]");
    let run = p.run(&["build", "--topic", "decks/lesson", "--lang", "nl"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: two included topics define reference `brinjikji2015` differently\n   ┌─ decks/lesson/nl.md:35:11\n"
        ),
        "{}",
        run.stderr
    );
}
