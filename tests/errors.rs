//! Bad input: each gives one whole, located message, exit code 1, and no PDF.

mod common;

use common::Project;

const CONTENT: &str = "leaflets/topic/nl.md";

/// Builds `p` and checks that it fails with exactly `expected` on stderr and writes nothing.
#[track_caller]
fn fails_with(p: &Project, expected: &str) {
    p.fails(&["build"], expected);
}

#[test]
fn unknown_toml_key() {
    let p = Project::fixture("small");
    p.edit("leafpress.toml", "phone =", "fone =");
    fails_with(
        &p,
        "error: unknown key `fone` in [brand]
  ┌─ leafpress.toml:7:1
  │
7 │ fone = \"01 234 56 78\"
  │ ^^^^
  │
  = hint: did you mean `phone`? the keys of [brand] are `id`, `name`, `tagline`, `logo`, `logo-alt`, `country`, `address`, `phone`, `email`, `website`, `leaflets-url`, `font`, `colors`, `numbers`

",
    );
}

#[test]
fn malformed_toml() {
    let p = Project::fixture("small");
    p.edit("leafpress.toml", "country = \"BE\"", "country = BE");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: failed to read leafpress.toml ("), "{}", run.stderr);
    assert!(run.stderr.contains("┌─ leafpress.toml:5:11"), "{}", run.stderr);
    assert!(p.pdfs().is_empty());
}

#[test]
fn missing_front_matter_field() {
    let p = Project::fixture("small");
    p.edit(CONTENT, "title = \"Testfolder\"\n", "");
    fails_with(
        &p,
        "error: the front matter has no `title` (the leaflet's title)
  ┌─ leaflets/topic/nl.md:1:1
  │
1 │ +++
  │ ^^^
  │
  = hint: add to the front matter: title = \"Low back pain\"

",
    );
}

#[test]
fn unknown_citation_key() {
    let p = Project::fixture("small");
    p.edit(CONTENT, "@smith2020", "@smith2021");
    fails_with(
        &p,
        "error: unknown citation key `smith2021`
   ┌─ leaflets/topic/nl.md:19:23
   │
19 │ Een zin met een bron [@smith2021].
   │                       ^^^^^^^^^^
   │
   = hint: did you mean `smith2020`? keys are defined in leaflets/topic/references.yml

",
    );
}

#[test]
fn malformed_citation() {
    let p = Project::fixture("small");
    p.edit(CONTENT, "[@smith2020]", "[@smith2020; smith]");
    fails_with(
        &p,
        "error: malformed citation `[@smith2020; smith]`
   ┌─ leaflets/topic/nl.md:19:22
   │
19 │ Een zin met een bron [@smith2020; smith].
   │                      ^^^^^^^^^^^^^^^^^^^
   │
   = hint: write `[@key]`, `[@key1; @key2]`, or `[-@key]` after the authors' names; write `\\[` for a literal bracket

",
    );
}

#[test]
fn missing_image() {
    let p = Project::fixture("small");
    p.edit(CONTENT, "images/figure.svg", "images/missing.svg");
    fails_with(
        &p,
        "error: failed to use image (file `images/missing.svg` not found)
   ┌─ leaflets/topic/nl.md:21:1
   │
21 │ ![Een oranje cirkel](images/missing.svg)
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: image paths are relative to this file or to the project folder, and must stay inside it

",
    );
}

#[test]
fn image_without_alt_text() {
    let p = Project::fixture("small");
    p.edit(CONTENT, "![Een oranje cirkel]", "![]");
    fails_with(
        &p,
        "error: image `images/figure.svg` has no alt text
   ┌─ leaflets/topic/nl.md:21:1
   │
21 │ ![](images/figure.svg)
   │ ^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: describe the picture between the brackets: `![what the picture shows](path)`

",
    );
}

#[test]
fn duplicate_section_id() {
    let p = Project::fixture("small");
    p.edit(CONTENT, "{#red-flags .urgent}", "{#first .urgent}");
    fails_with(
        &p,
        "error: duplicate section id `first`
   ┌─ leaflets/topic/nl.md:23:1
   │
23 │ ## Wanneer dringend hulp zoeken {#first .urgent}
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: `first` is already used on line 14; every section needs its own id

",
    );
}

#[test]
fn content_not_utf8() {
    let p = Project::fixture("small");
    let mut bytes = p.read(CONTENT).into_bytes();
    bytes.extend_from_slice(b"Caf\xe9\n");
    p.write(CONTENT, bytes);
    fails_with(
        &p,
        "error: failed to read content (the file is not valid UTF-8)
   ┌─ leaflets/topic/nl.md:26:4
   │
26 │ Caf\u{fffd}
   │    ^
   │
   = hint: save the file as UTF-8; the first invalid byte is marked

",
    );
}

#[test]
fn missing_red_flag_section() {
    let p = Project::fixture("small");
    p.edit(
        CONTENT,
        "## Wanneer dringend hulp zoeken {#red-flags .urgent}",
        "## Wanneer dringend hulp zoeken {#signs}",
    );
    fails_with(
        &p,
        "error: the content has no red-flag section
   ┌─ leaflets/topic/nl.md:12:1
   │
12 │ Een korte inleiding.
   │ ^^^
   │
   = hint: mark the section on when to seek urgent help with `.urgent`, e.g. `## When to get help now {#red-flags .urgent}`

",
    );
}

#[test]
fn low_contrast_brand_colour() {
    let p = Project::fixture("small");
    p.edit("leafpress.toml", "primary = \"#0b5d66\"", "primary = \"#7fa7ad\"");
    fails_with(
        &p,
        "error: colour `primary` (#7fa7ad) has a contrast of 2.61:1 against `background` (#ffffff); headings must have at least 4.5:1
   ┌─ leafpress.toml:13:11
   │
13 │ primary = \"#7fa7ad\"
   │           ^^^^^^^^^
   │
   = hint: darken `primary` or lighten `background` (WCAG 2 AA)

",
    );
}

#[test]
fn corrupt_raster_logo() {
    let p = Project::fixture("small");
    p.write("images/logo.png", "not a png");
    p.edit("leafpress.toml", "images/logo.svg", "images/logo.png");
    fails_with(
        &p,
        "error: failed to use the logo (the file is not a PNG image (nor any image format leafpress reads))
  ┌─ leafpress.toml:3:8
  │
3 │ logo = \"images/logo.png\"
  │        ^^^^^^^^^^^^^^^^^
  │
  = hint: export the image again as SVG, PNG or JPEG, and name it for its format

",
    );
}

#[test]
fn image_path_escaping_the_root() {
    let p = Project::fixture("small");
    p.edit(CONTENT, "images/figure.svg", "../../../../etc/hostname.svg");
    fails_with(
        &p,
        "error: failed to use image (`../../../../etc/hostname.svg` points outside the project folder)
   ┌─ leaflets/topic/nl.md:21:1
   │
21 │ ![Een oranje cirkel](../../../../etc/hostname.svg)
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: image paths are relative to this file or to the project folder, and must stay inside it

",
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_refused() {
    let p = Project::fixture("small");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("secret.svg");
    std::fs::write(&target, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::os::unix::fs::symlink(&target, p.path("images/link.svg")).unwrap();
    p.edit(CONTENT, "images/figure.svg", "images/link.svg");
    fails_with(
        &p,
        "error: failed to use image (`images/link.svg` leads outside the project folder (through a symlink))
   ┌─ leaflets/topic/nl.md:21:1
   │
21 │ ![Een oranje cirkel](images/link.svg)
   │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: image paths are relative to this file or to the project folder, and must stay inside it

",
    );

    // Typst itself, asked by a template for the same file, is refused too.
    p.edit(CONTENT, "images/link.svg", "images/figure.svg");
    p.write("templates/handout.typ", "#read(\"/images/link.svg\")\n");
    let run = p.run(&["build", "--format", "handout"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("images/link.svg leads outside the project folder"), "{}", run.stderr);
    assert!(p.pdfs().is_empty());
}

#[test]
fn package_imports_fail_offline() {
    let p = Project::fixture("small");
    p.write("templates/handout.typ", "#import \"@preview/cetz:0.3.0\": canvas\nHello\n");
    p.fails_to_compile(
        &["build", "--format", "handout"],
        "error: failed to load package (@preview/cetz:0.3.0: packages are not available offline)
  ┌─ templates/handout.typ:1:9
  │
1 │ #import \"@preview/cetz:0.3.0\": canvas
  │         ^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: leafpress works offline: copy what you need into the project's templates/ folder

",
    );
}

#[test]
fn template_errors_are_located() {
    let p = Project::fixture("small");
    p.write("templates/handout.typ", "#import \"common.typ\": *\n#let x = data.nothing-here\n");
    p.fails_to_compile(
        &["build", "--format", "handout"],
        "error: dictionary does not contain key \"nothing-here\"
  ┌─ templates/handout.typ:2:15
  │
2 │ #let x = data.nothing-here
  │               ^^^^^^^^^^^^

",
    );
}

#[test]
fn failed_rebuild_keeps_the_previous_pdf() {
    let p = Project::fixture("small");
    assert_eq!(p.run(&["build"]).code, 0);
    let pdf = p.path("out/topic/nl/handout.pdf");
    let before = std::fs::read(&pdf).unwrap();
    p.edit(CONTENT, "@smith2020", "@nobody");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
    let leftovers: Vec<_> =
        std::fs::read_dir(pdf.parent().unwrap()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(
        leftovers.iter().all(|n| !n.to_string_lossy().starts_with('.')),
        "temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn unreadable_bibliography_is_reported_alone() {
    let p = Project::fixture("small");
    p.write("leaflets/topic/references.yml", "smith2020:\n  type: article\n  title: [unclosed\n");
    fails_with(
        &p,
        "error: `title` in reference `smith2020` cannot be a list
  ┌─ leaflets/topic/references.yml:3:10
  │
3 │   title: [unclosed
  │          ^
  │
  = hint: write text, in double quotes if it holds `: ` or starts with a sign (`[`, `{`, `*`, `@`, …): `\"Back pain: a review\"`

",
    );
}

#[test]
fn unknown_variable() {
    let p = Project::fixture("small");
    p.edit(
        CONTENT,
        "Een zin met een bron [@smith2020].",
        "Vraag het je {beroep}. Een zin met een bron [@smith2020].",
    );
    fails_with(
        &p,
        "error: unknown variable `{beroep}`
   ┌─ leaflets/topic/nl.md:19:14
   │
19 │ Vraag het je {beroep}. Een zin met een bron [@smith2020].
   │              ^^^^^^^^
   │
   = hint: variables: {practice}, {profession}, {phone}, {email}, {website}, {emergency-number}, {emergency-department}; write `\\{` for a literal brace

",
    );
}
