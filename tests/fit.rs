//! Fixed-size formats fail loudly when content does not fit, and the layout's choices are
//! checked against the content, each with one whole message.

mod common;

use common::Project;

const CONTENT: &str = "leaflets/hernia/nl.md";
const KEY_MESSAGE: &str = "> Bij een hernia puilt de zachte kern van een tussenwervelschijf een beetje uit. Veel mensen hebben er een zonder pijn.";

/// The demo with the first key message made `times` sentences longer.
fn long_key_message(times: usize) -> Project {
    let p = Project::demo();
    p.edit(CONTENT, KEY_MESSAGE, &format!("{KEY_MESSAGE}{}", " Dat is niet erg.".repeat(times)));
    p
}

#[test]
fn trifold_that_does_not_fit_names_the_cause_and_the_overflow() {
    let p = long_key_message(150);
    p.fails_to_compile(&["build", "--format", "trifold", "--lang", "nl", "--brand", "de-linde"],
        "error: trifold (nl) does not fit at the smallest allowed type size of 10 pt: the key message of section `what-is` overflows by 56.1 mm
 = hint: the content comes from leaflets/hernia/nl.md
 = hint: a key message or opening paragraph is kept whole in one panel, and this one is taller than a panel: shorten it (one or two sentences suit a key message)

",
    );
}

#[test]
fn trifold_shrinks_type_only_when_key_messages_do_not_fit() {
    // The demo as it is: text is left out before the type shrinks below 11.75 pt.
    let p = long_key_message(95);
    let run = p.run(&["build", "--format", "trifold", "--lang", "nl", "--brand", "de-linde"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("type 10.25 pt, card on the back cover, 4 of 12 parts in full"),
        "{}",
        run.stderr
    );
    assert!(common::Pdf::open(&p.path("out/de-linde/hernia/nl/trifold.pdf")).pages() == 2);
}

#[test]
fn poster_leaves_out_key_messages_before_it_fails() {
    let p = Project::demo();
    p.edit("leafpress.toml", "paper = \"a3\"", "paper = \"a4\"");
    p.edit(
        "leafpress.toml",
        "\"what-helps\", \"summary\"]",
        "\"what-helps\", \"recovery\", \"summary\", \"how-common\"]",
    );
    let run = p.run(&["build", "--format", "poster", "--lang", "nl", "--brand", "de-linde"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("type 14 pt, 4 of 6 key messages, warning signs in two columns"),
        "{}",
        run.stderr
    );
}

#[test]
fn poster_fails_when_the_card_alone_does_not_fit() {
    let p = Project::demo();
    p.edit("leafpress.toml", "paper = \"a3\"", "paper = \"a4\"");
    let sign = "- Krachtverlies in beide benen of moeilijk kunnen stappen";
    p.edit(
        CONTENT,
        sign,
        &format!("{sign}\n{}", format!("{sign}, ook als je rust en ook als je ligt\n").repeat(24)),
    );
    p.fails_to_compile(&["build", "--format", "poster", "--lang", "nl", "--brand", "de-linde"],
        "error: poster (nl) does not fit at the smallest allowed type size of 14 pt: the A4 page overflows by 133.6 mm
 = hint: the content comes from leaflets/hernia/nl.md
 = hint: the red-flag card (its key message and every warning sign) takes most of the page, and the poster never shortens it: use larger paper with [layout.poster] paper, or write the warning signs more briefly

",
    );
}

#[test]
fn slide_that_does_not_fit_is_named() {
    let p = long_key_message(60);
    p.fails_to_compile(&["build", "--topic", "hernia", "--format", "slides", "--lang", "nl", "--brand", "de-linde"],
        "error: slides (nl) does not fit its slides at 28 pt: slide `section` of section `what-is` overflows by 189.0 mm
 = hint: the content comes from leaflets/hernia/nl.md
 = hint: shorten the text on that slide (the full text belongs in the presenter notes)

",
    );
    assert!(!p.path("out/de-linde/hernia/nl/slides.pdfpc").exists());
    // In a teaching deck that includes the section, the message points at the topic's text.
    p.fails_to_compile(&["build", "--topic", "decks/hernia-les", "--format", "slides", "--lang", "nl"],
        "error: slides (nl) does not fit its slides at 28 pt: slide `section` of section `hernia.what-is` overflows by 189.0 mm
 = hint: the content comes from leaflets/hernia/nl.md
 = hint: shorten the text on that slide (the full text belongs in the presenter notes)

",
    );
}

#[test]
fn layout_cannot_leave_out_the_red_flags_or_name_unknown_sections() {
    let p = Project::demo();
    p.edit("leafpress.toml", "[\"what-is\", \"resorption\"", "[\"wat-is\", \"resorption\"");
    p.edit("leafpress.toml", "\"resorption\", \"red-flags\",", "\"resorption\",");
    p.fails(&["build", "--lang", "nl", "--brand", "de-linde"],
        "error: [layout.poster] names section `wat-is`, which leaflets/hernia/nl.md does not have
   ┌─ leafpress.toml:53:13
   │
53 │ sections = [\"wat-is\", \"resorption\", \"what-helps\", \"summary\"]
   │             ^^^^^^^^
   │
   = hint: did you mean `what-is`?
   = hint: sections: what-is, how-common, causes, adaptation, resorption, red-flags, recognise, what-not, what-helps, recovery, summary

error: [layout.poster] sections leaves out the red-flag section `red-flags`
   ┌─ leafpress.toml:53:12
   │
53 │ sections = [\"wat-is\", \"resorption\", \"what-helps\", \"summary\"]
   │            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: the red-flag section must appear in every format: add \"red-flags\"

",
    );
}

#[test]
fn layout_keys_are_checked_per_format() {
    let p = Project::demo();
    p.edit("leafpress.toml", "body-size = 13", "body-size = 13\nlists = [\"summary\"]");
    p.edit(
        "leafpress.toml",
        "lists = [\"what-not\", \"what-helps\"]",
        "lists = [\"what-not\", \"what-helps\"]\nmin-body-size = 9",
    );
    p.fails(
        &["build", "--brand", "de-linde"],
        "error: `lists` does not apply to [layout.handout]
   ┌─ leafpress.toml:40:9
   │
40 │ lists = [\"summary\"]
   │         ^^^^^^^^^^^
   │
   = hint: `lists` only applies to [layout.trifold]

error: min-body-size 9 pt is outside 10–48 pt for [layout.trifold]
   ┌─ leafpress.toml:49:17
   │
49 │ min-body-size = 9
   │                 ^
   │
   = hint: trifold panels need at least 10 pt

",
    );
}

#[test]
fn bleed_outside_the_usual_range_is_refused() {
    let p = Project::demo();
    let run = p.run(&["build", "--bleed", "12"]);
    // A bad command line, like clap's own errors.
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --bleed 12 is outside 0–5 mm\n = hint: printers usually ask for 3 mm of bleed\n\n"
    );
}
