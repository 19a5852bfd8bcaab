//! The built-in Typst templates, compiled into the binary.

/// `(file name, source)` of every built-in template file.
const FILES: [(&str, &str); 2] = [
    ("common.typ", include_str!("../../templates/common.typ")),
    ("handout.typ", include_str!("../../templates/handout.typ")),
];

/// The source of the built-in template file `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}
