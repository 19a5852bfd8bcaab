//! Readability through the binary on copies of the demo: `check` warns at long sentences
//! (file:line, longest first) and at scores under the project's minimum, and never fails for
//! them; `status` shows each document's score, band, words per sentence and share of long
//! sentences, as a table and as JSON; a build says nothing about readability.

mod common;

use common::Project;

/// A sentence of 32 words, put into the Dutch lead.
const LONG: &str = "Wie lang stilzit, veel tilt, weinig slaapt, vaak piekert en daarbij ook nog eens rookt, heeft volgens de meeste onderzoekers en artsen een wat grotere kans op terugkerende klachten in de onderrug.";

fn with_long_sentence() -> (Project, usize) {
    let p = Project::demo();
    p.edit(
        "leaflets/hernia/nl.md",
        "Gelukkig klopt dat beeld niet.",
        &format!("Gelukkig klopt dat beeld niet. {LONG}"),
    );
    let text = p.read("leaflets/hernia/nl.md");
    let line = text[..text.find(LONG).unwrap()].lines().count();
    (p, line)
}

#[test]
fn check_warns_at_a_long_sentence_and_does_not_fail() {
    let (p, line) = with_long_sentence();
    let run = p.run(&["check", "--lang", "nl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The 32 words are the longest sentence of the file: reported first, at their line and
    // column (the sentence starts after the one before it on the line).
    let first = run.stderr.find("warning: sentence of").unwrap();
    let report = &run.stderr[first..];
    assert!(report.starts_with("warning: sentence of 32 words (max-sentence-words is 25)\n"), "{report}");
    let text = p.read("leaflets/hernia/nl.md");
    let line_start = text[..text.find(LONG).unwrap()].rfind('\n').unwrap() + 1;
    let column = text[line_start..text.find(LONG).unwrap()].chars().count() + 1;
    assert!(report.contains(&format!("leaflets/hernia/nl.md:{line}:{column}\n")), "{report}");
    assert!(report.contains("“Wie lang stilzit, veel tilt, weinig slaapt, vaak piekert en …”"), "{report}");
    // Advice, not an error: --strict leaves it a warning.
    let strict = p.run(&["check", "--lang", "nl", "--strict"]);
    assert_eq!(strict.code, 0, "{}", strict.stderr);
    assert!(strict.stderr.contains("warning: sentence of 32 words"), "{}", strict.stderr);
    // A build does not repeat what check says about the text.
    let build = p.run(&["build", "--lang", "nl", "--format", "poster", "--brand", "de-linde"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("sentence of"), "{}", build.stderr);
}

#[test]
fn the_project_sets_the_limits() {
    let (p, line) = with_long_sentence();
    p.edit(
        "leafpress.toml",
        "[project]\n",
        "[project]\nmax-sentence-words = 31\nmin-readability = { nl = 75 }\n",
    );
    let run = p.run(&["check", "--topic", "hernia", "--lang", "nl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Only the sentence over 31 words is left, and the Dutch scores are under 75.
    assert_eq!(run.stderr.matches("warning: sentence of").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("nl.md:{line}:")), "{}", run.stderr);
    let under: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("warning: readability of")).collect();
    assert_eq!(under.len(), 4, "full text, trifold, poster, slides: {under:?}");
    assert!(
        under[0].starts_with("warning: readability of the handout, booklet, booklet-imposed text is "),
        "{under:?}"
    );
    assert!(under.iter().all(|l| l.contains("(Flesch–Douma, ") && l.ends_with("under min-readability 75")));
    // At the title, with what makes the score.
    assert!(run.stderr.contains("┌─ leaflets/hernia/nl.md:2:1"), "{}", run.stderr);
    assert!(run.stderr.contains("words per sentence"), "{}", run.stderr);
    // English has no minimum (its long sentences are still shown).
    let en = p.run(&["check", "--lang", "en"]);
    assert!(!en.stderr.contains("warning: readability of"), "{}", en.stderr);
}

#[test]
fn only_the_five_longest_sentences_are_shown_and_the_rest_counted() {
    let p = Project::demo();
    let many: String = (0..8).map(|_| format!("{LONG} ")).collect();
    p.edit(
        "leaflets/hernia/nl.md",
        "Gelukkig klopt dat beeld niet.",
        &format!("Gelukkig klopt dat beeld niet. {many}"),
    );
    let run = p.run(&["check", "--lang", "nl"]);
    assert_eq!(run.stderr.matches("warning: sentence of").count(), 5, "{}", run.stderr);
    let more =
        run.stderr.lines().find(|l| l.contains("more sentences of this file are over 25 words")).unwrap();
    // Eight added and the demo's own long Dutch sentences, less the five shown.
    let n: usize = more.trim_start_matches("   = hint: ").split(' ').next().unwrap().parse().unwrap();
    assert!(n >= 3, "{more}");
}

#[test]
fn status_shows_each_documents_score() {
    let p = Project::demo();
    let run = p.run(&["status"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table = run.stdout;
    assert!(table.contains("lang score band              words/sentence  >20 words  formula"), "{table}");
    for (lang, formula) in
        [("nl", "Flesch–Douma"), ("de", "Amstad"), ("en", "Flesch Reading Ease"), ("fr", "Kandel & Moles")]
    {
        let lines: Vec<&str> =
            table.lines().filter(|l| l.starts_with(&format!("  {lang} ")) && l.contains(formula)).collect();
        assert_eq!(lines.len(), 4, "{lang}: {table}");
        assert!(lines[0].ends_with("handout, booklet, booklet-imposed"), "{}", lines[0]);
        assert!(lines[1].ends_with("trifold") && lines[2].ends_with("poster"), "{table}");
        assert!(lines[3].ends_with("slides, slides-handout"), "{table}");
    }

    let json = p.run(&["status", "--message-format", "json"]);
    for line in json.stdout.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let readings = row["readability"].as_array().unwrap();
        let formats: usize = readings.iter().map(|r| r["formats"].as_array().unwrap().len()).sum();
        assert_eq!(formats, 7, "every format is measured: {row}");
        for r in readings {
            let (score, words, sentences) = (
                r["score"].as_f64().unwrap(),
                r["words"].as_u64().unwrap(),
                r["sentences"].as_u64().unwrap(),
            );
            assert!(words > 100 && sentences > 10 && r["syllables"].as_u64().unwrap() > words, "{r}");
            assert!((0.0..100.0).contains(&score), "{r}");
            assert_eq!(r["band"], leafpress::readability::band(score), "{r}");
            let asl = r["words_per_sentence"].as_f64().unwrap();
            assert!((asl - words as f64 / sentences as f64).abs() < 0.06, "{r}");
        }
    }
}

#[test]
fn the_same_words_in_shorter_sentences_score_higher() {
    let score = |sentence: &str| -> f64 {
        let p = Project::demo();
        p.edit(
            "leaflets/hernia/nl.md",
            "Gelukkig klopt dat beeld niet.",
            &format!("Gelukkig klopt dat beeld niet. {sentence}"),
        );
        let json = p.run(&["status", "--lang", "nl", "--message-format", "json"]);
        let row: serde_json::Value = serde_json::from_str(json.stdout.lines().next().unwrap()).unwrap();
        row["readability"][0]["score"].as_f64().unwrap()
    };
    let split = "Wie lang stilzit, veel tilt en weinig slaapt, heeft een wat grotere kans op klachten. Dat geldt ook voor wie vaak piekert. En voor wie rookt. Dat zeggen de meeste onderzoekers en artsen.";
    let one = "Wie lang stilzit, veel tilt en weinig slaapt, heeft een wat grotere kans op klachten, en dat geldt ook voor wie vaak piekert en voor wie rookt, zeggen de meeste onderzoekers en artsen.";
    assert!(score(split) > score(one), "{} {}", score(split), score(one));
}

#[test]
fn headings_tables_captions_and_alt_text_do_not_count() {
    let p = Project::fixture("small");
    p.write(
        "leaflets/topic/nl.md",
        r#"+++
title = "Testfolder"
lang = "nl"
region = "BE"
version = "1.0"
published = 2026-01-15
review-by = 2028-01-15
authors = ["Auteur"]
reviewers = ["Nalezer"]
+++

Rust helpt vaak. Bel bij twijfel de huisarts [@smith2020].

## Een kop die niet telt {#first}

> [!IMPORTANT]
> Blijf rustig bewegen.

### Nog een kop die niet telt

| kolom die niet telt | ook niet |
|---|---|
| cel | cel |

![Een beschrijving die niet telt](images/figure.svg "Een bijschrift dat niet telt")

- Wandel elke dag
- Zit niet te lang stil.

## Wanneer dringend hulp zoeken {#red-flags .urgent}

> [!IMPORTANT]
> Bel 112 bij verlies van controle over de blaas.

Ga meteen naar de spoedgevallendienst.
"#,
    );
    let json = p.run(&["status", "--message-format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let row: serde_json::Value = serde_json::from_str(json.stdout.lines().next().unwrap()).unwrap();
    let by = |format: &str| {
        row["readability"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["formats"].as_array().unwrap().iter().any(|f| f == format))
            .unwrap()
            .clone()
    };
    // Full text: the lead (2 sentences, 3 + 5 words; the citation is not a word), the key
    // message (3), the two list items (3 + 5, each a sentence), the red-flag key message (9)
    // and paragraph (5).
    let full = by("handout");
    assert_eq!((full["sentences"].as_u64(), full["words"].as_u64()), (Some(7), Some(33)), "{full}");
    // The poster and slides: the key messages, and the red-flag card (its key message; its
    // paragraph leads into no list of warning signs).
    let short = by("poster");
    assert_eq!((short["sentences"].as_u64(), short["words"].as_u64()), (Some(2), Some(12)), "{short}");
    // Syllables: rust helpt vaak 3, bel bij twij·fel de huis·arts 7, blijf rus·tig be·we·gen 6,
    // wan·del el·ke dag 5, zit niet te lang stil 5, bel 112 (3) bij ver·lies van con·tro·le
    // o·ver de blaas 15, ga me·teen naar de spoed·ge·val·len·dienst 10.
    assert_eq!(full["syllables"].as_u64(), Some(51), "{full}");
}
