//! What a practice may leave out or add of its own, through the binary on a fresh `init`
//! project: no website, accent or reviewers; local numbers on the red-flag card; one label
//! changed; `leafpress labels` to start from.

mod common;

use common::{Pdf, Project, squash};

/// Every format of the sample topic.
const FORMATS: [&str; 7] =
    ["handout", "booklet", "booklet-imposed", "trifold", "poster", "slides", "slides-handout"];

/// A fresh English project (a UK practice: 999, 112 and 111).
fn project() -> Project {
    let p = Project::empty();
    let run = p.run(&["init", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    p
}

/// The text of a format, squashed (see [`common::squash`]).
fn text(p: &Project, format: &str) -> String {
    squash(&Pdf::open(&p.path(&format!("out/low-back-pain/en/{format}.pdf"))).text())
}

/// Whether squashed text `t` holds `s`.
fn has(t: &str, s: &str) -> bool {
    t.contains(&squash(s))
}

/// The lines of leafpress.toml without the ones starting with `key =`.
fn without_key(p: &Project, key: &str) {
    let toml = p.read("leafpress.toml");
    let kept: Vec<&str> = toml.lines().filter(|l| !l.starts_with(&format!("{key} ="))).collect();
    assert_ne!(kept.len(), toml.lines().count(), "no `{key}` to remove");
    p.write("leafpress.toml", kept.join("\n") + "\n");
}

#[test]
fn a_practice_without_website_accent_or_reviewers_builds_every_format() {
    let p = project();
    without_key(&p, "website");
    without_key(&p, "accent");
    p.edit("leaflets/low-back-pain/en.md", "reviewers = [\"First Last, general practitioner\"]\n", "");
    // The sample links to the website: without one that is an error at the link.
    let run = p.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: `{website}` has no value: Example Physiotherapy has no website\n")
            && run.stderr.contains("leaflets/low-back-pain/en.md:56:74"),
        "{}",
        run.stderr
    );
    assert!(!p.path("out").exists(), "nothing is written");
    p.edit("leaflets/low-back-pain/en.md", " or visit [our website]({website})", "");

    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.starts_with("warning: `leaflets/low-back-pain/en.md` names no reviewers\n"),
        "{}",
        check.stderr
    );
    assert_eq!(p.run(&["check", "--strict"]).code, 1, "--strict makes the warning an error");

    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for format in FORMATS {
        let t = text(&p, format);
        assert!(!has(&t, "www.example"), "{format}: no web address");
        assert!(!has(&t, "Scan for more information"), "{format}: no QR code caption");
        assert!(has(&t, "Example Physiotherapy"), "{format}: the practice");
    }
    for format in ["handout", "booklet"] {
        let t = text(&p, format);
        assert!(has(&t, "Not yet reviewed by a second clinician"), "{format}: {t}");
        assert!(!has(&t, "Reviewed by"), "{format}");
    }
    // No QR code on the poster: its alt text is gone from the PDF's strings, where a poster
    // with a website has it.
    let poster = Pdf::open(&p.path("out/low-back-pain/en/poster.pdf"));
    assert!(!pdf_strings(&poster).contains("Scan for more information"), "no QR alt text");
    let with_site = project();
    assert_eq!(with_site.run(&["build", "--format", "poster"]).code, 0);
    let poster = Pdf::open(&with_site.path("out/low-back-pain/en/poster.pdf"));
    assert!(pdf_strings(&poster).contains("Scan for more information"), "the alt text is found where it is");
}

/// Every string object of a PDF (structure tree alt texts among them), joined.
fn pdf_strings(pdf: &Pdf) -> String {
    fn walk(o: &lopdf::Object, out: &mut String) {
        match o {
            lopdf::Object::String(bytes, _) => {
                // Typst writes text strings as UTF-16BE with a byte-order mark, or as PDFDoc.
                let s = match bytes.strip_prefix(&[0xfe, 0xff]) {
                    Some(be) => String::from_utf16_lossy(
                        &be.chunks(2)
                            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                            .collect::<Vec<_>>(),
                    ),
                    None => String::from_utf8_lossy(bytes).into_owned(),
                };
                out.push_str(&s);
                out.push('\n');
            }
            lopdf::Object::Array(items) => items.iter().for_each(|i| walk(i, out)),
            lopdf::Object::Dictionary(d) => d.iter().for_each(|(_, v)| walk(v, out)),
            lopdf::Object::Stream(s) => s.dict.iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    pdf.doc().objects.values().for_each(|o| walk(o, &mut out));
    out
}

#[test]
fn local_numbers_follow_the_national_ones_on_the_card_of_every_format() {
    let p = project();
    p.edit(
        "leafpress.toml",
        "\n[brand.colors]",
        "\n[[brand.numbers]]\nnumber = \"0113 000 0001\"\ncaption = { en = \"Leeds out-of-hours GP\" }\n\n\
         [[brand.numbers]]\nnumber = \"0113 000 0002\"\ncaption = \"Spinal unit (24 hours)\"\n\n[brand.colors]",
    );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for format in FORMATS {
        let t = text(&p, format);
        let at = |s: &str| t.find(&squash(s)).unwrap_or_else(|| panic!("{format}: no `{s}` in {t}"));
        // On every card (every slide of the red-flag section, every part of a split card):
        // as many local numbers as national ones.
        let national = t.matches("999").count();
        assert!(national > 0, "{format}");
        assert_eq!(t.matches(&squash("0113 000 0001")).count(), national, "{format}: {t}");
        assert_eq!(t.matches(&squash("Spinal unit (24 hours)")).count(), national, "{format}");
        assert!(at("999") < at("Leeds out-of-hours GP"), "{format}: after the national numbers");
        assert!(at("Leeds out-of-hours GP") < at("0113 000 0001"), "{format}: caption, then number");
        assert!(at("0113 000 0001") < at("0113 000 0002"), "{format}: in the order written");
    }
}

#[test]
fn one_label_changes_that_string_only() {
    let p = project();
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = text(&p, "handout");
    p.write("labels/en.toml", "call-now = \"Ring now\"\n");
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = text(&p, "handout");
    assert!(has(&after, "Ring now") && !has(&after, "Call now"));
    assert_eq!(
        after,
        before.replace(&squash("Call now"), &squash("Ring now")),
        "every other label unchanged"
    );
}

#[test]
fn labels_prints_the_built_in_table_to_start_from() {
    let p = project();
    for lang in ["nl", "en", "fr", "de"] {
        let run = p.run(&["labels", lang]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let builtin = std::fs::read_to_string(common::repo().join(format!("labels/{lang}.toml"))).unwrap();
        assert!(run.stdout.ends_with(&builtin), "{lang}: the built-in table, whole");
        assert!(run.stdout.starts_with(&format!("# leafpress's built-in labels for `{lang}`.")));
        assert!(run.stdout.parse::<toml::Table>().is_ok(), "{lang}: TOML");
    }
    // A language without a table gets the English one, which a project can then use as
    // its own (here untranslated) for content in that language.
    let run = p.run(&["labels", "es"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("# leafpress has no labels for `es`: these are the English ones."));
    p.write("labels/es.toml", &run.stdout);
    let en = p.read("leaflets/low-back-pain/en.md");
    // leafpress names the profession in nl, en, fr, de, tr, pl and ar only: write the word itself.
    let es = en.replace("lang = \"en\"", "lang = \"es\"").replace("{profession}", "physiotherapist");
    p.write("leaflets/low-back-pain/es.md", es);
    p.edit("leafpress.toml", "source-language = \"en\"", "# no source language");
    let build = p.run(&["build", "--lang", "es", "--format", "handout"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let pdf = Pdf::open(&p.path("out/low-back-pain/es/handout.pdf"));
    assert_eq!(pdf.catalog_string(b"Lang").as_deref(), Some("es"));

    let run = p.run(&["labels", "Dutch"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `Dutch` is not a language code\n \
         = hint: write a two- or three-letter ISO 639 code in lower case, e.g. `nl`, `tr` or `ar`\n\n"
    );
}

#[test]
fn new_writes_in_the_projects_source_language() {
    let p = project();
    let run = p.run(&["new", "neck-pain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(p.path("leaflets/neck-pain/en.md").is_file(), "{}", run.stderr);
}

#[test]
fn the_emergency_action_in_the_text_follows_the_practices_country() {
    let p = project();
    p.edit(
        "leaflets/low-back-pain/en.md",
        "Make an appointment with {practice}",
        "In an emergency, go to {emergency-department} or call {emergency-number}. Make an appointment with {practice}",
    );
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(has(&text(&p, "handout"), "In an emergency, go to A&E or call 999."), "a UK practice");
    // The same words for a Belgian practice.
    p.edit("leafpress.toml", "country = \"UK\"", "country = \"BE\"");
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(has(&text(&p, "handout"), "In an emergency, go to emergency department or call 112."));
}

/// The `[brand]` table of a second practice like the first, under another name and phone.
fn second_practice(p: &Project, name: &str, phone: &str) {
    let toml = p.read("leafpress.toml");
    let start = toml.find("[brand]\n").unwrap();
    let end = toml[start..]
        .find("\n[[brand.")
        .or_else(|| toml[start..].find("\n[layout"))
        .map_or(toml.len(), |i| start + i);
    let table = toml[start..end]
        .replace("name = \"Example Physiotherapy\"", &format!("name = \"{name}\""))
        .replace("phone = \"0113 000 0000\"", &format!("phone = \"{phone}\""));
    assert!(table.contains(name) && table.contains(phone), "{table}");
    p.write("brands/second.toml", table);
}

#[test]
fn practices_that_print_the_same_text_get_the_same_document_data() {
    // Layout is shared between practices through Typst's memoisation, keyed on what the
    // templates read: the practice is served apart (brand.json), so the document's data is
    // the same for both where the text does not name the practice.
    let p = project();
    p.edit(
        "leaflets/low-back-pain/en.md",
        "Make an appointment with {practice}: call {phone} or visit [our website]({website}).",
        "Make an appointment.",
    );
    second_practice(&p, "Second Physiotherapy", "0113 999 9999");
    let run = p.run(&[
        "build",
        "--format",
        "trifold",
        "--format",
        "booklet",
        "--format",
        "booklet-imposed",
        "--emit",
        "typst",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // And a booklet's print file is laid out from its booklet's data (imposed after Typst):
    // compiled one after the other, the second is the first's layout from the memo cache.
    let booklet = "out/second/low-back-pain/en/booklet";
    assert_eq!(
        p.read(&format!("{booklet}/_leafpress/data.json")),
        p.read(&format!("{booklet}-imposed/_leafpress/data.json"))
    );
    let dirs = ["out/example-physiotherapy/low-back-pain/en/trifold", "out/second/low-back-pain/en/trifold"];
    let [a, b] = dirs.map(|d| {
        (p.read(&format!("{d}/_leafpress/data.json")), p.read(&format!("{d}/_leafpress/brand.json")))
    });
    assert_eq!(a.0, b.0, "the document's data is the same");
    assert!(!a.0.contains("Example Physiotherapy") && !a.0.contains("0113"), "{}", a.0);
    assert!(
        a.1.contains("\"name\":\"Example Physiotherapy\"") && b.1.contains("\"phone\":\"0113 999 9999\""),
        "{}",
        b.1
    );
    // With the QR code beside it, as a file of its own.
    assert!(p.read(&format!("{}/_leafpress/qr.svg", dirs[0])).contains("<svg"));
    let built = p.run(&["build", "--format", "trifold"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let second = squash(&Pdf::open(&p.path("out/second/low-back-pain/en/trifold.pdf")).text());
    assert!(has(&second, "Second Physiotherapy") && has(&second, "0113 999 9999"), "{second}");
}

#[test]
fn the_practice_named_in_the_text_is_never_broken_inside_its_name_or_number() {
    // A long name, number and web address in the sentence that names them, in the trifold's
    // narrow panels: the name breaks only at its spaces, the number not at all, the address
    // only after its parts, in the text runs that mention them (and in the templates' own
    // lines).
    let p = project();
    let name = "Physiotherapiepraktijk Zuiderparkkwartier Noordoostelijk";
    let phone = "+44 113 000 0000 extension 12345";
    p.edit(
        "leafpress.toml",
        "name = \"Example Physiotherapy\"\ntagline",
        &format!("name = \"{name}\"\ntagline"),
    );
    p.edit("leafpress.toml", "phone = \"0113 000 0000\"", &format!("phone = \"{phone}\""));
    // And a long web address, which the sentence prints in parentheses: it breaks after its
    // parts, never with a hyphen of its own.
    p.edit(
        "leafpress.toml",
        "https://www.example-physio.example",
        "https://www.praktijk-zuiderparkkwartier-noordoostelijk-fysiotherapie.example/rug",
    );
    let run = p.run(&["build", "--format", "trifold", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = "out/low-back-pain/en";
    for format in ["trifold", "handout"] {
        let text = Pdf::open(&p.path(&format!("{dir}/{format}.pdf"))).text();
        let lines: Vec<String> = text.lines().map(|l| l.replace('\u{a0}', " ").trim().to_owned()).collect();
        // The sentence of the content that names the practice.
        let window = |at: usize| lines[at..(at + 8).min(lines.len())].join("\n");
        let sentence = (0..lines.len())
            .filter(|&i| lines[i].contains("Make an appointment"))
            .map(window)
            .find(|w| w.contains("Physiotherapiepraktijk"))
            .expect("the sentence");
        assert!(sentence.contains(phone), "{format}: the number on one line:\n{sentence}");
        for word in name.split(' ') {
            assert!(sentence.contains(word), "{format}: `{word}` whole:\n{sentence}");
        }
        assert!(
            !sentence.contains('\u{ad}') && !sentence.contains("-\n"),
            "{format}: nothing hyphenated:\n{sentence}"
        );
        // The address in parentheses whole: broken only after its parts, never hyphenated.
        let flat: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{200b}').collect();
        let address = "(www.praktijk-zuiderparkkwartier-noordoostelijk-fysiotherapie.example/rug)";
        assert!(flat.contains(address), "{format}: the address in parentheses not whole:\n{sentence}");
        // Wherever else it is printed (the handout's running heads, the masthead, the
        // contact lines), its long words are whole.
        for (part, word) in [("Zuiderpark", "Zuiderparkkwartier"), ("Noordoost", "Noordoostelijk")] {
            let cut: Vec<&String> = lines.iter().filter(|l| l.contains(part) && !l.contains(word)).collect();
            assert!(cut.is_empty(), "{format}: `{word}` broken: {cut:?}");
        }
    }
    // The running head names the practice on every page after the first.
    let handout = Pdf::open(&p.path(&format!("{dir}/handout.pdf")));
    let named = handout.text().matches("Zuiderparkkwartier").count();
    assert!(named > handout.pages(), "{named} mentions in {} pages", handout.pages());
}

#[test]
fn a_practice_built_beside_another_is_the_practice_built_alone() {
    // The second practice's documents find the first's layouts in Typst's memo cache (built
    // together, on two threads, in the plan's order); nothing of the first may reach them.
    // Byte for byte the same as the practice built on its own, every format.
    let p = project();
    second_practice(&p, "Second Physiotherapy", "0113 999 9999");
    let together = p.run(&["build", "--out", "together", "--jobs", "2"]);
    assert_eq!(together.code, 0, "{}", together.stderr);
    let alone = p.run(&["build", "--out", "alone", "--jobs", "1", "--brand", "second"]);
    assert_eq!(alone.code, 0, "{}", alone.stderr);
    for format in FORMATS {
        let rel = format!("second/low-back-pain/en/{format}.pdf");
        let a = std::fs::read(p.path(&format!("together/{rel}"))).unwrap();
        let b = std::fs::read(p.path(&format!("alone/{rel}"))).unwrap();
        assert!(a == b, "{rel} differs built beside the first practice");
        let first =
            std::fs::read(p.path(&format!("together/example-physiotherapy/low-back-pain/en/{format}.pdf")));
        assert!(first.is_ok_and(|f| f != a), "{format}: the two practices' documents are the same");
    }
    let trifold = squash(&Pdf::open(&p.path("together/second/low-back-pain/en/trifold.pdf")).text());
    assert!(has(&trifold, "Second Physiotherapy") && has(&trifold, "0113 999 9999"), "{trifold}");
    assert!(!has(&trifold, "Example Physiotherapy") && !has(&trifold, "0113 000 0000"), "{trifold}");
}

#[test]
fn a_long_practice_name_in_the_running_head_breaks_only_at_its_spaces() {
    // A name too long for the head's line, with a hyphenated word: it wraps at a space, as
    // the name's rule says, never after a hyphen inside it.
    let p = project();
    p.edit(
        "leafpress.toml",
        "name = \"Example Physiotherapy\"\ntagline",
        "name = \"Praktijk voor Fysiotherapie, Manuele Therapie en Revalidatie Zuiderpark-Noordoost-Kwartier\"\ntagline",
    );
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Page 2 begins with the head: the name (a line per unbroken piece, as the text is
    // extracted), then the title.
    let page = Pdf::open(&p.path("out/low-back-pain/en/handout.pdf")).page_text(1);
    let head: Vec<&str> = page.lines().map(str::trim).take_while(|l| *l != "Low back pain").collect();
    assert!(head.len() < page.lines().count(), "no title line after the head:\n{page}");
    assert!(
        head.iter().any(|l| l.ends_with("Zuiderpark-Noordoost-Kwartier")),
        "the name broken inside a word in the running head: {head:?}"
    );
}
