//! The source text each part of a translation was accepted against, kept beside it as
//! `<lang>.accepted.toml` (written by `leafpress accept`), so that a stale warning can show
//! what changed in the source since, without git. Commit it with the translation.
//!
//! It only helps to explain: a missing, unreadable or outdated file means no diff, never an
//! error; the fingerprints in the translation's front matter stay the record.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The largest accepted-text file read: twice the largest content file.
const MAX_BYTES: u64 = 2 * crate::project::assets::limits::CONTENT_BYTES;

/// One part as it was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    /// The fingerprint written under `[translated-from]` at the time.
    pub fingerprint: String,
    /// The source's Markdown of the part then.
    pub text: String,
}

/// The file's contents: a comment, then one table per part.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// The source file the parts come from, relative to the topic folder (`nl.md`).
    source: String,
    /// Per part id (`introduction` or a section id).
    parts: BTreeMap<String, Accepted>,
}

/// `leaflets/hernia/en.accepted.toml` for `leaflets/hernia/en.md`.
pub fn path_for(translation: &Path) -> PathBuf {
    let stem = translation.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    translation.with_file_name(format!("{stem}.accepted.toml"))
}

/// The topic id and language of a content file (`leaflets/hernia/en.md` → hernia, en), or of
/// a deck file (`decks/lesson/en.md` → decks/lesson, en).
pub fn topic_and_lang(path: &Path) -> (String, String) {
    let name = |p: Option<&std::ffi::OsStr>| p.map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = path.parent();
    let mut id = name(dir.and_then(Path::file_name));
    if dir.and_then(Path::parent).and_then(Path::file_name).is_some_and(|d| d == crate::deck::DECKS_DIR) {
        id = format!("{}/{id}", crate::deck::DECKS_DIR);
    }
    (id, name(path.file_stem()))
}

/// The parts accepted for `translation`; empty when there is no usable file (a link, too
/// large, not TOML of this shape).
pub fn read(translation: &Path) -> BTreeMap<String, Accepted> {
    let path = path_for(translation);
    // Never through a link: nothing outside the project is read.
    let plain = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES);
    if !plain {
        return BTreeMap::new();
    }
    std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| toml::from_str::<File>(&text).ok())
        .map(|f| f.parts)
        .unwrap_or_default()
}

/// Records `parts` as accepted for `translation` against `source`, keeping the other parts
/// already recorded; written whole (through a temporary file).
pub fn write(translation: &Path, source: &Path, parts: BTreeMap<String, Accepted>) -> std::io::Result<()> {
    let mut all = read(translation);
    all.extend(parts);
    let file = File {
        source: source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        parts: all,
    };
    let body = toml::to_string(&file).map_err(std::io::Error::other)?;
    let text = format!(
        "# Written by `leafpress accept`: the source text each part of {} was last accepted\n\
         # against, so that a stale warning can show what changed in the source since. Keep it\n\
         # with the translation (commit it); leafpress only reads it to explain.\n\n{body}",
        translation.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    );
    crate::output::write_atomic(&path_for(translation), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_parts_not_accepted_again() {
        let dir = tempfile::tempdir().unwrap();
        let (t, s) = (dir.path().join("en.md"), dir.path().join("nl.md"));
        let a = |f: &str, t: &str| Accepted { fingerprint: f.into(), text: t.into() };
        write(&t, &s, [("intro".into(), a("1", "Een\n\"zin\"\n"))].into()).unwrap();
        write(&t, &s, [("x".into(), a("2", "Twee"))].into()).unwrap();
        let read = read(&t);
        assert_eq!(read.len(), 2);
        assert_eq!(read["intro"], a("1", "Een\n\"zin\"\n"));
        assert_eq!(topic_and_lang(Path::new("leaflets/hernia/en.md")), ("hernia".into(), "en".into()));
        assert_eq!(
            path_for(Path::new("leaflets/hernia/en.md")),
            Path::new("leaflets/hernia/en.accepted.toml")
        );
    }
}
