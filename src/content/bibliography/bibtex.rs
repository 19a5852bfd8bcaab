//! Reading `references.bib` (BibTeX or BibLaTeX, as reference managers export it): Hayagriva
//! converts it as Typst does; what it refuses is an error at its place in the file.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use hayagriva::Library;
use hayagriva::io::BibLaTeXError;

use crate::diag::{Diagnostic, Diagnostics, Result};

/// What an entry looks like, for hints.
const SHAPE: &str =
    "an entry is `@article{key,`, then one `field = {value},` per line, then `}` on a line of its own";

/// The library, and where each entry's key is written (in the library's order).
pub fn read(path: &Path, text: &Arc<str>) -> Result<(Library, Vec<Range<usize>>)> {
    let entries = entries(text);
    match hayagriva::io::from_biblatex_str(text) {
        Ok(library) => {
            let ranges = library
                .keys()
                .map(|key| entries.iter().find(|e| e.key == key).map_or(0..0, |e| e.key_range.clone()))
                .collect();
            Ok((library, ranges))
        }
        Err(errors) => {
            let mut out: Vec<Diagnostic> = errors.iter().map(|e| explain(path, text, &entries, e)).collect();
            out.sort_by_key(|d| d.location.as_ref().map_or(0, |l| l.range.start));
            out.dedup_by(|a, b| a.message == b.message);
            Err(Diagnostics(out))
        }
    }
}

/// One `@type{key, …}` as written.
struct Written {
    key: String,
    key_range: Range<usize>,
    /// From the `@` to the end of the key.
    head: Range<usize>,
    /// `}` or `)`: what closes the entry.
    closer: char,
}

/// The entries written in `text` (not `@string`, `@comment` or `@preamble`).
fn entries(text: &str) -> Vec<Written> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let rest = &text[at + 1..];
        let kind_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let kind = &rest[..kind_len];
        if kind.is_empty() || ["comment", "string", "preamble"].contains(&kind.to_lowercase().as_str()) {
            continue;
        }
        let after = &rest[kind_len..];
        let open = after.len() - after.trim_start().len();
        if !after[open..].starts_with(['{', '(']) {
            continue;
        }
        let body = &after[open + 1..];
        let lead = body.len() - body.trim_start().len();
        let key_text = &body[lead..];
        let key_len =
            key_text.find(|c: char| c == ',' || c.is_whitespace() || c == '}').unwrap_or(key_text.len());
        if key_len == 0 || !key_text[key_len..].trim_start().starts_with(',') {
            continue;
        }
        let start = at + 1 + kind_len + open + 1 + lead;
        out.push(Written {
            key: key_text[..key_len].to_owned(),
            key_range: start..start + key_len,
            head: at..start + key_len,
            closer: if after[open..].starts_with('(') { ')' } else { '}' },
        });
    }
    out
}

/// The entry written at or before byte `at`.
fn entry_at(entries: &[Written], at: usize) -> Option<&Written> {
    entries.iter().rev().find(|e| e.head.start <= at)
}

/// The first entry whose braces are not closed before the next entry starts (or the file
/// ends): where an unclosed `{` is.
fn unclosed(text: &str, entries: &[Written]) -> Option<usize> {
    for (i, e) in entries.iter().enumerate() {
        let end = entries.get(i + 1).map_or(text.len(), |n| n.head.start);
        let opener = if e.closer == ')' { '(' } else { '{' };
        let mut depth = 0i64;
        for c in text[e.head.end..end].chars() {
            if c == opener {
                depth += 1;
            } else if c == e.closer {
                depth -= 1;
            }
        }
        // The entry's own `{` is before `head.end`: a closed entry ends at depth -1.
        if depth >= 0 {
            return Some(i);
        }
    }
    None
}

/// One of Hayagriva's errors, in words, at its place.
fn explain(path: &Path, text: &Arc<str>, entries: &[Written], e: &BibLaTeXError) -> Diagnostic {
    let (span, kind) = match e {
        BibLaTeXError::Parse(p) => (p.span.clone(), p.kind.to_string()),
        BibLaTeXError::Type(t) => (t.span.clone(), t.kind.to_string()),
    };
    let span = span.start.min(text.len())..span.end.min(text.len()).max(span.start.min(text.len()));
    let at = |range: Range<usize>| {
        let range = if range.is_empty() { range.start..range.start + 1 } else { range };
        Diagnostic::error(String::new()).at(path, text, range)
    };
    let with = |d: Diagnostic, message: String, hint: &str| {
        let mut d = d;
        d.message = message;
        d.hint(hint)
    };
    if let BibLaTeXError::Type(_) = e {
        let field = field_before(text, span.start);
        let place =
            entry_at(entries, span.start).map(|e| format!(" in reference `{}`", e.key)).unwrap_or_default();
        let message = match field {
            Some(f) => format!("`{f}`{place} is not valid ({kind})"),
            None => format!("a value{place} is not valid ({kind})"),
        };
        return with(
            at(span),
            message,
            "see how your reference manager exports it, or write it as `{value}` in braces",
        );
    }
    if let Some(key) = kind.strip_prefix("duplicate key ").map(|k| k.trim_matches('"')) {
        let range = entries
            .iter()
            .filter(|e| e.key == key && e.head.start >= span.start)
            .map(|e| e.key_range.clone())
            .next()
            .unwrap_or(span);
        return with(
            at(range),
            format!("reference key `{key}` is used twice"),
            "each reference needs its own key: remove one, or rename it (and its citations)",
        );
    }
    if let Some(name) = kind.strip_prefix("unknown abbreviation ").map(|k| k.trim_matches('"')) {
        return with(
            at(span),
            format!("`{name}` is not in braces"),
            &format!(
                "write the value in braces, `{{{name}}}`; only numbers, month names (`jan` … `dec`) and `@string` names stand bare"
            ),
        );
    }
    if kind == "unexpected end of file" || kind.starts_with("expected ") || kind.starts_with("unexpected ") {
        if let Some(i) = unclosed(text, entries).filter(|&i| entries[i].head.start <= span.start) {
            let e = &entries[i];
            return with(
                at(e.head.clone()),
                format!("reference `{}` is never closed", e.key),
                "every `{` needs its `}`: check the braces of its values; the entry ends with `}` on a line of its own",
            );
        }
        // What is missing goes right after what comes before it: mark that.
        let (span, after) = match kind.starts_with("expected ") {
            true => {
                let end = text[..span.start].trim_end().len();
                let last = text[..end].chars().next_back().map_or(0, char::len_utf8);
                (end - last..end, " after this")
            }
            false => (span, ""),
        };
        let what = kind
            .replace("expected comma", "expected a comma")
            .replace("expected equals", "expected `=`")
            .replace("opening brace", "`{`")
            .replace("closing brace", "`}`")
            .replace("double quote", "`\"`");
        return with(at(span), format!("references.bib is not valid BibTeX ({what}{after})"), SHAPE);
    }
    if kind == "malformed command" {
        return with(
            at(span),
            "a TeX command that cannot be read".to_owned(),
            "a `\\` starts a TeX command (`\\\"o` for ö); write the characters themselves instead",
        );
    }
    with(at(span), format!("references.bib cannot be read ({kind})"), SHAPE)
}

/// The name of the field whose value starts at `at`: the word before the `=` before it.
fn field_before(text: &str, at: usize) -> Option<&str> {
    let before = text[..at].trim_end_matches(|c: char| c.is_whitespace() || c == '{' || c == '"');
    let before = before.strip_suffix('=')?.trim_end();
    let start =
        before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).map_or(0, |i| i + 1);
    Some(&before[start..]).filter(|f| !f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_with_their_keys() {
        let text = "@string{x = {y}}\n% note@home\n@Article{ a:1 ,\n  title = {T}}\n@book(b,\n title={T})\n";
        let found = entries(text);
        let keys: Vec<&str> = found.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a:1", "b"]);
        assert_eq!(&text[found[0].key_range.clone()], "a:1");
        assert_eq!(&text[found[0].head.clone()], "@Article{ a:1");
    }

    #[test]
    fn the_unclosed_entry_is_found() {
        let text = "@article{a,\n  title = {T},\n}\n@article{b,\n  title = {T,\n}\n";
        let found = entries(text);
        assert_eq!(unclosed(text, &found), Some(1));
        assert_eq!(unclosed("@article{a, title = {T}}\n", &entries("@article{a, title = {T}}\n")), None);
        assert_eq!(unclosed("@book(b, title = {T})\n", &entries("@book(b, title = {T})\n")), None);
    }

    #[test]
    fn field_names_before_values() {
        assert_eq!(field_before("  date = {", 10), Some("date"));
        assert_eq!(field_before("  date = ", 9), Some("date"));
        assert_eq!(field_before("  {", 3), None);
    }
}
