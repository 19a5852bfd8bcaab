//! `leafpress init` and `leafpress new`: a working project, or a new topic in one, from the
//! binary alone. Neither ever overwrites a file: if any file it would write exists, it writes
//! nothing and says which.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result, display_path};
use crate::project::brand::is_short_name;

/// The languages `init` and `new` write content in.
pub const LANGUAGES: [&str; 4] = ["nl", "en", "fr", "de"];

/// The starter project's topic.
const TOPIC: &str = "low-back-pain";

/// The starter project's files, as written: path, text.
const STARTER: [(&str, &str); 4] = [
    ("leafpress.toml", include_str!("starter/leafpress.toml")),
    (".gitignore", include_str!("starter/gitignore")),
    ("images/logo.svg", include_str!("starter/images/logo.svg")),
    ("images/lower-back.svg", include_str!("starter/images/lower-back.svg")),
];

/// The starter topic, per language.
const CONTENT: [(&str, &str); 4] = [
    ("nl", include_str!("starter/leaflets/low-back-pain/nl.md")),
    ("en", include_str!("starter/leaflets/low-back-pain/en.md")),
    ("fr", include_str!("starter/leaflets/low-back-pain/fr.md")),
    ("de", include_str!("starter/leaflets/low-back-pain/de.md")),
];

const REFERENCES: &str = include_str!("starter/leaflets/low-back-pain/references.yml");

/// An example practice per language, so the first build shows the right numbers and words.
struct Practice {
    name: &'static str,
    tagline: &'static str,
    logo_alt: &'static str,
    country: &'static str,
    address: &'static str,
    phone: &'static str,
    domain: &'static str,
}

fn practice(lang: &str) -> Practice {
    match lang {
        "en" => Practice {
            name: "Example Physiotherapy",
            tagline: "Physiotherapy for back and neck",
            logo_alt: "Logo of Example Physiotherapy",
            country: "UK",
            address: r#"["1 Example Street", "Leeds LS1 1AA"]"#,
            phone: "0113 000 0000",
            domain: "example-physio.example",
        },
        "fr" => Practice {
            name: "Cabinet Exemple",
            tagline: "Kinésithérapie du dos et du cou",
            logo_alt: "Logo du Cabinet Exemple",
            country: "BE",
            address: r#"["Rue de l’Exemple 1", "1000 Bruxelles"]"#,
            phone: "02 000 00 00",
            domain: "cabinet-exemple.example",
        },
        "de" => Practice {
            name: "Praxis Beispiel",
            tagline: "Physiotherapie für Rücken und Nacken",
            logo_alt: "Logo der Praxis Beispiel",
            country: "DE",
            address: r#"["Beispielstraße 1", "10115 Berlin"]"#,
            phone: "030 0000000",
            domain: "praxis-beispiel.example",
        },
        _ => Practice {
            name: "Praktijk Voorbeeld",
            tagline: "Kinesitherapie voor rug en nek",
            logo_alt: "Logo van Praktijk Voorbeeld",
            country: "BE",
            address: r#"["Voorbeeldstraat 1", "9000 Gent"]"#,
            phone: "09 000 00 00",
            domain: "praktijk-voorbeeld.example",
        },
    }
}

/// A language code `init` and `new` accept, or a usage error.
/// The language `new` writes in without `--lang`: the project's source language when it is
/// one leafpress has starter text for, else Dutch. A settings file that cannot be read gives
/// Dutch too (`new` is not the place to report it; `check` is).
pub fn project_language(root: &Path) -> String {
    let path = root.join(crate::project::config::CONFIG_FILE);
    let limit = crate::project::assets::limits::SETTINGS_BYTES;
    let lang = root
        .canonicalize()
        .ok()
        .and_then(|root| crate::project::assets::confine(&root, &path).ok())
        .and_then(|_| crate::project::assets::read_limited(&path, limit, "the settings file").ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .and_then(|t| t.get("project")?.get("source-language")?.as_str().map(str::to_owned));
    lang.filter(|l| LANGUAGES.contains(&l.as_str())).unwrap_or_else(|| "nl".to_owned())
}

fn check_lang(lang: &str) -> Result<()> {
    if LANGUAGES.contains(&lang) {
        Ok(())
    } else {
        Err(Diagnostic::error(format!("no starter text in `{lang}`"))
            .hint(format!(
                "use --lang {}; a content file in another language can be added by hand",
                LANGUAGES.join(", --lang ")
            ))
            .usage()
            .into())
    }
}

/// Today, and three years on (the longest review interval), as front-matter dates.
fn dates(today: chrono::NaiveDate) -> (String, String) {
    let review = today.checked_add_months(chrono::Months::new(36)).unwrap_or(today);
    (today.format("%Y-%m-%d").to_string(), review.format("%Y-%m-%d").to_string())
}

/// The files of a new project in `lang`, dated `today`.
pub fn starter_files(lang: &str, today: chrono::NaiveDate) -> Vec<(String, String)> {
    let p = practice(lang);
    let (published, review_by) = dates(today);
    let mut files: Vec<(String, String)> = STARTER
        .iter()
        .map(|(path, text)| {
            let text = if *path == "leafpress.toml" {
                text.replace("{name}", p.name)
                    .replace("{tagline}", p.tagline)
                    .replace("{logo-alt}", p.logo_alt)
                    .replace("{country}", p.country)
                    .replace("{address}", p.address)
                    .replace("{phone}", p.phone)
                    .replace("{email}", &format!("info@{}", p.domain))
                    .replace("{website}", &format!("https://www.{}", p.domain))
                    .replace("{lang}", lang)
            } else {
                (*text).to_owned()
            };
            ((*path).to_owned(), text)
        })
        .collect();
    let content = CONTENT.iter().find(|(l, _)| *l == lang).map_or(CONTENT[0].1, |(_, t)| t);
    files.push((
        format!("leaflets/{TOPIC}/{lang}.md"),
        content.replace("{published}", &published).replace("{review-by}", &review_by),
    ));
    files.push((format!("leaflets/{TOPIC}/references.yml"), REFERENCES.to_owned()));
    files
}

/// Writes `files` under `dir`, or nothing at all if any of them exists.
fn write_new(dir: &Path, files: &[(String, String)]) -> Result<()> {
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| std::fs::symlink_metadata(dir.join(p)).is_ok())
        .map(|(p, _)| p.clone())
        .collect();
    if !existing.is_empty() {
        return Err(Diagnostic::error(format!(
            "{} already has {}; nothing was written",
            shown(dir),
            existing.join(", ")
        ))
        .hint("leafpress never overwrites a file: choose an empty folder, or move these files away first")
        .into());
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| crate::output::write_atomic(&path, text.as_bytes()));
        written.map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&path))))?;
    }
    Ok(())
}

/// How a folder is shown: `.` for the working directory.
fn shown(dir: &Path) -> String {
    match display_path(dir) {
        s if s.is_empty() => ".".to_owned(),
        s => s,
    }
}

/// `leafpress init [DIR] [--lang L]`: a complete project that builds as it is.
pub fn init(dir: &Path, lang: &str, today: chrono::NaiveDate) -> Result<Vec<PathBuf>> {
    check_lang(lang)?;
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(format!("{} is not a folder", display_path(dir))).usage().into());
    }
    let files = starter_files(lang, today);
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::error(format!("failed to create {} ({e})", display_path(dir))))?;
    write_new(dir, &files)?;
    Ok(files.iter().map(|(p, _)| dir.join(p)).collect())
}

/// Words of a new topic's skeleton, per language.
struct Skeleton {
    title: &'static str,
    intro: &'static str,
    what: &'static str,
    key: &'static str,
    body: &'static str,
    help: &'static str,
    call: &'static str,
    sign: &'static str,
}

fn skeleton(lang: &str) -> Skeleton {
    match lang {
        "en" => Skeleton {
            title: "Title of the leaflet",
            intro: "One or two sentences that say what this leaflet is about.",
            what: "What is it?",
            key: "The one or two sentences a reader must remember from this section.",
            body: "The explanation, in short sentences and everyday words.",
            help: "When should you get help straight away?",
            call: "Call the emergency number straight away if:",
            sign: "a warning sign, written as the patient would notice it.",
        },
        "fr" => Skeleton {
            title: "Titre du dépliant",
            intro: "Une ou deux phrases qui disent de quoi parle ce dépliant.",
            what: "De quoi s’agit-il ?",
            key: "Les une ou deux phrases à retenir de cette partie.",
            body: "L’explication, en phrases courtes et en mots de tous les jours.",
            help: "Quand demander de l’aide tout de suite ?",
            call: "Appelez tout de suite le numéro d’urgence si :",
            sign: "un signe d’alarme, écrit comme le patient le remarquerait.",
        },
        "de" => Skeleton {
            title: "Titel des Merkblatts",
            intro: "Ein oder zwei Sätze, worum es in diesem Merkblatt geht.",
            what: "Worum geht es?",
            key: "Die ein oder zwei Sätze, die man sich aus diesem Teil merken soll.",
            body: "Die Erklärung, in kurzen Sätzen und Alltagswörtern.",
            help: "Wann brauchen Sie sofort Hilfe?",
            call: "Rufen Sie sofort den Notruf, wenn:",
            sign: "ein Warnzeichen, so beschrieben, wie Patienten es bemerken.",
        },
        _ => Skeleton {
            title: "Titel van de folder",
            intro: "Een of twee zinnen die zeggen waarover deze folder gaat.",
            what: "Wat is het?",
            key: "De een of twee zinnen die een lezer uit dit deel moet onthouden.",
            body: "De uitleg, in korte zinnen en gewone woorden.",
            help: "Wanneer zoek je meteen hulp?",
            call: "Bel meteen het noodnummer als:",
            sign: "een alarmsignaal, beschreven zoals de patiënt het merkt.",
        },
    }
}

/// The text of a new topic's content file.
pub fn topic_skeleton(lang: &str, today: chrono::NaiveDate) -> String {
    let s = skeleton(lang);
    let (published, review_by) = dates(today);
    format!(
        "+++\ntitle = \"{title}\"\nlang = \"{lang}\"\nversion = \"0.1\"\npublished = {published}\n\
         review-by = {review_by}\nauthors = [\"…\"]\nreviewers = []\n+++\n\n{intro}\n\n\
         ## {what} {{#what-is}}\n\n> [!IMPORTANT]\n> {key}\n\n{body}\n\n\
         ## {help} {{#red-flags .urgent}}\n\n{call}\n\n- {sign}\n",
        title = s.title,
        intro = s.intro,
        what = s.what,
        key = s.key,
        body = s.body,
        help = s.help,
        call = s.call,
        sign = s.sign,
    )
}

/// `leafpress new TOPIC [--lang L]`: a topic skeleton in the project at `root`.
pub fn new_topic(root: &Path, topic: &str, lang: &str, today: chrono::NaiveDate) -> Result<PathBuf> {
    check_lang(lang)?;
    if !is_short_name(topic) {
        return Err(Diagnostic::error(format!("`{topic}` is not a topic id"))
            .hint("a topic id is its folder name: lower-case letters, digits and hyphens, e.g. `neck-pain`")
            .usage()
            .into());
    }
    if !root.join(crate::project::config::CONFIG_FILE).is_file() {
        return Err(Diagnostic::error(format!(
            "{} is not a leafpress project (no leafpress.toml)",
            shown(root)
        ))
        .hint("run `leafpress new` in a project folder, or start one with `leafpress init`")
        .usage()
        .into());
    }
    let rel = format!("{}/{topic}/{lang}.md", crate::project::LEAFLETS_DIR);
    write_new(root, &[(rel.clone(), topic_skeleton(lang, today))])?;
    Ok(root.join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn starter_files_fill_every_placeholder() {
        for lang in LANGUAGES {
            for (path, text) in starter_files(lang, day()) {
                for placeholder in
                    ["{name}", "{country}", "{address}", "{published}", "{review-by}", "{lang}"]
                {
                    assert!(!text.contains(placeholder), "{lang} {path}: {placeholder} left");
                }
            }
        }
    }

    #[test]
    fn review_by_is_three_years_on() {
        assert_eq!(dates(day()), ("2026-12-01".to_owned(), "2029-12-01".to_owned()));
    }

    #[test]
    fn nothing_is_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("leafpress.toml"), "mine").unwrap();
        let err = init(dir.path(), "nl", day()).unwrap_err();
        assert!(
            err.0[0].message.ends_with("already has leafpress.toml; nothing was written"),
            "{}",
            err.0[0].message
        );
        assert_eq!(std::fs::read_to_string(dir.path().join("leafpress.toml")).unwrap(), "mine");
        assert!(!dir.path().join("leaflets").exists());
    }
}
