//! Reading TOML as a person wrote it: every missing key of a file in one run, and type errors
//! in words that say what to write, instead of serde's "invalid type: string, expected a
//! sequence" one error per run.

use std::ops::Range;

/// A key a table must have, with what it is and an example, for the "missing" message.
pub struct Required {
    /// The key.
    pub key: &'static str,
    /// What it is, in a few words.
    pub what: &'static str,
    /// A line to copy.
    pub example: &'static str,
}

/// The keys of `required` that `table` (at `path` in the document: `[]` for the top level,
/// `["brand", "colors"]` for `[brand.colors]`) does not have. A table that is itself missing
/// lacks all of them.
pub fn missing<'a>(
    doc: &toml::Table,
    path: &[&str],
    required: &'a [Required],
    known: &[&str],
) -> Vec<&'a Required> {
    let mut table = Some(doc);
    for part in path {
        table = table.and_then(|t| t.get(*part)).and_then(toml::Value::as_table);
    }
    // A key written with a typo (`fone`) is reported as unknown, with a did-you-mean, rather
    // than its intended key as missing.
    let misspelt = |t: &toml::Table, key: &str| {
        t.keys().any(|k| !known.contains(&k.as_str()) && strsim::jaro_winkler(k, key) >= 0.7)
    };
    required.iter().filter(|r| table.is_none_or(|t| !t.contains_key(r.key) && !misspelt(t, r.key))).collect()
}

/// Every key of the table at `path` (and `header_name`, its header in `text`; `None` for the
/// top level) that is not one of
/// `known`: the key, the closest known key the table lacks, and where the key is written.
pub fn unknown_keys(
    doc: &toml::Table,
    text: &str,
    path: &[&str],
    header_name: Option<&str>,
    known: &[&'static str],
    required: &[Required],
) -> Vec<(String, Option<&'static str>, Range<usize>)> {
    let mut table = Some(doc);
    for part in path {
        table = table.and_then(|t| t.get(*part)).and_then(toml::Value::as_table);
    }
    let Some(table) = table else { return Vec::new() };
    let start = header_name.map_or(0, |h| header(text, h).end);
    let mut found = table
        .iter()
        // A table too: `slogan.nl = "…"` (a dotted key) or `[brand.slogan]` is as unknown as
        // `slogan = "…"`.
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, _)| {
            // The likeliest intent is a key the table lacks; one it must have comes first.
            let best = |candidates: &mut dyn Iterator<Item = &&'static str>| {
                candidates
                    .filter(|c| !table.contains_key(**c))
                    .map(|c| (strsim::jaro_winkler(c, k), *c))
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .filter(|(score, _)| *score >= 0.7)
                    .map(|(_, c)| c)
            };
            let close = best(&mut required.iter().map(|r| &r.key)).or_else(|| best(&mut known.iter()));
            let range = key_range(text, start, k).or_else(|| {
                let name = header_name.map_or_else(|| k.clone(), |h| format!("{h}.{k}"));
                header_at(text, &name)
            });
            (k.clone(), close, range.unwrap_or(start..start))
        })
        .collect::<Vec<_>>();
    found.sort_by_key(|(_, _, range)| range.start);
    found
}

/// Where `key = …` (or a dotted `key.part = …`) is written in `text`, looking from byte `from`
/// on.
fn key_range(text: &str, from: usize, key: &str) -> Option<Range<usize>> {
    let mut at = from.min(text.len());
    for line in text[at..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let bare = trimmed.strip_prefix(key).or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if bare.is_some_and(|rest| rest.trim_start().starts_with(['=', '.'])) {
            let len = if trimmed.starts_with('"') { key.len() + 2 } else { key.len() };
            return Some(at + indent..at + indent + len);
        }
        at += line.len();
    }
    None
}

/// "did you mean `x`?" for serde's "unknown field `y`, expected one of `a`, `b`, …".
/// Without a close match, the keys that are allowed.
pub fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let list = expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let best = expected
        .iter()
        .map(|k| (strsim::jaro_winkler(k, unknown), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.75);
    Some(match best {
        Some((_, k)) => format!("did you mean `{k}`? the keys here are {list}"),
        None => format!("the keys here are {list}"),
    })
}

/// The byte range of the header line `[name]` in `text`, or of its first line if there is none.
pub fn header(text: &str, name: &str) -> Range<usize> {
    header_at(text, name).unwrap_or_else(|| 0..text.lines().next().map_or(0, str::len))
}

/// The byte range of the header line `[name]` in `text`, if there is one.
fn header_at(text: &str, name: &str) -> Option<Range<usize>> {
    let wanted = format!("[{name}]");
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if line.trim() == wanted || trimmed.starts_with(&format!("{wanted} ")) {
            let indent = line.len() - trimmed.len();
            return Some(at + indent..at + line.trim_end().len());
        }
        at += line.len();
    }
    None
}

/// One message for every key `missing` lists, and a hint with a line to copy for each.
pub fn missing_message(table: &str, missing: &[&Required]) -> (String, Vec<String>) {
    let message = match missing {
        [one] => format!("{table} has no `{}` ({})", one.key, one.what),
        _ => {
            let keys: Vec<String> = missing.iter().map(|r| format!("`{}` ({})", r.key, r.what)).collect();
            format!("{table} lacks {} keys: {}", missing.len(), keys.join(", "))
        }
    };
    let place = if table.starts_with('[') { "under" } else { "to" };
    let hints = missing.iter().map(|r| format!("add {place} {table}: {}", r.example)).collect();
    (message, hints)
}

/// What to write instead, for a type error serde reported at `span` of `text`: the key is the
/// one on that line (`key = value`).
pub fn type_hint(text: &str, span: &Range<usize>, message: &str) -> Option<String> {
    let line_start = text[..span.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let key = line.split('=').next()?.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('[') || key.contains(char::is_whitespace) {
        return None;
    }
    let wants = |what: &str| message.contains(&format!("expected {what}"));
    if message.contains("must be quoted") {
        let value = text.get(span.clone()).unwrap_or("…").trim();
        return Some(format!("text goes in quotes: `{key} = \"{value}\"`"));
    }
    if wants("a TOML datetime") || wants("a date") || message.contains("datetime") {
        return Some(format!("write dates as 2026-12-01, without quotes: `{key} = 2026-12-01`"));
    }
    if wants("a sequence") || wants("an array") {
        return Some(format!("write `{key}` as a list: `{key} = [\"…\", \"…\"]`"));
    }
    if wants("a string") {
        return Some(format!("write `{key}` in quotes: `{key} = \"…\"`"));
    }
    if wants("f64") || wants("a number") || wants("u32") || wants("an integer") || wants("i64") {
        return Some(format!("write `{key}` as a number, without quotes: `{key} = 13`"));
    }
    if wants("a boolean") {
        return Some(format!("write `{key} = true` or `{key} = false`, without quotes"));
    }
    None
}

/// serde's message in plainer words: "expected f64" is "expected a number".
pub fn plain_message(message: &str) -> String {
    message
        .trim()
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number")
        .replace("expected a sequence", "expected a list")
        .replace("expected a TOML datetime", "expected a date")
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUIRED: [Required; 3] = [
        Required { key: "name", what: "the practice's name", example: "name = \"…\"" },
        Required { key: "phone", what: "printed on every leaflet", example: "phone = \"09 123 45 67\"" },
        Required { key: "logo", what: "an image file", example: "logo = \"images/logo.svg\"" },
    ];

    #[test]
    fn lists_every_missing_key() {
        let doc: toml::Table = toml::from_str("[brand]\nname = \"X\"\n").unwrap();
        let keys: Vec<&str> = missing(&doc, &["brand"], &REQUIRED, &["name"]).iter().map(|r| r.key).collect();
        assert_eq!(keys, ["phone", "logo"]);
        let none: toml::Table = toml::from_str("").unwrap();
        assert_eq!(missing(&none, &["brand"], &REQUIRED, &[]).len(), 3);
        let typo: toml::Table = toml::from_str("[brand]\nname = \"X\"\nfone = \"1\"\n").unwrap();
        let keys: Vec<&str> =
            missing(&typo, &["brand"], &REQUIRED, &["name"]).iter().map(|r| r.key).collect();
        assert_eq!(keys, ["logo"], "a typo is reported as an unknown key instead");
    }

    #[test]
    fn an_unknown_key_written_as_a_table_is_unknown_too() {
        // Dotted (`slogan.nl`), inline, or under a header of its own: each is located at its key.
        let text = "[brand]\nname = \"X\"\nslogan.nl = \"Zorg\"\nslogan.en = \"Care\"\ncolours = { primary = \"#000000\" }\n\n[brand.extra]\nx = 1\n";
        let doc: toml::Table = toml::from_str(text).unwrap();
        let found = unknown_keys(&doc, text, &["brand"], Some("brand"), &["name", "tagline", "colors"], &[]);
        let located: Vec<(&str, &str)> =
            found.iter().map(|(k, _, r)| (k.as_str(), &text[r.clone()])).collect();
        assert_eq!(located, [("slogan", "slogan"), ("colours", "colours"), ("extra", "[brand.extra]")]);
        assert_eq!(found[1].1, Some("colors"), "did you mean");
    }

    #[test]
    fn finds_the_header() {
        let text = "[project]\nname = \"x\"\n\n[brand]\nname = \"y\"\n";
        assert_eq!(&text[header(text, "brand")], "[brand]");
    }

    #[test]
    fn says_what_to_write() {
        let text = "published = \"2026-12-01\"\nauthors = \"Me\"\nbody-size = \"13\"\n";
        let at = |s: &str| {
            let i = text.find(s).unwrap();
            i..i + s.len()
        };
        assert_eq!(
            type_hint(
                text,
                &at("\"2026-12-01\""),
                "invalid type: string \"2026-12-01\", expected a TOML datetime"
            )
            .unwrap(),
            "write dates as 2026-12-01, without quotes: `published = 2026-12-01`"
        );
        assert_eq!(
            type_hint(text, &at("\"Me\""), "invalid type: string \"Me\", expected a sequence").unwrap(),
            "write `authors` as a list: `authors = [\"…\", \"…\"]`"
        );
        assert_eq!(
            type_hint(text, &at("\"13\""), "invalid type: string \"13\", expected f64").unwrap(),
            "write `body-size` as a number, without quotes: `body-size = 13`"
        );
    }
}
