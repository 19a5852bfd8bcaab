//! Citations and variables inside text runs: `[@key]`, `[@a; @b]`, and `[-@key]` for the
//! year only; `{name}` for a value the brand supplies (`{profession}`, `{practice}`, …).
//!
//! Only bracketed forms are citations; a bare `@word` is ordinary text, so an e-mail address
//! or a handle in the content can never turn into a reference. Only `{` + lower-case letters
//! and hyphens + `}` is a variable; `\{` writes a literal brace.

use std::ops::Range;

use super::model::CiteForm;

/// A piece of a text run: either literal text or a citation, with its byte range in the run.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Literal text.
    Text(String),
    /// A well-formed citation.
    Cite {
        /// Keys, in order.
        keys: Vec<(String, Range<usize>)>,
        /// Normal or year-only.
        form: CiteForm,
    },
    /// A variable, `{name}`.
    Var {
        /// Its name.
        name: String,
        /// Its range in the run, braces included.
        range: Range<usize>,
    },
    /// `[@` with no `]` within [`MAX_CITATION_BYTES`], or another `[` before it.
    Unclosed {
        /// The `[@`.
        range: Range<usize>,
    },
    /// Something that starts like a citation but is not one.
    Malformed {
        /// The bracketed text.
        text: String,
        /// Its range in the run.
        range: Range<usize>,
    },
}

/// The longest citation group leafpress looks for (`[@a; @b; …]`): an opening bracket with no
/// closing one within this many bytes is text. This keeps splitting linear in the length of
/// the run, however many unclosed `[@` it holds.
pub const MAX_CITATION_BYTES: usize = 1000;

/// The longest `{name}` looked for, braces included.
const MAX_VARIABLE_BYTES: usize = 40;

/// The position of `byte` (ASCII) in the first `limit` bytes of `s`.
fn find_within(s: &str, byte: u8, limit: usize) -> Option<usize> {
    s.as_bytes().iter().take(limit).position(|&b| b == byte)
}

/// Splits a text run into literal text and citations. `escaped(i)` tells whether the byte at
/// `i` was written with a backslash escape (then a `[` there starts no citation).
pub fn split(run: &str, escaped: impl Fn(usize) -> bool) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < run.len() {
        let rest = &run[i..];
        let opens = rest.starts_with('[') && (rest[1..].starts_with('@') || rest[1..].starts_with("-@"));
        if opens && !escaped(i) {
            if !literal.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
            }
            match find_within(rest, b']', MAX_CITATION_BYTES) {
                Some(close) if !rest[1..close].contains('[') => {
                    pieces.push(parse_group(&rest[1..close], i + 1).unwrap_or_else(|| Piece::Malformed {
                        text: rest[..=close].to_owned(),
                        range: i..i + close + 1,
                    }));
                    i += close + 1;
                }
                _ => {
                    pieces.push(Piece::Unclosed { range: i..i + 2 });
                    i += 2;
                }
            }
            continue;
        }
        if rest.starts_with('{')
            && !escaped(i)
            && let Some(close) = find_within(rest, b'}', MAX_VARIABLE_BYTES)
            && is_var_name(&rest[1..close])
        {
            if !literal.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Var { name: rest[1..close].to_owned(), range: i..i + close + 1 });
            i += close + 1;
            continue;
        }
        let ch = rest.chars().next().unwrap_or_default();
        literal.push(ch);
        i += ch.len_utf8().max(1);
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    pieces
}

/// Parses the inside of `[...]`, starting at byte `offset` of the run.
fn parse_group(inner: &str, offset: usize) -> Option<Piece> {
    let mut keys = Vec::new();
    let mut form = None;
    let mut pos = offset;
    for item in inner.split(';') {
        let lead = item.len() - item.trim_start().len();
        let trimmed = item.trim();
        let (this_form, key) = match trimmed.strip_prefix("-@") {
            Some(k) => (CiteForm::Year, k),
            None => (CiteForm::Normal, trimmed.strip_prefix('@')?),
        };
        if *form.get_or_insert(this_form) != this_form || !is_key(key) {
            return None;
        }
        let start = pos + lead;
        keys.push((key.to_owned(), start..start + trimmed.len()));
        pos += item.len() + 1;
    }
    Some(Piece::Cite { keys, form: form? })
}

/// Whether `s` looks like a variable name: lower-case ASCII letters and inner hyphens.
fn is_var_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Whether `s` is a valid bibliography key.
fn is_key(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphanumeric() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || "_-:.".contains(c))
        && !s.ends_with(['.', ':', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(keys: &[&str], form: CiteForm) -> Piece {
        let mut pieces = Vec::new();
        for k in keys {
            pieces.push(k.to_string());
        }
        Piece::Cite { keys: pieces.into_iter().map(|k| (k, 0..0)).collect(), form }
    }

    fn strip(p: Vec<Piece>) -> Vec<Piece> {
        p.into_iter()
            .map(|p| match p {
                Piece::Cite { keys, form } => {
                    Piece::Cite { keys: keys.into_iter().map(|(k, _)| (k, 0..0)).collect(), form }
                }
                other => other,
            })
            .collect()
    }

    #[test]
    fn splits_groups_and_text() {
        let p = split(
            "bewegen [@urban2003; @adams2005]. Zoals O’Sullivan et al. [-@osullivan2020] zegt",
            |_| false,
        );
        assert_eq!(
            strip(p),
            vec![
                Piece::Text("bewegen ".into()),
                cite(&["urban2003", "adams2005"], CiteForm::Normal),
                Piece::Text(". Zoals O’Sullivan et al. ".into()),
                cite(&["osullivan2020"], CiteForm::Year),
                Piece::Text(" zegt".into()),
            ]
        );
    }

    #[test]
    fn key_ranges_point_into_the_run() {
        let run = "x [@a; @bb]";
        let Piece::Cite { keys, .. } = &split(run, |_| false)[1] else { panic!() };
        assert_eq!(&run[keys[1].1.clone()], "@bb");
    }

    #[test]
    fn bare_at_and_escapes_stay_text() {
        assert_eq!(split("mail me @key or [x]", |_| false), vec![Piece::Text("mail me @key or [x]".into())]);
        assert_eq!(split("[@key]", |i| i == 0), vec![Piece::Text("[@key]".into())]);
    }

    #[test]
    fn variables_are_pieces_of_their_own() {
        let run = "door je {profession} of {x1} en {Name} {}";
        let p = split(run, |_| false);
        assert_eq!(p[0], Piece::Text("door je ".into()));
        assert_eq!(p[1], Piece::Var { name: "profession".into(), range: 8..20 });
        assert_eq!(p[2], Piece::Text(" of {x1} en {Name} {}".into()));
        assert_eq!(split("{profession}", |i| i == 0), vec![Piece::Text("{profession}".into())]);
    }

    #[test]
    fn malformed_group_is_reported() {
        let p = split("see [@a; b]", |_| false);
        assert_eq!(p[1], Piece::Malformed { text: "[@a; b]".into(), range: 4..11 });
    }
}
