//! Translations kept in step with the source language: parity errors and stale warnings from
//! `leafpress check` (and `build`), each with its whole message.

mod common;

use common::Project;

#[test]
fn the_demo_translations_match_the_source() {
    let p = Project::demo();
    let run = p.run(&["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Nothing but advice on long sentences (never an error, even with --strict).
    let (rest, readability) = run.stderr_without_readability();
    assert!(rest.starts_with("checked 6 content files (60 documents) in "), "{}", run.stderr);
    let warnings = match readability {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    };
    assert!(rest.ends_with(&format!(" s: no errors{warnings}\n")), "{}", run.stderr);
}

#[test]
fn a_translation_that_drops_a_list_item_or_a_quote_fails() {
    let p = Project::demo();
    p.edit("leaflets/hernia/en.md", "- **Time and keeping at it.** Nature often does most of the work: recovery takes weeks to months, not days.\n", "");
    p.edit(
        "leaflets/hernia/en.md",
        "\n> “Your back is not made of glass. It is built to move, to carry loads and to heal.”\n",
        " Your back will be fine [@waddell1998].\n",
    );
    let run = p.run(&["check", "--lang", "en"]);
    let (errors, summary) = run.stderr.rsplit_once("\n\n").unwrap();
    // The English deck includes the topic and is held back with it.
    assert!(summary.starts_with("checked 2 content files (0 documents) in "), "{summary}");
    assert!(summary.ends_with(" s: 3 errors\n"), "{summary}");
    assert_eq!(
        format!("{errors}\n\n"),
        "error: section `what-helps` has 3 items in list 1 where the source has 4 (leaflets/hernia/nl.md, line 95)
    ┌─ leaflets/hernia/en.md:112:1
    │
112 │ ## What does help {#what-helps}
    │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error: section `summary` has 0 quote(s) where the source has 1 (leaflets/hernia/nl.md, line 112)
    ┌─ leaflets/hernia/en.md:128:1
    │
128 │ ## In short {#summary}
    │ ^^^^^^^^^^^^^^^^^^^^^^

error: section `summary` cites waddell1998 which the source does not (leaflets/hernia/nl.md, line 112)
    ┌─ leaflets/hernia/en.md:128:1
    │
128 │ ## In short {#summary}
    │ ^^^^^^^^^^^^^^^^^^^^^^

",
    );
    assert_eq!(run.code, 1);
    // `build` runs the same checks and withholds the translation (see policies.rs for the
    // other languages building beside it).
    assert_eq!(p.run(&["build", "--lang", "en"]).code, 1);
    assert!(p.pdfs().is_empty());
}

#[test]
fn a_missing_or_extra_section_is_named() {
    let p = Project::demo();
    let en = p.read("leaflets/hernia/en.md");
    let start = en.find("## How common is it? {#how-common}").unwrap();
    let end = en.find("## Why do they happen").unwrap();
    p.write(
        "leaflets/hernia/en.md",
        format!("{}## Extra {{#extra}}\n\n> [!IMPORTANT]\n> More.\n\n{}", &en[..start], &en[end..]),
    );
    let run = p.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: section `how-common` of leaflets/hernia/nl.md (line 24) is missing from this translation\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= hint: translate it here, with the same id: `## … {#how-common}`"));
    assert!(
        run.stderr.contains("error: section `extra` is not in leaflets/hernia/nl.md\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_changed_source_section_makes_every_translation_stale() {
    let p = Project::demo();
    p.edit("leaflets/hernia/nl.md", "Hernia’s zijn verrassend alledaags.", "Hernia’s zijn heel gewoon.");
    let run = p.run(&["check", "--lang", "fr"]);
    assert_eq!(run.code, 0, "stale is a warning by default");
    // The hint gives the fingerprint of the changed source section.
    let nl = p.read("leaflets/hernia/nl.md");
    let start = nl.find("## Hoe vaak komt het voor?").unwrap();
    let end = start + nl[start..].find("\n## Waarom").unwrap() + 1;
    let fresh = leafpress::translation::stale::fingerprint(&nl[start..end]);
    let (stderr, _) = run.stderr_without_readability();
    let (warnings, summary) = stderr.split_at(stderr.find("checked ").unwrap());
    assert_eq!(
        warnings,
        format!(
            "warning: section `how-common` is stale: leaflets/hernia/nl.md (line 24) changed since it was translated
   ┌─ leaflets/hernia/fr.md:17:14
   │
17 │ how-common = \"8d401ada2a15\"
   │              ^^^^^^^^^^^^^^
   │
   = hint: source change: “…maanden, zonder operatie. Hernia’s zijn [-verrassend alledaags.-]{{+heel gewoon.+}} Beeldvormend onderzoek toont dat bij…”
   = hint: when the translation matches the source again, run `leafpress accept hernia fr how-common` (it writes `how-common = \"{fresh}\"` under [translated-from])

"
        )
    );
    assert!(summary.starts_with("checked 1 content file (14 documents) in "), "{summary}");

    assert_eq!(run.stderr.matches("is stale").count(), 1, "only that section is stale");

    // Every translation reports it; with --strict it fails.
    let all = p.run(&["check"]);
    assert_eq!(all.stderr.matches("section `how-common` is stale").count(), 3, "{}", all.stderr);
    let strict = p.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1);
    assert_eq!(strict.stderr.matches("error: section `how-common` is stale").count(), 3);

    // Marking it refreshed, as the hint says, clears it.
    p.edit("leaflets/hernia/fr.md", "how-common = \"8d401ada2a15\"", &format!("how-common = \"{fresh}\""));
    let run = p.run(&["check", "--lang", "fr", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // A changed introduction is reported too.
    p.edit("leaflets/hernia/nl.md", "Gelukkig klopt dat beeld niet.", "Gelukkig klopt dat niet.");
    let run = p.run(&["check", "--lang", "de"]);
    assert!(
        run.stderr.starts_with("warning: the introduction is stale: leaflets/hernia/nl.md (line 13) changed since it was translated\n"),
        "{}",
        run.stderr
    );
}
