//! Country variants through the binary: a paragraph ending in `{country=UK}` replaces the
//! paragraph before it in the documents of UK practices only (the demo's English red-flag
//! text: "Go to A&E straight away or call 999" where others read "contact the emergency
//! department or your doctor").

mod common;

use common::{Pdf, Project, squash};

const UK_BRAND: &str = r##"[brand]
name = "Thames Physio"
logo = "images/logo-zuiderpark.svg"
logo-alt = "Logo of Thames Physio"
country = "UK"
address = ["1 River Street", "London SE1 1AA"]
phone = "020 7946 0000"
email = "info@thames.example"

[brand.colors]
primary = "#1f4e8c"
"##;

#[test]
fn a_uk_practice_gets_its_own_emergency_action_and_the_others_keep_theirs() {
    let p = Project::demo();
    p.write("brands/thames.toml", UK_BRAND);
    let run = p.run(&["build", "--lang", "en", "--format", "handout", "--format", "booklet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = |brand: &str, format: &str| {
        squash(&Pdf::open(&p.path(&format!("out/{brand}/hernia/en/{format}.pdf"))).text())
    };
    let uk_action = squash("Go to A&E straight away or call 999. Do not wait for a GP appointment.");
    let general = squash("Then you must contact the emergency department or your doctor straight away.");
    // The formats that print the red-flag section's text (the cards of the trifold, poster
    // and slides hold its key message, warning signs and numbers: 999 for the UK).
    for format in ["handout", "booklet"] {
        let uk = text("thames", format);
        assert!(uk.contains(&uk_action), "{format}: {uk}");
        assert!(!uk.contains(&general), "{format}: the paragraph it replaces is gone");
        // The rest of the red-flag paragraph is the same for everyone: nothing is shortened.
        assert!(uk.contains(&squash("Urgent surgery can prevent lasting damage.")), "{format}");
        let be = text("de-linde", format);
        assert!(be.contains(&general), "{format}: {be}");
        assert!(be.contains(&squash("Go to the emergency department immediately or call 112.")), "{format}");
        assert!(!be.contains(&uk_action), "{format}");
    }
}

#[test]
fn a_variant_is_checked_like_the_paragraph_it_replaces() {
    let p = Project::demo();
    // The variant stands in for the source's paragraph: parity is unchanged, and the
    // variant's citations must exist.
    let check = p.run(&["check", "--lang", "en"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    p.edit(
        "leaflets/hernia/en.md",
        "slipped discs [@gardner2011]. {country=UK}",
        "slipped discs [@nobody2020]. {country=UK}",
    );
    let check = p.run(&["check", "--lang", "en"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("nobody2020"), "{}", check.stderr);
}
