//! The built-in Typst templates, compiled into the binary.

/// `(file name, source)` of every built-in template file.
const FILES: [(&str, &str); 9] = [
    ("common.typ", include_str!("../../templates/common.typ")),
    ("print.typ", include_str!("../../templates/print.typ")),
    ("handout.typ", include_str!("../../templates/handout.typ")),
    ("booklet.typ", include_str!("../../templates/booklet.typ")),
    ("trifold.typ", include_str!("../../templates/trifold.typ")),
    ("poster.typ", include_str!("../../templates/poster.typ")),
    ("deck.typ", include_str!("../../templates/deck.typ")),
    ("slides.typ", include_str!("../../templates/slides.typ")),
    ("slides-handout.typ", include_str!("../../templates/slides-handout.typ")),
];

/// The source of the built-in template file `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// The names of the built-in template files.
pub fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(n, _)| *n)
}
