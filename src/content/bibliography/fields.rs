//! The fields of Hayagriva YAML, what each holds, and what to write for the names clinicians
//! know from other reference managers.

/// What a value in `references.yml` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A reference (an entry or its parent).
    Entry,
    /// Formattable text: a string, or `{value, short}` (each a string or `{value, verbatim}`).
    Text,
    /// One or more names.
    Persons,
    /// One or more `{names, role}`.
    Affiliated,
    /// A publisher: a string or `{name, location}`.
    Publisher,
    /// A URL: a string or `{value, date}`.
    Url,
    /// A date: a string or number, or `{year, month, day, approximate, season}`.
    Date,
    /// A time range: a string or `{start, end}`.
    TimeRange,
    /// Serial numbers: `{doi: …, isbn: …}`, any keys.
    Serial,
    /// A scalar (numbers, the type, the language), checked by Hayagriva alone.
    Scalar,
}

/// An entry's fields, the most used first.
pub const ENTRY: &[(&str, Shape)] = &[
    ("type", Shape::Scalar),
    ("title", Shape::Text),
    ("author", Shape::Persons),
    ("date", Shape::Date),
    ("parent", Shape::Entry),
    ("editor", Shape::Persons),
    ("publisher", Shape::Publisher),
    ("location", Shape::Text),
    ("organization", Shape::Text),
    ("volume", Shape::Scalar),
    ("issue", Shape::Scalar),
    ("edition", Shape::Scalar),
    ("chapter", Shape::Scalar),
    ("page-range", Shape::Scalar),
    ("page-total", Shape::Scalar),
    ("url", Shape::Url),
    ("serial-number", Shape::Serial),
    ("language", Shape::Scalar),
    ("note", Shape::Text),
    ("abstract", Shape::Text),
    ("genre", Shape::Text),
    ("affiliated", Shape::Affiliated),
    ("archive", Shape::Text),
    ("archive-location", Shape::Text),
    ("call-number", Shape::Text),
    ("volume-total", Shape::Scalar),
    ("time-range", Shape::TimeRange),
    ("runtime", Shape::Scalar),
    // Hayagriva's alias of `serial-number`.
    ("serial", Shape::Serial),
];

/// The keys of a map of the given shape and what each holds; `None` for a shape that is not
/// a map of fixed keys.
pub fn keys(shape: Shape) -> Option<&'static [(&'static str, Shape)]> {
    Some(match shape {
        Shape::Entry => ENTRY,
        Shape::Text => &[("value", Shape::Text), ("short", Shape::Text), ("verbatim", Shape::Scalar)],
        Shape::Persons => &[
            ("name", Shape::Scalar),
            ("given-name", Shape::Scalar),
            ("prefix", Shape::Scalar),
            ("suffix", Shape::Scalar),
            ("comma-suffix", Shape::Scalar),
            ("alias", Shape::Scalar),
        ],
        Shape::Affiliated => &[("names", Shape::Persons), ("role", Shape::Scalar)],
        Shape::Publisher => &[("name", Shape::Text), ("location", Shape::Text)],
        Shape::Url => &[("value", Shape::Scalar), ("date", Shape::Date)],
        Shape::Date => &[
            ("year", Shape::Scalar),
            ("month", Shape::Scalar),
            ("day", Shape::Scalar),
            ("approximate", Shape::Scalar),
            ("season", Shape::Scalar),
        ],
        Shape::TimeRange => &[("start", Shape::Scalar), ("end", Shape::Scalar)],
        Shape::Serial | Shape::Scalar => return None,
    })
}

/// The shape of an entry's field.
pub fn entry_field(name: &str) -> Option<Shape> {
    ENTRY.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// What a map of this shape is, in messages ("in {what} of `key`").
pub fn what(shape: Shape) -> &'static str {
    match shape {
        Shape::Entry => "a reference",
        Shape::Text => "a text",
        Shape::Persons => "a name",
        Shape::Affiliated => "`affiliated`",
        Shape::Publisher => "the publisher",
        Shape::Url => "the URL",
        Shape::Date => "a date",
        Shape::TimeRange => "the time range",
        Shape::Serial | Shape::Scalar => "a value",
    }
}

/// The serial numbers Hayagriva prints, by their lower-case key.
pub const SERIALS: &[&str] = &["doi", "isbn", "issn", "pmid", "pmcid", "arxiv"];

/// The hint for an unknown key `key` in a map of shape `shape`.
pub fn unknown_hint(shape: Shape, key: &str) -> String {
    let norm = key.trim().to_lowercase().replace(['_', ' '], "-");
    if shape == Shape::Entry
        && let Some(hint) = clinician_name(&norm)
    {
        return hint;
    }
    if shape == Shape::Persons
        && let Some(to) = match norm.as_str() {
            "given" | "first" | "first-name" | "firstname" | "forename" | "given-names" | "voornaam"
            | "initials" => Some("given-name"),
            "family" | "last" | "last-name" | "lastname" | "surname" | "family-name" | "achternaam" => {
                Some("name")
            }
            "particle" | "von" | "tussenvoegsel" | "non-dropping-particle" => Some("prefix"),
            _ => None,
        }
    {
        return format!(
            "did you mean `{to}`? a name is `Family, Given`, or `{{name: Family, given-name: Given, prefix: van}}`"
        );
    }
    if shape == Shape::Url && matches!(norm.as_str(), "url" | "link" | "href") {
        return "did you mean `value`? a URL with the date you visited it is `url: {value: https://…, date: 2024-01-31}`".to_owned();
    }
    if shape == Shape::Url && matches!(norm.as_str(), "accessed" | "visited" | "urldate" | "access-date") {
        return "did you mean `date`? a URL with the date you visited it is `url: {value: https://…, date: 2024-01-31}`".to_owned();
    }
    let Some(fields) = keys(shape) else { return String::new() };
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).filter(|n| *n != "serial").collect();
    let close = names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(n, &norm), *n))
        .filter(|(d, n)| *d == 0 || *d <= if n.len() <= 4 { 1 } else { 2 })
        .min();
    let example = example(shape);
    match close {
        Some((_, name)) => format!("did you mean `{name}`?{example}"),
        None => format!("remove it; the fields of {}: {}", what(shape), list(&names)),
    }
}

/// ` e.g. …` after a did-you-mean, for the shapes whose keys are easy to mix up.
fn example(shape: Shape) -> &'static str {
    match shape {
        Shape::Persons => " a name is `Family, Given`, or `{name: Family, given-name: Given, prefix: van}`",
        Shape::Date => " a date is `2020`, `2020-03` or `2020-03-15`, or `{year: 2020, month: 3}`",
        Shape::Publisher => " a publisher is its name, or `{name: …, location: …}`",
        Shape::Url => " a URL is `https://…`, or `{value: https://…, date: 2024-01-31}`",
        Shape::Affiliated => " e.g. `affiliated: {role: translator, names: [Family, Given]}`",
        _ => "",
    }
}

/// `a, b, c`.
fn list(names: &[&str]) -> String {
    names.join(", ")
}

/// The hint for a field of a reference named as other reference managers (and clinicians)
/// name it.
fn clinician_name(norm: &str) -> Option<String> {
    let to = |field: &str, how: &str| match how {
        "" => Some(format!("did you mean `{field}`?")),
        _ => Some(format!("did you mean `{field}`? {how}")),
    };
    match norm {
        "authors" | "auteur" | "auteurs" | "autor" | "autoren" | "auteurs-trices" | "creator" | "creators" | "writer" | "writers" => {
            to("author", "one name, `author: Family, Given`, or a list with one `- Family, Given` per line")
        }
        "editors" | "ed" | "eds" | "redactie" | "redacteur" | "redacteuren" | "herausgeber" => {
            to("editor", "one name, `editor: Family, Given`, or a list with one `- Family, Given` per line")
        }
        "year" | "yr" | "jaar" | "jahr" | "annee" | "issued" | "published" | "pub-date" | "pubdate"
        | "publication-date" | "publication-year" | "datum" => {
            to("date", "the year, `date: 2020`, or with month and day, `date: 2020-03-15`")
        }
        "month" | "day" | "maand" | "dag" => Some(format!(
            "the {norm} is part of `date`: `date: 2020-03` or `date: 2020-03-15`"
        )),
        "journal" | "journal-title" | "journaltitle" | "journal-name" | "periodical" | "magazine"
        | "container-title" | "container" | "source" | "tijdschrift" | "zeitschrift" | "revue" | "secondary-title" => Some(
            "the journal is the reference's parent: `parent: {type: periodical, title: …}` (its `volume` and `issue` go in the parent too)"
                .to_owned(),
        ),
        "booktitle" | "book-title" | "book" | "boek" => Some(
            "the book a chapter is in is its parent: `parent: {type: book, title: …}` (with the chapter's `type: chapter`)"
                .to_owned(),
        ),
        "proceedings" | "conference" | "event" | "congress" | "congres" => Some(
            "the proceedings a paper is in are its parent: `parent: {type: proceedings, title: …}`".to_owned(),
        ),
        "doi" | "isbn" | "issn" | "pmid" | "pmcid" | "arxiv" => {
            Some(format!("`{norm}` goes under `serial-number`: `serial-number: {{{norm}: …}}`"))
        }
        "pages" | "page" | "pp" | "pagina" | "paginas" | "blz" | "seiten" | "pagerange" | "page-numbers" => to("page-range", "`page-range: 120-130`"),
        "number" | "nr" | "no" | "nummer" | "issue-number" => to("issue", "`issue: 3`"),
        "vol" | "jaargang" => to("volume", "`volume: 5`"),
        "address" | "city" | "place" | "plaats" | "ort" | "lieu" | "publisher-place" => to(
            "location",
            "where a book was published goes with its publisher: `publisher: {name: …, location: …}`",
        ),
        "institution" | "school" | "university" | "organisation" | "instelling" => {
            to("organization", "")
        }
        "link" | "links" | "web" | "website" | "href" | "uri" | "www" => {
            to("url", "`url: https://…`, or `url: {value: https://…, date: 2024-01-31}` with the date you visited it")
        }
        "accessed" | "urldate" | "access-date" | "accessdate" | "visited" | "geraadpleegd" | "retrieved" => Some(
            "the date you visited a page goes with its URL: `url: {value: https://…, date: 2024-01-31}`".to_owned(),
        ),
        "lang" | "langid" | "taal" | "sprache" => to("language", "a language tag, `language: en`"),
        "summary" | "samenvatting" => to("abstract", ""),
        "notes" | "comment" | "comments" | "annote" | "annotation" | "opmerking" => {
            to("note", "")
        }
        "subtitle" | "ondertitel" => Some(
            "put the subtitle in the title, in double quotes: `title: \"Main title: subtitle\"`".to_owned(),
        ),
        "id" | "key" | "citekey" | "cite-key" | "citation-key" | "label" => Some(
            "the key is the line the reference starts with (`smith2020:`), not a field".to_owned(),
        ),
        "translator" | "translators" | "vertaler" => Some(
            "a translator is `affiliated: {role: translator, names: [Family, Given]}`".to_owned(),
        ),
        "kind" | "entry-type" | "entrytype" | "soort" => to("type", "`type: article`"),
        "titel" | "titre" | "name" => to("title", ""),
        _ => None,
    }
}

/// Entry types that other tools name differently, and what Hayagriva calls them.
pub fn type_alias(norm: &str) -> Option<&'static str> {
    Some(match norm {
        "journal-article" | "journalarticle" | "journal" | "paper" | "artikel" | "review" | "jour"
        | "article-journal" | "study" => "article",
        "website" | "webpage" | "web-page" | "online" | "www" | "elec" | "site" | "internet" => "web",
        "inbook" | "incollection" | "book-section" | "booksection" | "chap" | "hoofdstuk" => "chapter",
        "phdthesis" | "mastersthesis" | "dissertation" | "thes" | "proefschrift" | "scriptie" => "thesis",
        "techreport" | "rprt" | "rapport" | "guideline" | "richtlijn" | "standard" => "report",
        "inproceedings" | "conference-paper" | "conf" | "cpaper" => "article",
        "boek" | "buch" | "livre" => "book",
        _ => return None,
    })
}

/// Hayagriva's entry types, the most used first.
pub const TYPES: &[&str] = &[
    "article",
    "book",
    "chapter",
    "report",
    "thesis",
    "web",
    "periodical",
    "proceedings",
    "conference",
    "reference",
    "anthology",
    "anthos",
    "newspaper",
    "legislation",
    "case",
    "patent",
    "manuscript",
    "post",
    "thread",
    "blog",
    "video",
    "audio",
    "performance",
    "scene",
    "artwork",
    "exhibition",
    "original",
    "repository",
    "entry",
    "misc",
];

/// The hint for an unknown `type`; `parent` when it is the type of a parent.
pub fn type_hint(written: &str, parent: bool) -> String {
    let norm = written.trim().to_lowercase().replace(['_', ' '], "-");
    let journal = matches!(norm.as_str(), "journal" | "magazine" | "tijdschrift" | "zeitschrift" | "revue");
    if parent && journal {
        return "did you mean `periodical`? a journal is `type: periodical`".to_owned();
    }
    if norm == "inproceedings" || norm == "conference-paper" {
        return "a conference paper is `type: article` with `parent: {type: proceedings, title: …}`"
            .to_owned();
    }
    if matches!(norm.as_str(), "journal" | "journal-article" | "journalarticle" | "article-journal") {
        return "a journal article is `type: article`, with the journal as its parent: `parent: {type: periodical, title: …}`".to_owned();
    }
    if let Some(to) = type_alias(&norm) {
        return format!("did you mean `{to}`?");
    }
    let close = TYPES
        .iter()
        .map(|t| (strsim::damerau_levenshtein(t, &norm), *t))
        .filter(|(d, t)| *d <= if t.len() <= 4 { 1 } else { 2 })
        .min();
    match close {
        Some((_, t)) => format!("did you mean `{t}`?"),
        None => format!("types: {}", list(TYPES)),
    }
}

/// What to write in a field whose value Hayagriva refused.
pub fn value_hint(field: &str) -> &'static str {
    match field {
        "type" => {
            "the kind of work, in lower case: `article` (in a journal), `book`, `chapter`, `report`, `thesis`, `web`, …"
        }
        "author" | "editor" => "one name, `Family, Given`, or a list with one `- Family, Given` per line",
        "date" => "the year, `2020`, or with month and day, `2020-03` or `2020-03-15`",
        "parent" => {
            "the journal of an article as `parent: {type: periodical, title: …, volume: 5, issue: 3}`"
        }
        "page-range" => "pages as `120-130`, or one page, `45`",
        "volume" | "issue" | "edition" | "chapter" | "volume-total" | "page-total" => "a number, or text",
        "url" => {
            "a whole address, `https://…`, or `{value: https://…, date: 2024-01-31}` with the date you visited it"
        }
        "serial-number" | "serial" => "the numbers by kind: `serial-number: {doi: …, isbn: …}`",
        "publisher" => "its name, or `{name: …, location: …}`",
        "language" => "a language tag: `en`, `nl`, `fr`, `de`, …",
        "affiliated" => "`{role: translator, names: [Family, Given]}`",
        "time-range" | "runtime" => "a duration as `01:30:00`, or a range `00:10:00-00:20:00`",
        _ => {
            "text, in double quotes if it holds `: ` or starts with a sign (`[`, `{`, `*`, `@`, …): `\"Back pain: a review\"`"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clinicians_names_have_hints() {
        assert!(unknown_hint(Shape::Entry, "authors").starts_with("did you mean `author`?"));
        assert!(unknown_hint(Shape::Entry, "year").starts_with("did you mean `date`?"));
        assert!(unknown_hint(Shape::Entry, "journal").contains("parent: {type: periodical, title: …}"));
        assert!(unknown_hint(Shape::Entry, "DOI").contains("serial-number: {doi: …}"));
        assert!(unknown_hint(Shape::Entry, "Title").starts_with("did you mean `title`?"));
        assert!(unknown_hint(Shape::Entry, "auhtor").starts_with("did you mean `author`?"));
        assert!(unknown_hint(Shape::Entry, "page_range").starts_with("did you mean `page-range`?"));
        assert!(
            unknown_hint(Shape::Entry, "keywords")
                .starts_with("remove it; the fields of a reference: type, title, author")
        );
        assert!(unknown_hint(Shape::Persons, "given").starts_with("did you mean `given-name`?"));
        assert!(unknown_hint(Shape::Date, "yeer").starts_with("did you mean `year`?"));
    }

    #[test]
    fn types() {
        assert_eq!(type_hint("webpage", false), "did you mean `web`?");
        assert_eq!(type_hint("artcle", false), "did you mean `article`?");
        assert!(type_hint("journal", false).contains("parent: {type: periodical"));
        assert!(type_hint("journal", true).starts_with("did you mean `periodical`?"));
        assert!(type_hint("spaceship", false).starts_with("types: article, book, chapter"));
    }
}
