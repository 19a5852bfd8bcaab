//! Content syntax through the real binary: tables, sized figures, the cover, link variables
//! and box labels as templates receive them, and what leafpress cannot print, each error whole
//! with its place in the file.

mod common;

use common::Project;
use serde_json::{Value, json};

const CONTENT: &str = "leaflets/topic/nl.md";

/// The line of the small fixture after which a test adds its own Markdown.
const ANCHOR: &str = "Een zin met een bron [@smith2020].\n";

/// The small fixture with `markdown` added to its first section.
fn with(markdown: &str) -> Project {
    let p = Project::fixture("small");
    p.edit(CONTENT, ANCHOR, &format!("{ANCHOR}\n{markdown}"));
    p
}

/// The data the handout's template reads, from an ejected Typst folder.
fn data(p: &Project) -> Value {
    let run = p.run(&["build", "--format", "handout", "--emit", "typst"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&p.read("out/topic/nl/handout/_leafpress/data.json")).unwrap()
}

#[test]
fn tables_sized_figures_and_link_variables_reach_the_template() {
    let p = with(
        "| Oefening | Hoe vaak |
|:--|--:|
| Brug [@smith2020] | 3 × per dag |
| Bel {practice} |

![Een oranje cirkel](images/figure.svg \"Een cirkel\"){width=50%}

[Mail ons]({email}), [bel ons]({phone}) of [maak een afspraak]({website}/afspraak).
",
    );
    let d = data(&p);
    let blocks = &d["sections"][0]["blocks"];
    let text = |t: &str| json!({"kind": "text", "text": t});
    assert_eq!(
        blocks[1],
        json!({
            "kind": "table",
            "header": [[text("Oefening")], [text("Hoe vaak")]],
            "align": ["left", "right"],
            "rows": [
                [[text("Brug "), {"kind": "cite", "keys": ["smith2020"], "form": "normal"}], [text("3 × per dag")]],
                [[text("Bel Test Practice")], []],
            ],
        })
    );
    let figure = json!({
        "kind": "figure", "src": "/images/figure.svg", "alt": "Een oranje cirkel", "caption": "Een cirkel", "width": 0.5
    });
    assert_eq!(blocks[2], figure);
    assert_eq!(d["figure"], figure);
    let urls: Vec<&Value> = blocks[3]["inlines"].as_array().unwrap().iter().map(|i| &i["url"]).collect();
    assert_eq!(
        urls,
        [
            &json!("mailto:hello@practice.example"),
            &Value::Null,
            &json!("tel:012345678"),
            &Value::Null,
            &json!("https://practice.example/afspraak"),
            &Value::Null,
        ]
    );
    let labels = &d["labels"];
    assert_eq!(
        [&labels["note"], &labels["tip"], &labels["warning"], &labels["caution"]],
        ["Opmerking", "Tip", "Waarschuwing", "Let op"]
    );
    assert_eq!(labels["warning_signs_page"], "Alle alarmsignalen staan op pagina");
    // Formats without a reference list get the table without its citation.
    let poster = p.run(&["build", "--format", "poster", "--emit", "typst"]);
    assert_eq!(poster.code, 0, "{}", poster.stderr);
    let poster: Value = serde_json::from_str(&p.read("out/topic/nl/poster/_leafpress/data.json")).unwrap();
    assert_eq!(poster["sections"][0]["blocks"][1]["rows"][0][0], json!([text("Brug")]));
}

#[test]
fn the_cover_is_the_figure_the_front_matter_names() {
    let p = Project::fixture("small");
    p.write("images/second.svg", p.read("images/figure.svg"));
    p.edit(CONTENT, "## Wanneer dringend", "## Oefeningen {#exercises}\n\n> [!IMPORTANT]\n> Oefen elke dag.\n\n![Tweede tekening](images/second.svg)\n\n## Wanneer dringend");
    assert_eq!(data(&p)["figure"]["src"], "/images/figure.svg", "the first figure by default");
    p.edit(
        CONTENT,
        "reviewers = [\"Nalezer\"]\n",
        "reviewers = [\"Nalezer\"]\ncover = \"images/second.svg\"\n",
    );
    assert_eq!(data(&p)["figure"]["src"], "/images/second.svg");
    std::fs::remove_dir_all(p.path("out")).unwrap();
    p.edit(CONTENT, "cover = \"images/second.svg\"", "cover = \"images/secnd.svg\"");
    p.fails(
        &["check"],
        "error: cover `images/secnd.svg` is not one of the content's figures
   ┌─ leaflets/topic/nl.md:10:9
   │
10 │ cover = \"images/secnd.svg\"
   │         ^^^^^^^^^^^^^^^^^^
   │
   = hint: did you mean `images/second.svg`? the cover is one of the images the content shows

",
    );
}

#[test]
fn what_leafpress_cannot_print_is_an_error_at_its_place() {
    let p = with(
        "> [!TIPP]
> Drink voldoende water.

Zie <b>hier</b> en [onze site]({webiste}).

<!-- nota voor de auteurs --> Zie ook de website.

Dit is belangrijk[^1].

[^1]: Volgens de richtlijn.

![Een oranje cirkel](images/figure.svg){width=150%}

---
",
    );
    p.fails(
        &["check"],
        "error: unknown alert type `[!TIPP]`
   ┌─ leaflets/topic/nl.md:21:3
   │
21 │ > [!TIPP]
   │   ^^^^^^^
   │
   = hint: did you mean `[!TIP]`? boxed notes are `[!NOTE]`, `[!TIP]`, `[!WARNING]` and `[!CAUTION]`; `[!IMPORTANT]` is the section's key message

error: HTML is not supported (`<b>`)
   ┌─ leaflets/topic/nl.md:24:5
   │
24 │ Zie <b>hier</b> en [onze site]({webiste}).
   │     ^^^
   │
   = hint: write **bold** in Markdown instead

error: unknown variable `{webiste}` in a link target
   ┌─ leaflets/topic/nl.md:24:32
   │
24 │ Zie <b>hier</b> en [onze site]({webiste}).
   │                                ^^^^^^^^^
   │
   = hint: write a full address (`https://…`, `mailto:…`, `tel:…`), or `{website}` (optionally followed by a path, `{website}/contact`), `{email}` or `{phone}` for the practice's own

error: text after a comment on the same line
   ┌─ leaflets/topic/nl.md:26:31
   │
26 │ <!-- nota voor de auteurs --> Zie ook de website.
   │                               ^^^^^^^^^^^^^^^^^^^
   │
   = hint: put the comment on a line of its own: the rest of its line is not printed

error: footnotes are not supported (`[^1]`)
   ┌─ leaflets/topic/nl.md:28:18
   │
28 │ Dit is belangrijk[^1].
   │                  ^^^^
   │
   = hint: cite a source with `[@key]`, or say it in the text itself; leafpress prints no footnotes

error: footnotes are not supported (`[^1]:`)
   ┌─ leaflets/topic/nl.md:30:1
   │
30 │ [^1]: Volgens de richtlijn.
   │ ^^^^^
   │
   = hint: cite a source with `[@key]`, or say it in the text itself; leafpress prints no footnotes

error: figure width `150%` is outside 5% to 100%
   ┌─ leaflets/topic/nl.md:32:41
   │
32 │ ![Een oranje cirkel](images/figure.svg){width=150%}
   │                                         ^^^^^^^^^^
   │
   = hint: size a figure with `{width=NN%}` (NN from 5 to 100) right after the image: `![alt](images/x.svg \"caption\"){width=50%}`

error: a thematic break (`---`) is not printed
   ┌─ leaflets/topic/nl.md:34:1
   │
34 │ ---
   │ ^^^
   │
   = hint: sections are separated by their `##` headings; leave the line out

",
    );
}

#[test]
fn an_unclosed_comment_is_an_error_where_it_opens() {
    let p = with("<!-- nota voor de auteurs\n\nDeze tekst zou verdwijnen.\n");
    p.fails(
        &["check"],
        "error: unclosed comment `<!--`
   ┌─ leaflets/topic/nl.md:21:1
   │
21 │ <!-- nota voor de auteurs
   │ ^^^^
   │
   = hint: end the comment with `-->`; until then everything after it is left out

",
    );
}

#[test]
fn comments_are_never_printed() {
    let p =
        with("<!-- een nota -->\nTekst <!-- binnen de zin --> gaat door.\n\n- punt <!-- bij een punt -->\n");
    let d = data(&p);
    let blocks = &d["sections"][0]["blocks"];
    assert_eq!(blocks[1]["inlines"][0]["text"], "Tekst  gaat door.");
    assert_eq!(blocks[2]["items"][0][0]["inlines"][0]["text"], "punt ");
    assert!(!d.to_string().contains("nota"), "{d}");
}

#[test]
fn a_section_without_a_key_message_warns_and_fails_strict() {
    let p = Project::fixture("small");
    p.edit(
        CONTENT,
        "## Wanneer dringend",
        "## Oefeningen {#exercises}\n\nOefen elke dag.\n\n## Wanneer dringend",
    );
    let warning = "section `exercises` has no key message
   ┌─ leaflets/topic/nl.md:23:1
   │
23 │ ## Oefeningen {#exercises}
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: the poster shows sections by their key message and leaves this one out; add a one- or two-sentence `> [!IMPORTANT]`

";
    let run = p.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rest =
        run.stderr.strip_prefix(&format!("warning: {warning}")).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(rest.starts_with("checked 1 content file (7 documents) in "), "{rest}");
    p.fails(&["check", "--strict"], &format!("error: {warning}"));
}

#[test]
fn a_project_label_table_may_leave_built_in_keys_out() {
    let p = Project::fixture("small");
    p.write("labels/nl.toml", "note = \"Nota\"\n");
    let labels = &data(&p)["labels"];
    assert_eq!((&labels["note"], &labels["tip"]), (&json!("Nota"), &json!("Tip")));
    std::fs::remove_dir_all(p.path("out")).unwrap();
    p.write("labels/nl.toml", "note = \"Nota\"\nscna = \"Scan mij\"\n");
    p.fails(
        &["check"],
        "error: unknown label `scna` in the labels for `nl`
  ┌─ labels/nl.toml:2:1
  │
2 │ scna = \"Scan mij\"
  │ ^^^^
  │
  = hint: did you mean `scan`? the keys are those of leafpress's built-in labels/en.toml

",
    );
}

#[test]
fn translation_parity_compares_tables() {
    let p = with("| Oefening | Hoe vaak |\n|---|---|\n| Brug | 3 × |\n| Kat | 2 × |\n");
    p.edit("leafpress.toml", "[brand]", "[project]\nsource-language = \"nl\"\n\n[brand]");
    let en = p.read(CONTENT).replace("lang = \"nl\"", "lang = \"en\"").replace("| Kat | 2 × |\n", "");
    p.write("leaflets/topic/en.md", en);
    let run = p.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    let expected = "error: section `first` has 1 rows × 2 columns in table 1 where the source has 2 × 2 (leaflets/topic/nl.md, line 14)
   ┌─ leaflets/topic/en.md:14:1
   │
14 │ ## Eerste deel {#first}
   │ ^^^^^^^^^^^^^^^^^^^^^^^

";
    assert!(run.stderr.starts_with(expected), "{}", run.stderr);
}
