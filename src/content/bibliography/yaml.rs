//! Reading `references.yml`: Hayagriva parses it; what it refuses, and the fields it would
//! silently ignore, are errors at their place in the file, in words a clinician can act on.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use hayagriva::Library;
use serde_json::json;

use super::fields::{self, Shape};
use super::tree::{self, Node};
use crate::diag::{Diagnostic, Diagnostics, Result};

/// The library, and where each entry's key is written (keys Hayagriva read, in its order).
pub fn read(path: &Path, text: &Arc<str>) -> Result<(Library, Vec<Range<usize>>)> {
    let root = tree::parse(text);
    let mut errors = Vec::new();
    if let Some(root) = &root {
        unknown_fields(&mut Ctx { path, text, out: &mut errors }, root);
    }
    let library = match hayagriva::io::from_yaml_str(text) {
        Ok(library) => library,
        Err(e) => {
            let before = errors.len();
            if let Some(root) = &root {
                refused_values(&mut Ctx { path, text, out: &mut errors }, root);
            }
            if errors.len() == before {
                let location = e.location().map(|l| (l.line(), l.column()));
                errors.push(fallback(path, text, &e.to_string(), location));
            }
            return Err(sorted(errors));
        }
    };
    if !errors.is_empty() {
        return Err(sorted(errors));
    }
    let keys: Vec<(&str, Range<usize>)> = root
        .as_ref()
        .and_then(|r| r.pairs())
        .map(|pairs| pairs.iter().filter_map(|(k, _)| Some((k.text()?, k.range(text)))).collect())
        .unwrap_or_default();
    let ranges = library
        .keys()
        .map(|key| keys.iter().find(|(k, _)| *k == key).map_or(0..0, |(_, r)| r.clone()))
        .collect();
    Ok((library, ranges))
}

/// Errors in the order of the file.
fn sorted(mut errors: Vec<Diagnostic>) -> Diagnostics {
    errors.sort_by_key(|d| d.location.as_ref().map_or(0, |l| l.range.start));
    Diagnostics(errors)
}

/// Where diagnostics go, and the file they point into.
struct Ctx<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    out: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, message: String, at: &Node, hint: String) {
        let d = Diagnostic::error(message).at(self.path, self.text, at.range(self.text));
        self.out.push(if hint.is_empty() { d } else { d.hint(hint) });
    }
}

/// Keys that are none of Hayagriva's fields, where it would ignore them.
fn unknown_fields(ctx: &mut Ctx, root: &Node) {
    for (key, entry) in root.pairs().unwrap_or_default() {
        let Some(key) = key.text() else { continue };
        walk(ctx, entry, Shape::Entry, &format!("reference `{key}`"));
    }
}

/// Checks the keys of `node`, a value of shape `shape` in `place` ("reference `a`").
fn walk(ctx: &mut Ctx, node: &Node, shape: Shape, place: &str) {
    let items = match shape {
        Shape::Persons | Shape::Affiliated => node.one_or_many(),
        _ => vec![node],
    };
    for item in items {
        let Some(pairs) = item.pairs() else { continue };
        if shape == Shape::Serial {
            for (k, _) in pairs {
                let Some(name) = k.text() else { continue };
                let lower = name.to_lowercase();
                if name != lower && fields::SERIALS.contains(&lower.as_str()) {
                    ctx.error(
                        format!("unknown field `{name}` in `serial-number` of {place}"),
                        k,
                        format!(
                            "did you mean `{lower}`? the kinds of serial number are written in lower case"
                        ),
                    );
                }
            }
            continue;
        }
        let Some(known) = fields::keys(shape) else { continue };
        for (k, v) in pairs {
            let Some(name) = k.text() else { continue };
            match known.iter().find(|(n, _)| *n == name) {
                Some((_, Shape::Entry)) => {
                    let inner = format!("the parent of {}", strip_parent(place));
                    for p in v.one_or_many() {
                        walk(ctx, p, Shape::Entry, &inner);
                    }
                }
                Some((_, child)) => walk(ctx, v, *child, place),
                None => {
                    let within = match shape {
                        Shape::Entry => place.to_owned(),
                        Shape::Text => format!("a text in {place}"),
                        _ => format!("{} in {place}", fields::what(shape)),
                    };
                    ctx.error(
                        format!("unknown field `{name}` in {within}"),
                        k,
                        fields::unknown_hint(shape, name),
                    );
                }
            }
        }
    }
}

/// `reference `a`` of "the parent of reference `a`" and of "reference `a`".
fn strip_parent(place: &str) -> &str {
    place.strip_prefix("the parent of ").unwrap_or(place)
}

/// The hint for a reference that is not a map of fields.
const FIELDS_BELOW: &str = "indent its fields below it, one `field: value` per line: `type: article`, `title: …`, `author: …`, `date: …`";

/// Whether Hayagriva reads `entry` (JSON) as an entry; its message if not.
fn hayagriva_reads(entry: serde_json::Value) -> std::result::Result<(), String> {
    serde_json::from_value::<Library>(json!({ "x": entry })).map(|_| ()).map_err(|e| e.to_string())
}

/// Locates what Hayagriva refused: each entry's fields tried on their own, so every bad value
/// is reported at its place (Hayagriva stops at the first, and inside a parent or a
/// number-or-text field names only the entry).
fn refused_values(ctx: &mut Ctx, root: &Node) {
    let Some(pairs) = root.pairs() else {
        let what = kind_of(&root.to_json());
        ctx.error(
            format!("references.yml must map keys to references, not be {what}"),
            root,
            "start each reference with its key at the start of a line, `smith2020:`, and indent its fields below it (no `- ` before the key)".to_owned(),
        );
        return;
    };
    let mut seen = BTreeSet::new();
    for (key_node, entry) in pairs {
        let Some(key) = key_node.text() else {
            ctx.error(
                "a reference's key must be a name".to_owned(),
                key_node,
                "start each reference with its key, e.g. `smith2020:`".to_owned(),
            );
            continue;
        };
        if !seen.insert(key) {
            ctx.error(
                format!("reference key `{key}` is used twice"),
                key_node,
                "each reference needs its own key: remove one, or rename it (and its citations)".to_owned(),
            );
            continue;
        }
        entry_values(ctx, key_node, entry, &format!("reference `{key}`"), true);
    }
}

/// The refused values of one entry (or parent) `entry` in `place`.
fn entry_values(ctx: &mut Ctx, key_node: &Node, entry: &Node, place: &str, top: bool) {
    let Some(pairs) = entry.pairs() else {
        let what = kind_of(&entry.to_json());
        let at = if top { key_node } else { entry };
        ctx.error(format!("{place} must be a map of fields, not {what}"), at, FIELDS_BELOW.to_owned());
        return;
    };
    let written_type = entry.get("type").map(Node::to_json);
    if top && written_type.is_none() {
        ctx.error(
            format!("{place} has no `type`"),
            key_node,
            "add its type: `type: article` for a journal article, or `book`, `chapter`, `report`, `thesis`, `web`, …".to_owned(),
        );
    }
    let own_type = written_type
        .filter(|t| hayagriva_reads(json!({ "type": t })).is_ok())
        .unwrap_or_else(|| json!("misc"));
    let mut seen = BTreeSet::new();
    for (k, v) in pairs {
        let Some(name) = k.text() else { continue };
        if !seen.insert(name) {
            ctx.error(format!("`{name}` is written twice in {place}"), k, "keep one of them".to_owned());
            continue;
        }
        if name == "parent" {
            let inner = format!("the parent of {}", strip_parent(place));
            for p in v.one_or_many() {
                entry_values(ctx, k, p, &inner, false);
            }
            continue;
        }
        if fields::entry_field(name).is_none() {
            continue;
        }
        let items = match name {
            "author" | "editor" | "affiliated" => v.one_or_many(),
            _ => vec![v],
        };
        for item in items {
            let tried = match name {
                "type" => json!({ "type": item.to_json() }),
                _ => json!({ "type": own_type, name: item.to_json() }),
            };
            if let Err(detail) = hayagriva_reads(tried) {
                let (message, hint, at) = value_message(name, place, item, &detail);
                ctx.error(message, at, hint);
            }
        }
    }
}

/// How Hayagriva's complaint about `field` reads to a clinician, what to write, and where in
/// `item` (the value written) the problem is.
fn value_message<'a>(field: &str, place: &str, item: &'a Node, detail: &str) -> (String, String, &'a Node) {
    let detail = detail.split(" at line ").next().unwrap_or(detail);
    let write = format!("write {}", fields::value_hint(field));
    if let Some(rest) = detail.strip_prefix("unknown variant `") {
        let written = rest.split('`').next().unwrap_or_default();
        let at = find(item, &|n| n.text() == Some(written)).unwrap_or(item);
        if field == "type" {
            let hint = fields::type_hint(written, place.starts_with("the parent of "));
            return (format!("unknown type `{written}` in {place}"), hint, at);
        }
        let options = variants(detail);
        let close = options
            .iter()
            .map(|o| (strsim::damerau_levenshtein(o, &written.to_lowercase()), o))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, o)| format!("did you mean `{o}`?"));
        let hint = close.unwrap_or_else(|| format!("{}s: {}", role_or_value(field), options.join(", ")));
        return (format!("unknown {} `{written}` in {place}", role_or_value(field)), hint, at);
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ") {
        let got = serde_kind(rest.split(", expected").next().unwrap_or(rest).trim());
        // In a map (a name written as `{name: …}`), the value of the kind refused.
        if item.pairs().is_some() && got != "a map of fields" {
            let inner = item.pairs().unwrap_or_default().iter().find(|(_, v)| kind_of(&v.to_json()) == got);
            if let Some((k, v)) = inner
                && let Some(name) = k.text()
            {
                return (format!("`{name}` in `{field}` of {place} cannot be {got}"), write, v);
            }
        }
        return (format!("`{field}` in {place} cannot be {got}"), write, item);
    }
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or_default();
        return (format!("`{field}` in {place} has no `{missing}`"), write, item);
    }
    if detail.starts_with("data did not match any variant") {
        let message = match item.to_json() {
            v @ (serde_json::Value::Array(_) | serde_json::Value::Object(_)) => {
                format!("`{field}` in {place} cannot be {}", kind_of(&v))
            }
            _ => format!("`{field}` in {place} is not valid"),
        };
        return (message, write, item);
    }
    if field == "date" && detail.contains("format unknown") {
        return (format!("`date` in {place} is not a date"), write, item);
    }
    if field == "url" && detail.contains("relative URL") {
        return (format!("`url` in {place} is not a whole address"), write, item);
    }
    if field == "language" && detail.contains("language subtag") {
        return (format!("`language` in {place} is not a language tag"), write, item);
    }
    (format!("`{field}` in {place} is not valid ({})", lower_first(detail)), write, item)
}

/// The first node in `node` (itself included) that `pred` accepts.
fn find<'a>(node: &'a Node, pred: &dyn Fn(&Node) -> bool) -> Option<&'a Node> {
    if pred(node) {
        return Some(node);
    }
    match &node.value {
        tree::Value::Seq(items) => items.iter().find_map(|i| find(i, pred)),
        tree::Value::Map(pairs) => pairs.iter().find_map(|(_, v)| find(v, pred)),
        _ => None,
    }
}

/// Serde's name of a kind of value (`integer `42``, `sequence`) in words, as [`kind_of`]
/// says it.
fn serde_kind(got: &str) -> String {
    let value = got.split_once(' ').map(|(_, v)| v.trim_matches(['`', '"'])).unwrap_or_default();
    match got.split(' ').next().unwrap_or_default() {
        "integer" | "floating" => format!("a number ({})", value.trim_start_matches("point `")),
        "boolean" => value.to_owned(),
        "string" => "text".to_owned(),
        "sequence" => "a list".to_owned(),
        "map" => "a map of fields".to_owned(),
        "unit" | "null" => "empty".to_owned(),
        _ => got.to_owned(),
    }
}

/// `role` for `affiliated`, else `value`.
fn role_or_value(field: &str) -> &'static str {
    if field == "affiliated" { "role" } else { "value" }
}

/// The variants serde lists after "expected one of", each once, in lower case.
fn variants(detail: &str) -> Vec<String> {
    let list = detail.split("expected one of ").nth(1).unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for v in list.split(", ").map(|v| v.trim_matches('`').to_lowercase()) {
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// What a JSON value is, in words.
fn kind_of(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match value {
        J::Null => "empty".to_owned(),
        J::Bool(b) => format!("{b}"),
        J::Number(n) => format!("a number ({n})"),
        J::String(_) => "text".to_owned(),
        J::Array(_) => "a list".to_owned(),
        J::Object(_) => "a map of fields".to_owned(),
    }
}

/// `s` with its first letter in lower case (Hayagriva's messages start with a capital at
/// times).
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`.
fn offset_at(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &text[start.min(text.len())..];
    start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}

/// Hayagriva's error, when the checks above found nothing to point at more precisely:
/// shortened, in words, at its place. `syntax` when the file is not YAML.
fn fallback(path: &Path, text: &Arc<str>, full: &str, location: Option<(usize, usize)>) -> Diagnostic {
    let (line, column) = location.unwrap_or((1, 1));
    let mut at = offset_at(text, line, column);
    let cause = full.split(" at line ").next().unwrap_or(full);
    if is_syntax(full) {
        let shape = "a reference is its key at the start of a line (`smith2020:`), then one `field: value` per line, indented below it";
        let (message, hint) = if let Some((_, opening)) =
            full.split_once("while scanning a quoted scalar at line ")
        {
            // Point at the opening quote, not at the end of the file.
            let mut numbers = opening.split(" column ").map(|n| n.trim().parse::<usize>().unwrap_or(1));
            let (l, c) = (numbers.next().unwrap_or(1), numbers.next().unwrap_or(1));
            at = offset_at(text, l, c);
            (
                "a quoted value is never closed".to_owned(),
                "end it with the quote mark it starts with".to_owned(),
            )
        } else if let Some((_, message, hint)) = SYNTAX.iter().find(|(phrase, _, _)| cause.contains(phrase)) {
            ((*message).to_owned(), (*hint).to_owned())
        } else {
            (format!("references.yml is not valid YAML ({cause})"), shape.to_owned())
        };
        return Diagnostic::error(message).at(path, text, at..at + 1).hint(hint);
    }
    // A data error Hayagriva names by its path in the file (`smith2020.title: …`).
    let (place, cause) = match cause.split_once(": ") {
        Some((p, c)) if !p.contains(' ') => (Some(p), c),
        _ => (None, cause),
    };
    let mut width = 1;
    let mut segments = place.unwrap_or_default().split('.');
    let key = segments.next().filter(|k| !k.is_empty());
    let mut field = segments.next().map(|f| f.split('[').next().unwrap_or(f));
    // Serde names the entry, and the kind of value it could not read.
    if let Some(kind) = cause.strip_prefix("data did not match any variant of untagged enum ") {
        field = field.or(match kind {
            "OneOrMany" => Some("parent"),
            "Choice" => Some("serial-number"),
            _ => None,
        });
        if let Some(f) = field
            && let Some(i) = text[at.min(text.len())..].find(&format!("{f}:"))
        {
            at += i;
            width = f.len();
        }
        if kind == "MaybeTyped" && field.is_none() {
            let k = key.unwrap_or("?");
            return Diagnostic::error(format!("a number in reference `{k}` is not written as it should be"))
                .at(path, text, at..at + 1)
                .hint("`volume`, `issue`, `edition`, `chapter` and `page-range` are a number or text: `volume: 5`, `page-range: 120-130`");
        }
    }
    let shape = "a reference has a `type`, `title`, `author` and `date`; a journal article also `parent: {type: periodical, title: …}`";
    match (key, field) {
        (Some(k), Some(f)) if fields::entry_field(f).is_some() => {
            let written = Node { value: tree::Value::Alias, start: at };
            let (message, hint, _) = value_message(f, &format!("reference `{k}`"), &written, cause);
            Diagnostic::error(message).at(path, text, at..at + width).hint(hint)
        }
        (Some(k), None) if cause.contains("expected a map representing a bibliography entry") => {
            let got = cause.strip_prefix("invalid type: ").and_then(|r| r.split(", expected").next());
            Diagnostic::error(format!(
                "reference `{k}` must be a map of fields, not {}",
                serde_kind(got.unwrap_or("?"))
            ))
            .at(path, text, at..at + 1)
            .hint(FIELDS_BELOW)
        }
        (Some(k), _) => Diagnostic::error(format!("reference `{k}` cannot be read ({})", lower_first(cause)))
            .at(path, text, at..at + 1)
            .hint(shape),
        _ => Diagnostic::error(format!("references.yml cannot be read ({})", lower_first(cause)))
            .at(path, text, at..at + 1)
            .hint(shape),
    }
}

/// libyaml's complaints (a phrase of its message) in words, with what to write.
const SYNTAX: &[(&str, &str, &str)] = &[
    (
        "mapping values are not allowed",
        "a `: ` where YAML does not expect one",
        "put a value that holds `: ` in double quotes, `title: \"Back pain: a review\"`, and indent each field like the others",
    ),
    (
        "found character that cannot start any token",
        "a character that cannot start a value",
        "indent with spaces, not tabs; put a value that starts with `@`, `` ` `` or `%` in double quotes",
    ),
    ("found a tab character", "a tab in the indentation", "indent with spaces, not tabs"),
    (
        "could not find expected ':'",
        "a line without `: ` where a field should be",
        "write one `field: value` per line; a long value may go on, indented, on the next lines",
    ),
    (
        "did not find expected key",
        "a line indented unlike the fields around it",
        "indent each field of a reference by the same spaces (two), and a list's `- ` items below their field",
    ),
    (
        "did not find expected comment or line break",
        "something after a quoted value",
        "a quoted value ends its line: put all of the value inside the quotes",
    ),
    (
        "did not find expected alphabetic or numeric character",
        "a value that starts with `&` or `*`",
        "put a value that starts with `&`, `*`, `!` or `%` in double quotes",
    ),
    (
        "block sequence entries are not allowed",
        "a list item (`- `) where none may be",
        "put a list on lines of its own below its field: `author:`, then `  - Family, Given` on each line",
    ),
    (
        "did not find expected '-' indicator",
        "a list item without its `- `, or indented unlike the others",
        "start each item of a list with `- `, all indented alike",
    ),
    (
        "did not find expected ',' or '}'",
        "a `{…}` that is not closed",
        "end it with `}`; put a value that holds `,` in double quotes",
    ),
    (
        "did not find expected ',' or ']'",
        "a `[…]` that is not closed",
        "end it with `]`; put a value that starts with `[` in double quotes",
    ),
    (
        "recursion limit exceeded",
        "references.yml nests too deep",
        "a reference's fields nest two or three deep, not more",
    ),
];

/// Whether serde_yaml's message is about the YAML itself rather than what it holds.
fn is_syntax(message: &str) -> bool {
    [
        "while scanning",
        "while parsing",
        "mapping values are not allowed",
        "found character that cannot start",
        "found unexpected end of stream",
        "did not find expected",
        "found a tab character",
        "found unknown escape",
        "found undefined",
        "control characters are not allowed",
        "invalid leading UTF-8",
        "recursion limit exceeded",
        "repetition limit exceeded",
        "unknown anchor",
        "more than one document",
        "block sequence entries are not allowed",
        "could not find expected",
        "found unexpected ':'",
    ]
    .iter()
    .any(|p| message.contains(p))
}
