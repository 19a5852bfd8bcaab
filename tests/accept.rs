//! A translation round through the binary on copies of the demo: the source changes, the
//! stale warning shows what changed (from the text `accept` kept), and `accept` records the
//! translation as current again without touching anything else in its file.

mod common;

use common::Project;

/// The lines of `after` that differ from `before` (same line count assumed).
fn changed_lines<'a>(before: &str, after: &'a str) -> Vec<&'a str> {
    assert_eq!(before.lines().count(), after.lines().count(), "{after}");
    before.lines().zip(after.lines()).filter(|(a, b)| a != b).map(|(_, b)| b).collect()
}

#[test]
fn accept_writes_the_fingerprints_asked_for_and_nothing_else() {
    let p = Project::demo();
    // A comment on a fingerprint line, to be kept.
    let en = p.read("leaflets/hernia/en.md");
    let line = en.lines().find(|l| l.starts_with("what-is = \"")).unwrap();
    p.edit("leaflets/hernia/en.md", line, &format!("{line} # checked by An"));
    p.edit(
        "leaflets/hernia/nl.md",
        "Veel mensen hebben er een zonder pijn.",
        "Veel mensen hebben er een zonder enige pijn.",
    );
    p.edit("leaflets/hernia/nl.md", "Dat klinkt eng,", "Dat klinkt wat eng,");
    let check = p.run(&["check", "--lang", "en"]);
    assert!(check.stderr.contains("warning: section `what-is` is stale"), "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "hint: when the translation matches the source again, run `leafpress accept hernia en what-is`"
        ),
        "{}",
        check.stderr
    );

    let before = p.read("leaflets/hernia/en.md");
    let run = p.run(&["accept", "hernia", "en", "what-is"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "accepted 1 part of hernia/en.md: what-is\n");
    let after = p.read("leaflets/hernia/en.md");
    let changed = changed_lines(&before, &after);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].starts_with("what-is = \"") && changed[0].ends_with("\" # checked by An"),
        "{changed:?}"
    );
    assert!(p.path("leaflets/hernia/en.accepted.toml").is_file());
    assert_eq!(p.run(&["check", "--lang", "en", "--strict"]).code, 0, "current again");

    // Every part at once; again is nothing to do.
    let run = p.run(&["accept", "hernia", "fr"]);
    assert_eq!(run.stderr, "accepted 1 part of hernia/fr.md: what-is (11 current already)\n");
    let run = p.run(&["accept", "hernia", "fr"]);
    assert_eq!(run.stderr, "hernia/fr.md: nothing to accept (12 current already)\n");

    // Mistakes on the command line.
    let run = p.run(&["accept", "hernia", "en", "wat-is"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: leaflets/hernia/nl.md has no part `wat-is`\n = hint: did you mean `what-is`?"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(p.run(&["accept", "hernia", "nl"]).code, 2, "the source is not a translation");
    assert_eq!(p.run(&["accept", "knee", "en"]).code, 2);
}

#[test]
fn a_stale_warning_shows_the_source_change_since_acceptance() {
    let p = Project::demo();
    assert_eq!(p.run(&["accept", "hernia", "de"]).code, 0, "records the accepted text");
    p.edit(
        "leaflets/hernia/nl.md",
        "Veel mensen hebben er een zonder pijn.",
        "Veel mensen hebben er een zonder enige pijn.",
    );
    let run = p.run(&["check", "--lang", "de"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "hint: source change: “…mensen hebben er een zonder {+enige+} pijn. Een hernia betekent dat…”"
        ),
        "{}",
        run.stderr
    );
    // Without the accepted text (never accepted with leafpress): the warning, no diff.
    std::fs::remove_file(p.path("leaflets/hernia/en.accepted.toml")).unwrap();
    let run = p.run(&["check", "--lang", "en"]);
    assert!(
        run.stderr.contains("warning: section `what-is` is stale") && !run.stderr.contains("source change")
    );
}

#[test]
fn accept_refuses_a_translation_that_differs_in_structure() {
    let p = Project::demo();
    p.edit("leaflets/hernia/en.md", "- **Time and keeping at it.**", "**Time and keeping at it.**");
    p.edit(
        "leaflets/hernia/nl.md",
        "Veel mensen hebben er een zonder pijn.",
        "Veel mensen hebben er een zonder enige pijn.",
    );
    let before = p.read("leaflets/hernia/en.md");
    let accepted = p.read("leaflets/hernia/en.accepted.toml");
    let run = p.run(&["accept", "hernia", "en"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: section `what-helps` has 3 items in list 1 where the source has 4"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error: nothing was accepted: leaflets/hernia/en.md differs from the source in structure"
        )
    );
    assert_eq!(p.read("leaflets/hernia/en.md"), before);
    assert_eq!(p.read("leaflets/hernia/en.accepted.toml"), accepted);
}

#[test]
fn a_first_accept_adds_the_table_at_the_end_of_the_front_matter() {
    let p = Project::demo();
    let en = p.read("leaflets/hernia/en.md");
    let start = en.find("[translated-from]").unwrap();
    let end = en[start..].find("+++").unwrap() + start;
    p.write("leaflets/hernia/en.md", format!("{}{}", &en[..start], &en[end..]));
    let run = p.run(&["accept", "hernia", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap().split(':').next().unwrap(),
        "accepted 12 parts of hernia/en.md"
    );
    let after = p.read("leaflets/hernia/en.md");
    assert!(after.starts_with(&en[..start]), "the front matter before the table is unchanged");
    assert_eq!(p.run(&["check", "--lang", "en", "--strict"]).code, 0);
}
