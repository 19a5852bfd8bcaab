//! `leafpress.toml`: the project, the practice's brand and the layout, parsed and validated.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::assets;
use super::brand::{self, Brand, RawBrand};
use super::layout::{self, Layout, RawLayout, RawPrint};
use crate::diag::{Diagnostic, Result, Sink};

/// The name of the project file at the root.
pub const CONFIG_FILE: &str = "leafpress.toml";

/// WCAG AA contrast for normal-size text.
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// `leafpress.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    /// The `[project]` table.
    #[serde(default)]
    project: RawProject,
    /// The `[brand]` table.
    brand: RawBrand,
    /// The `[layout]` table.
    #[serde(default)]
    layout: RawLayout,
    /// The `[print]` table.
    #[serde(default)]
    print: RawPrint,
}

/// The `[project]` table.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawProject {
    /// A name for the project, shown in messages.
    name: Option<String>,
    /// The language translations are made from.
    source_language: Option<Spanned<String>>,
    /// What a stale translation builds as.
    #[serde(default)]
    stale_translations: StalePolicy,
    /// What a leaflet past its review date builds as.
    #[serde(default)]
    expired: ExpiredPolicy,
    /// Sentences longer than this are flagged by `check`.
    max_sentence_words: Option<Spanned<i64>>,
    /// Scores under this are flagged by `check`.
    min_readability: Option<Spanned<super::reading::RawMin>>,
}

/// `[project] stale-translations`: what a translation whose source changed since it was
/// accepted builds as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StalePolicy {
    /// Built, with a localised draft mark on every page, and recorded as a draft (default:
    /// the practice can still print the corrected source, and an outdated translation is
    /// never mistaken for a current one).
    #[default]
    Draft,
    /// Built as a current one; the staleness is a warning.
    Warn,
    /// Not built (withheld, like a translation with parity errors).
    Error,
}

/// `[project] expired`: what a leaflet past its review-by date builds as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpiredPolicy {
    /// Not built (default: governance withdraws a leaflet past its review date).
    #[default]
    Error,
    /// Built with a draft mark on every page.
    Draft,
}

/// The validated project configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The project's name, if given.
    pub name: Option<String>,
    /// The language translations are made from (`[project] source-language`).
    pub source_language: Option<String>,
    /// Where `source-language` is written, for errors about it.
    pub source_language_origin: Option<Origin>,
    /// What stale translations build as.
    pub stale_translations: StalePolicy,
    /// What leaflets past their review date build as.
    pub expired: ExpiredPolicy,
    /// `max-sentence-words` and `min-readability`.
    pub readability: crate::readability::lint::Limits,
    /// The practices: leafpress.toml's `[brand]` first, then `brands/*.toml` by file name.
    pub brands: Vec<Brand>,
    /// Layout settings per format.
    pub layout: Layout,
}

/// A place in `leafpress.toml`, kept for errors found after parsing (e.g. an unknown font).
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: Arc<str>,
    /// The byte range of the value.
    pub range: std::ops::Range<usize>,
}

impl Origin {
    /// An error at this place; a value left at its default (empty span) has no place to show.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(message);
        if self.range.is_empty() { d } else { d.at(&self.path, &self.text, self.range.clone()) }
    }
}

/// Reads and validates `leafpress.toml` in `root` (canonical).
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(CONFIG_FILE);
    if path.exists() {
        assets::confine(root, &path)
            .map_err(|e| Diagnostic::error(format!("failed to read leafpress.toml ({e})")))?;
    }
    let bytes =
        assets::read_limited(&path, assets::limits::SETTINGS_BYTES, "the settings file").map_err(|e| {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => e,
                Ok(_) => e.hint(
                    "leafpress.toml is the project's settings file: replace what is there with that file",
                ),
                Err(_) => e.hint("run leafpress in a project folder, or pass --root DIR"),
            }
        })?;
    let text = crate::diag::decode_utf8(&path, bytes, "leafpress.toml")?;
    // Every missing key at once, before serde would report them one per run.
    let missing = brand::key_problems(&path, &text);
    if !missing.is_empty() {
        return Err(crate::diag::Diagnostics(missing));
    }
    let raw: RawConfig = toml::from_str(&text).map_err(|e| read_error(&path, &text, &e, "leafpress.toml"))?;
    validate(root, &path, &text, raw)
}

/// A TOML error in a settings file, with what to write where serde only says what it expected.
fn read_error(path: &Path, text: &Arc<str>, e: &toml::de::Error, shown: &str) -> Diagnostic {
    let range = e.span().unwrap_or(0..0);
    let message = e.message().trim();
    let in_brand_file = shown != "leafpress.toml";
    let hint = super::toml_help::type_hint(text, &range, message)
        .or_else(|| {
            // A table of leafpress.toml in a brand file (serde expects only `brand` there).
            (in_brand_file && message.starts_with("unknown field") && message.ends_with("expected `brand`")).then(|| {
                "a brand file holds only [brand], [brand.colors] and [[brand.numbers]]; layout and print settings are shared, in leafpress.toml".to_owned()
            })
        })
        .or_else(|| super::toml_help::did_you_mean(message))
        .unwrap_or_else(|| {
            "this is TOML: `key = value` lines under [table] headers, text in quotes, lists in [ ]; `leafpress init` writes an example with every key".to_owned()
        });
    Diagnostic::error(format!("failed to read {shown} ({})", super::toml_help::plain_message(message)))
        .at(path, text, range)
        .hint(hint)
}

/// Turns parsed values into real types, collecting every problem.
fn validate(root: &Path, path: &Path, text: &Arc<str>, raw: RawConfig) -> Result<Config> {
    let mut sink = Sink::default();
    let at = |range: std::ops::Range<usize>| Origin { path: path.to_owned(), text: text.clone(), range };

    let brand = brand::validate(root, raw.brand, &at, &mut sink);
    let layout = layout::validate(raw.layout, raw.print, &at, &mut sink);
    let readability =
        super::reading::validate(raw.project.max_sentence_words, raw.project.min_readability, &at, &mut sink);

    let mut brands: Vec<Brand> = brand.into_iter().collect();
    brands.extend(sink.take(load_brands(root)).unwrap_or_default());
    let mut seen = std::collections::BTreeMap::new();
    for b in &brands {
        if let Some(first) = seen.insert(b.id.clone(), b.id_origin.path.clone()) {
            sink.push(b.id_origin.error(format!("two brands have the id `{}`", b.id)).hint(format!(
                "{} has it too; a brand file's id is its file name: rename one of the files, or give [brand] in leafpress.toml another `id`",
                crate::diag::display_path(&first)
            )));
        }
    }
    sink.finish()?;
    Ok(Config {
        name: raw.project.name,
        source_language_origin: raw.project.source_language.as_ref().map(|l| at(l.span())),
        source_language: raw.project.source_language.map(Spanned::into_inner),
        stale_translations: raw.project.stale_translations,
        expired: raw.project.expired,
        readability,
        brands,
        layout,
    })
}

/// The folder of further brands, one `<id>.toml` with a `[brand]` table each.
pub const BRANDS_DIR: &str = "brands";

/// `brands/<id>.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBrandFile {
    brand: RawBrand,
}

/// Reads the brands in `brands/`, in file-name order; each file's name is its brand's id.
fn load_brands(root: &Path) -> Result<Vec<Brand>> {
    let dir = root.join(BRANDS_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut files: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    files.sort();
    let mut sink = Sink::default();
    let mut out = Vec::new();
    for path in files {
        let shown = crate::diag::display_path(&path);
        if let Err(e) = assets::confine(root, &path) {
            sink.push(Diagnostic::error(format!("failed to read {shown} ({e})")).in_file(&path));
            continue;
        }
        let bytes = match assets::read_limited(&path, assets::limits::SETTINGS_BYTES, "a brand file") {
            Ok(b) => b,
            Err(e) => {
                sink.push(e);
                continue;
            }
        };
        let Some(text) = sink.take(crate::diag::decode_utf8(&path, bytes, "a brand file")) else { continue };
        let missing = brand::key_problems(&path, &text);
        if !missing.is_empty() {
            missing.into_iter().for_each(|d| sink.push(d));
            continue;
        }
        let raw: RawBrandFile = match toml::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                sink.push(read_error(&path, &text, &e, &shown));
                continue;
            }
        };
        let at = |range: std::ops::Range<usize>| Origin { path: path.clone(), text: text.clone(), range };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        // The file name is the brand's id, and ids become folders in the output.
        if !brand::is_short_name(&stem) {
            sink.push(
                Diagnostic::error(format!("brand file name {shown} does not make a brand id"))
                    .in_file(&path)
                    .hint(format!(
                        "a brand's file name is its id: lower-case letters, digits and hyphens, e.g. brands/{}.toml",
                        match brand::slug(&stem) {
                            s if brand::is_short_name(&s) => s,
                            _ => "zuiderpark".to_owned(),
                        }
                    )),
            );
            continue;
        }
        if let Some(written) = raw.brand.written_id()
            && written.get_ref() != &stem
        {
            sink.push(
                at(written.span())
                    .error(format!(
                        "a brand file's id is its file name (`{stem}`), not `{}`",
                        written.get_ref()
                    ))
                    .hint(format!("remove `id`, or rename the file to brands/{}.toml", written.get_ref())),
            );
        }
        if let Some(b) = brand::validate(root, raw.brand.with_id(&stem), &at, &mut sink) {
            out.push(b);
        }
    }
    sink.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(toml: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("images")).unwrap();
        std::fs::write(root.join("images/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        std::fs::write(root.join(CONFIG_FILE), toml).unwrap();
        (dir, root)
    }

    const GOOD: &str = r##"
[brand]
name = "P"
logo = "images/logo.svg"
logo-alt = "Logo"
country = "BE"
address = ["Street 1"]
phone = "1"
email = "a@b.example"
website = "https://b.example"
[brand.colors]
primary = "#0b5d66"
accent = "#e3a33b"
"##;

    #[test]
    fn accepts_a_valid_brand() {
        let (_d, root) = project(GOOD);
        let c = load(&root).unwrap();
        assert_eq!(c.brands[0].country, crate::project::country::Country::BE);
        assert_eq!(c.brands[0].logo.virtual_path, "/images/logo.svg");
        assert_eq!(c.brands[0].id, "p");
        assert_eq!(c.layout.get(crate::format::Format::Handout).body_size, 13.0);
    }

    #[test]
    fn layout_defaults_follow_the_format_and_the_paper() {
        use crate::format::Format;
        use crate::project::layout::Paper;
        let (_d, root) = project(GOOD);
        let c = load(&root).unwrap();
        let sizes = |f| (c.layout.get(f).body_size, c.layout.get(f).min_body_size);
        assert_eq!(sizes(Format::Trifold), (12.0, 10.0));
        assert_eq!(sizes(Format::Poster), (28.0, 18.0));
        assert_eq!(sizes(Format::Booklet), (12.0, 12.0));
        assert_eq!(sizes(Format::SlidesHandout), (28.0, 28.0), "the handout uses the slides' layout");
        assert_eq!(c.layout.get(Format::BookletImposed).body_size, 12.0);
        assert_eq!(c.layout.get(Format::Poster).paper, Some(Paper::A3));
        assert_eq!(c.layout.print, crate::project::layout::Print { bleed_mm: 0.0, crop_marks: false });

        let (_d, root) = project(&format!("{GOOD}\n[layout.poster]\npaper = \"A2\"\n[print]\nbleed = 3\n"));
        let c = load(&root).unwrap();
        assert_eq!(c.layout.get(Format::Poster).paper, Some(Paper::A2));
        assert_eq!(
            (c.layout.get(Format::Poster).body_size, c.layout.get(Format::Poster).min_body_size),
            (40.0, 26.0)
        );
        assert_eq!(c.layout.print.bleed_mm, 3.0);
    }

    #[test]
    fn large_print_is_opt_in_and_kept_within_16_to_24_pt() {
        use crate::format::{ALL, Format};
        let (_d, root) = project(GOOD);
        let c = load(&root).unwrap();
        assert_eq!(c.layout.default_formats(), ALL.to_vec(), "no table: the seven formats");
        assert_eq!(c.layout.get(Format::LargePrint).body_size, 16.0, "asked for on the command line");

        let (_d, root) = project(&format!("{GOOD}\n[layout.large-print]\n"));
        let c = load(&root).unwrap();
        assert_eq!(c.layout.default_formats().last(), Some(&Format::LargePrint), "an empty table opts in");
        assert_eq!(c.layout.default_formats().len(), 8);

        let (_d, root) = project(&format!("{GOOD}\n[layout.large-print]\nbody-size = 24\n"));
        assert_eq!(load(&root).unwrap().layout.get(Format::LargePrint).body_size, 24.0);
        for (size, floor) in [("14", "16"), ("26", "24")] {
            let (_d, root) = project(&format!("{GOOD}\n[layout.large-print]\nbody-size = {size}\n"));
            let err = load(&root).unwrap_err();
            let message = &err.0[0].message;
            assert!(message.contains("outside 16–24 pt for [layout.large-print]"), "{floor}: {message}");
            assert!(err.0[0].location.is_some());
        }
        let (_d, root) = project(&format!("{GOOD}\n[layout.large-print]\nmin-body-size = 16\n"));
        assert!(load(&root).unwrap_err().0[0].message.contains("does not apply to [layout.large-print]"));
    }

    #[test]
    fn low_contrast_names_colours_and_ratio() {
        let (_d, root) = project(&GOOD.replace("#0b5d66", "#aaaaaa"));
        let err = load(&root).unwrap_err();
        assert_eq!(
            err.0[0].message,
            "colour `primary` (#aaaaaa) has a contrast of 2.32:1 against `background` (#ffffff); \
             headings must have at least 4.5:1"
        );
    }

    #[test]
    fn defaulted_colour_failing_contrast_points_at_the_colour_that_was_written() {
        let (_d, root) =
            project(&GOOD.replace("accent = \"#e3a33b\"", "accent = \"#e3a33b\"\nbackground = \"#222222\""));
        let err = load(&root).unwrap_err();
        let text =
            err.0.iter().find(|d| d.message.starts_with("colour `text`")).expect("text colour reported");
        // `text` is left at its default: the error points at the `background` that was set.
        let at = text.location.as_ref().expect("located at the background");
        assert_eq!(&at.text[at.range.clone()], "\"#222222\"");
        let bg = err.0.iter().find(|d| d.message.starts_with("colour `primary`")).expect("primary reported");
        assert!(bg.location.is_some());
    }

    #[test]
    fn unknown_key_is_located() {
        let (_d, root) = project(&GOOD.replace("phone =", "fone ="));
        let err = load(&root).unwrap_err();
        assert_eq!(err.0[0].message, "unknown key `fone` in [brand]");
        assert!(err.0[0].hints[0].starts_with("did you mean `phone`?"), "{:?}", err.0[0].hints);
        assert_eq!(err.0.len(), 1, "the misspelt key is not also reported as missing");
        assert!(err.0[0].location.is_some());
    }

    #[test]
    fn logo_outside_root_is_refused() {
        let (_d, root) = project(&GOOD.replace("images/logo.svg", "../logo.svg"));
        let err = load(&root).unwrap_err();
        assert_eq!(
            err.0[0].message,
            "failed to use the logo (`../logo.svg` points outside the project folder)"
        );
    }
}
