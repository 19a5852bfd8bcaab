//! `leafpress init` and `leafpress new`, as a new user runs them: with the binary alone, in
//! an empty folder (no fonts/), then straight into `build`.

mod common;

use common::{Pdf, Project};

#[test]
fn init_then_build_works_in_an_empty_folder_in_every_language() {
    for lang in ["nl", "en", "fr", "de"] {
        let p = Project::empty();
        let run = p.run(&["init", "practice", "--lang", lang]);
        assert_eq!(run.code, 0, "{lang}: {}", run.stderr);
        assert!(run.stderr.contains("next: cd practice && leafpress build"), "{}", run.stderr);
        assert!(!p.path("practice/fonts").exists(), "the default font is built in");
        let build = p.run(&["build", "--root", "practice"]);
        assert_eq!(build.code, 0, "{lang}: {}", build.stderr);
        assert!(!build.stderr.contains("warning"), "{lang}: {}", build.stderr);
        assert_eq!(p.manifest("practice/out").len(), 7, "{lang}: every format");
        // The sample shows what a leaflet holds: its citation, table, boxed note, the
        // practice's details filled in, and the red-flag card.
        let pdf = Pdf::open(&p.path(&format!("practice/out/low-back-pain/{lang}/handout.pdf")));
        let text = pdf.text();
        assert!(text.contains("Jensen"), "{lang}: the citation");
        assert_eq!(pdf.tables().len(), 1, "{lang}: the table");
        assert!(
            !text.contains("{practice}") && !text.contains("{profession}"),
            "{lang}: variables filled in"
        );
    }
}

#[test]
fn init_never_overwrites_and_writes_nothing_when_a_file_exists() {
    let p = Project::empty();
    p.write("leafpress.toml", "# mine\n");
    let run = p.run(&["init"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: . already has leafpress.toml; nothing was written
 = hint: leafpress never overwrites a file: choose an empty folder, or move these files away first

"
    );
    assert_eq!(p.read("leafpress.toml"), "# mine\n");
    assert!(!p.path("leaflets").exists() && !p.path("images").exists());
}

#[test]
fn new_adds_a_topic_that_checks_and_builds() {
    let p = Project::empty();
    assert_eq!(p.run(&["init"]).code, 0);
    let run = p.run(&["new", "neck-pain", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(p.path("leaflets/neck-pain/en.md").is_file());
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let build = p.run(&["build", "--topic", "neck-pain", "--format", "handout", "--format", "trifold"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // Again: the file exists, nothing changes.
    let before = p.read("leaflets/neck-pain/en.md");
    p.write("leaflets/neck-pain/en.md", before.replace("Title of the leaflet", "Neck pain"));
    let again = p.run(&["new", "neck-pain", "--lang", "en"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.starts_with("error: . already has leaflets/neck-pain/en.md; nothing was written"));
    assert!(p.read("leaflets/neck-pain/en.md").contains("Neck pain"));
}

#[test]
fn new_outside_a_project_or_with_a_bad_id_is_a_usage_error() {
    let p = Project::empty();
    let run = p.run(&["new", "neck-pain"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: . is not a leafpress project (no leafpress.toml)
 = hint: run `leafpress new` in a project folder, or start one with `leafpress init`

"
    );
    assert_eq!(p.run(&["init"]).code, 0);
    let run = p.run(&["new", "Neck Pain"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: `Neck Pain` is not a topic id\n"), "{}", run.stderr);
}
