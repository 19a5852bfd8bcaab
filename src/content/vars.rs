//! Variables in content and labels: `{practice}`, `{profession}`, `{phone}`, `{email}`,
//! `{website}`, `{emergency-number}` and `{emergency-department}`, which the brand (and its
//! country) fill in as plain text. The same content
//! thus says "kinesitherapeut" for a Flemish practice and "fysiotherapeut" for a Dutch one.
//!
//! A link target may start with `{website}`, `{email}` or `{phone}` ([`URL_NAMES`]); there they
//! become addresses: the website's URL, a `mailto:` and a `tel:` link.

use std::collections::BTreeMap;

use super::Content;
use super::model::{Block, Body, Inline, Section};
use crate::diag::{Diagnostic, Result};
use crate::project::brand::Brand;

/// Every variable content may use.
pub const NAMES: [&str; 7] =
    ["practice", "profession", "phone", "email", "website", "emergency-number", "emergency-department"];

/// The variables a link target may start with.
pub const URL_NAMES: [&str; 3] = ["website", "email", "phone"];

/// The values of the variables for one brand and language.
#[derive(Debug, Clone)]
pub struct Values {
    map: BTreeMap<&'static str, String>,
    /// What `{website}`, `{email}` and `{phone}` become at the start of a link target.
    urls: BTreeMap<&'static str, String>,
    /// For errors: the language and country when a value is missing, and the practice.
    lang: String,
    country: String,
    practice: String,
}

impl Values {
    /// The values `brand` gives in `lang`.
    pub fn new(brand: &Brand, lang: &str) -> Self {
        let mut map = BTreeMap::new();
        map.insert("practice", brand.name.clone());
        map.insert("phone", brand.phone.clone());
        map.insert("email", brand.email.clone());
        if let Some(label) = brand.website_label() {
            map.insert("website", label.to_owned());
        }
        if let Some(p) = brand.country.profession(lang) {
            map.insert("profession", p.to_owned());
        }
        // What the text tells patients to call and where to go: the country's, like the card.
        map.insert("emergency-number", brand.country.emergency_numbers().emergency.to_owned());
        if let Some(d) = brand.country.emergency_department(lang) {
            map.insert("emergency-department", d.to_owned());
        }
        let mut urls = BTreeMap::new();
        if let Some(site) = &brand.website {
            urls.insert("website", site.trim_end_matches('/').to_owned());
        }
        urls.insert("email", format!("mailto:{}", brand.email.trim()));
        urls.insert("phone", tel(&brand.phone));
        Self {
            map,
            urls,
            lang: lang.to_owned(),
            country: brand.country.to_string(),
            practice: brand.name.clone(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// A link target with its leading `{website}`, `{email}` or `{phone}` filled in; the
    /// parser has checked that no other variable appears in it.
    pub fn url(&self, url: &str) -> String {
        for (name, value) in &self.urls {
            if let Some(rest) = url.strip_prefix(&format!("{{{name}}}")) {
                return format!("{value}{rest}");
            }
        }
        url.to_owned()
    }

    /// Replaces every `{name}` of a known variable in `s`, in one pass: a value that itself
    /// contains `{…}` (a practice called "{phone} Care") is printed as it is.
    pub fn fill(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| self.get(&after[..close]).map(|v| (v, close)));
            match value {
                Some((v, close)) => {
                    out.push_str(v);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The `{name}`s in `s` that are not variables (nor one of `allowed`), with their byte ranges.
pub fn unknown_in(s: &str, allowed: &[&str]) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = s[from..].find('{').map(|i| i + from) {
        let Some(close) = s[open..].find('}').map(|i| i + open) else { break };
        let name = &s[open + 1..close];
        let plausible =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if plausible && !NAMES.contains(&name) && !allowed.contains(&name) {
            found.push((name.to_owned(), open..close + 1));
        }
        from = open + 1;
    }
    found
}

/// `content` with every variable replaced by its value. A variable without a value for this
/// language and country is an error at the content file.
pub fn resolve(content: &Content, values: &Values) -> Result<Content> {
    let mut missing = Vec::new();
    let body = Body {
        lead: blocks(&content.body.lead, values, &mut missing),
        sections: content.body.sections.iter().map(|s| section(s, values, &mut missing)).collect(),
    };
    if let Some(name) = missing.first() {
        // Point at the first place the file writes it (past the front matter).
        let needle = format!("{{{name}}}");
        let body_start = content.text.find("\n+++").map_or(0, |i| i + 4).min(content.text.len());
        let at = content.text[body_start..]
            .find(&needle)
            .map_or(0..0, |i| body_start + i..body_start + i + needle.len());
        let d = if name == "website" {
            Diagnostic::error(format!("`{{website}}` has no value: {} has no website", values.practice)).hint(
                "add `website = \"https://…\"` to the practice's [brand] table, or write the text without `{website}`",
            )
        } else {
            Diagnostic::error(format!(
                "`{{{name}}}` has no value in `{}` for a practice in {}",
                values.lang, values.country
            ))
            .hint("leafpress names the profession and the emergency department in nl, fr, de, en, tr, pl and ar; write the words themselves in other languages")
        };
        return Err(d.at(&content.path, &content.text, at).into());
    }
    // Everything but the body, which is new (cloning it only to replace it was 6 % of the
    // instructions of `check` on 400 KB of list items, callgrind).
    Ok(Content {
        path: content.path.clone(),
        text: content.text.clone(),
        front: content.front.clone(),
        body,
        section_ranges: content.section_ranges.clone(),
        cover: content.cover.clone(),
        deck: content.deck.clone(),
    })
}

/// A `tel:` link for a phone number as people write it: its digits, and a leading `+` if it
/// has one (`+32 9 123 45 67` → `tel:+3291234567`).
pub fn tel(phone: &str) -> String {
    let plus = if phone.trim_start().starts_with('+') { "+" } else { "" };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!("tel:{plus}{digits}")
}

fn section(s: &Section, values: &Values, missing: &mut Vec<String>) -> Section {
    Section {
        title: Inline::plain(&inlines(&s.title_inlines, values, missing)).trim().to_owned(),
        key_message: s.key_message.as_deref().map(|k| inlines(k, values, missing)),
        blocks: blocks(&s.blocks, values, missing),
        ..s.clone()
    }
}

fn blocks(bs: &[Block], values: &Values, missing: &mut Vec<String>) -> Vec<Block> {
    bs.iter()
        .map(|b| match b {
            Block::Para { inlines: i } => Block::Para { inlines: inlines(i, values, missing) },
            Block::Heading { inlines: i } => Block::Heading { inlines: inlines(i, values, missing) },
            Block::List { ordered, start, items } => Block::List {
                ordered: *ordered,
                start: *start,
                items: items.iter().map(|item| blocks(item, values, missing)).collect(),
            },
            Block::Quote { blocks: inner } => Block::Quote { blocks: blocks(inner, values, missing) },
            Block::Callout { tone, blocks: inner } => {
                Block::Callout { tone: tone.clone(), blocks: blocks(inner, values, missing) }
            }
            Block::Table { header, align, rows } => Block::Table {
                header: header.iter().map(|cell| inlines(cell, values, missing)).collect(),
                align: align.clone(),
                rows: rows
                    .iter()
                    .map(|row| row.iter().map(|cell| inlines(cell, values, missing)).collect())
                    .collect(),
            },
            // The practice's country chooses; the other text is gone from its documents.
            Block::ByCountry { countries, block, otherwise } => {
                let chosen = if countries.contains(&values.country) { block } else { otherwise };
                blocks(std::slice::from_ref(chosen), values, missing).remove(0)
            }
            other => other.clone(),
        })
        .collect()
}

fn inlines(is: &[Inline], values: &Values, missing: &mut Vec<String>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(is.len());
    for i in is {
        let next = match i {
            Inline::Var { name } => match values.get(name) {
                Some(v) => Inline::Text { text: v.to_owned() },
                None => {
                    missing.push(name.clone());
                    Inline::Text { text: format!("{{{name}}}") }
                }
            },
            Inline::Strong { children } => Inline::Strong { children: inlines(children, values, missing) },
            Inline::Emph { children } => Inline::Emph { children: inlines(children, values, missing) },
            Inline::Link { url, children } => {
                // A link to `{website}` of a practice without one.
                if let Some(name) = URL_NAMES.iter().find(|n| url.starts_with(&format!("{{{n}}}")))
                    && !values.urls.contains_key(name)
                {
                    missing.push((*name).to_owned());
                }
                Inline::Link { url: values.url(url), children: inlines(children, values, missing) }
            }
            other => other.clone(),
        };
        // Keep text runs whole, as the parser does.
        match (out.last_mut(), next) {
            (Some(Inline::Text { text: prev }), Inline::Text { text }) => prev.push_str(&text),
            (_, next) => out.push(next),
        }
    }
    // Runs too long for a line get break opportunities, now that values are filled in.
    for i in &mut out {
        if let Inline::Text { text } | Inline::Code { text } = i
            && let std::borrow::Cow::Owned(broken) = super::breaks::breakable(text)
        {
            *text = broken;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_become_addresses() {
        let urls = [
            ("website", "https://www.delinde.example".to_owned()),
            ("email", "mailto:info@delinde.example".to_owned()),
            ("phone", tel("09 123 45 67")),
        ];
        let values = Values {
            map: BTreeMap::new(),
            urls: urls.into_iter().collect(),
            lang: "nl".into(),
            country: "BE".into(),
            practice: "De Linde".into(),
        };
        assert_eq!(values.url("{website}"), "https://www.delinde.example");
        assert_eq!(values.url("{website}/afspraak"), "https://www.delinde.example/afspraak");
        assert_eq!(values.url("{email}"), "mailto:info@delinde.example");
        assert_eq!(values.url("{phone}"), "tel:091234567");
        assert_eq!(values.url("https://example.org/{x}"), "https://example.org/{x}");
        assert_eq!(tel("+32 (9) 123-45-67"), "tel:+3291234567");
    }

    #[test]
    fn values_are_filled_once() {
        let map = [("practice", "{phone} Care".to_owned()), ("phone", "09 123".to_owned())];
        let values = Values {
            map: map.into_iter().collect(),
            urls: BTreeMap::new(),
            lang: "nl".into(),
            country: "BE".into(),
            practice: "De Linde".into(),
        };
        assert_eq!(values.fill("Bel {practice} op {phone} {x} {"), "Bel {phone} Care op 09 123 {x} {");
        assert_eq!(unknown_in("{day} {foo} {phone} { x } {", &["day"]), vec![("foo".to_owned(), 6..11)]);
    }
}
