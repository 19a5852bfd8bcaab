//! `leafpress.toml`: the project, the practice's brand and the layout, parsed and validated.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::assets::{self, Asset};
use super::color::Color;
use super::country::{self, Country};
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
}

/// The `[brand]` table: the practice.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBrand {
    name: String,
    tagline: Option<String>,
    logo: Spanned<String>,
    logo_alt: Spanned<String>,
    country: Spanned<String>,
    address: Vec<String>,
    phone: String,
    email: String,
    website: Spanned<String>,
    #[serde(default = "default_font")]
    font: Spanned<String>,
    colors: RawColors,
}

/// The `[brand.colors]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawColors {
    primary: Spanned<String>,
    accent: Spanned<String>,
    #[serde(default = "default_text")]
    text: Spanned<String>,
    #[serde(default = "default_background")]
    background: Spanned<String>,
    #[serde(default = "default_urgent")]
    urgent: Spanned<String>,
    #[serde(default = "default_urgent_text")]
    urgent_text: Spanned<String>,
}

fn default_font() -> Spanned<String> {
    Spanned::new(0..0, "Atkinson Hyperlegible".into())
}
fn default_text() -> Spanned<String> {
    Spanned::new(0..0, "#1d1d1b".into())
}
fn default_background() -> Spanned<String> {
    Spanned::new(0..0, "#ffffff".into())
}
fn default_urgent() -> Spanned<String> {
    Spanned::new(0..0, "#b3261e".into())
}
fn default_urgent_text() -> Spanned<String> {
    Spanned::new(0..0, "#ffffff".into())
}

/// The validated project configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The project's name, if given.
    pub name: Option<String>,
    /// The language translations are made from (`[project] source-language`).
    pub source_language: Option<String>,
    /// The practice.
    pub brand: Brand,
    /// Layout settings per format.
    pub layout: Layout,
    /// Where the font family was named, to locate errors about it.
    pub font_origin: Origin,
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

/// The practice whose leaflets these are.
#[derive(Debug, Clone)]
pub struct Brand {
    /// Practice name.
    pub name: String,
    /// A short line under the name.
    pub tagline: Option<String>,
    /// The logo file.
    pub logo: Asset,
    /// The logo's alternative text.
    pub logo_alt: String,
    /// The country the practice is in; decides emergency numbers.
    pub country: Country,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
    /// Phone number as printed.
    pub phone: String,
    /// E-mail address.
    pub email: String,
    /// Website URL.
    pub website: String,
    /// Font family for all text.
    pub font: String,
    /// Brand colours.
    pub colors: Colors,
}

impl Brand {
    /// The website as printed: without scheme or trailing slash.
    pub fn website_label(&self) -> &str {
        self.website.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/')
    }
}

/// Validated brand colours.
#[derive(Debug, Clone, Copy)]
pub struct Colors {
    /// Headings, title, pull quotes.
    pub primary: Color,
    /// Decoration only: rules and bullets, never text.
    pub accent: Color,
    /// Body text.
    pub text: Color,
    /// Page background.
    pub background: Color,
    /// Red-flag card frame and header.
    pub urgent: Color,
    /// Text on the red-flag card header.
    pub urgent_text: Color,
}

/// Reads and validates `leafpress.toml` in `root` (canonical).
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(CONFIG_FILE);
    if path.exists() {
        assets::confine(root, &path)
            .map_err(|e| Diagnostic::error(format!("failed to read leafpress.toml ({e})")))?;
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        Diagnostic::error(format!("failed to read {} ({e})", crate::diag::display_path(&path)))
            .hint("run leafpress in a project folder, or pass --root DIR")
    })?;
    let text = crate::diag::decode_utf8(&path, bytes, "leafpress.toml")?;
    let raw: RawConfig = toml::from_str(&text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        Diagnostic::error(format!("failed to read leafpress.toml ({})", e.message().trim()))
            .at(&path, &text, range)
            .hint("see the README for every key leafpress.toml accepts")
    })?;
    validate(root, &path, &text, raw)
}

/// Turns parsed values into real types, collecting every problem.
fn validate(root: &Path, path: &Path, text: &Arc<str>, raw: RawConfig) -> Result<Config> {
    let mut sink = Sink::default();
    let at = |range: std::ops::Range<usize>| Origin { path: path.to_owned(), text: text.clone(), range };

    let country = match raw.brand.country.get_ref().parse::<Country>() {
        Ok(c) => Some(c),
        Err(e) => {
            let known = country::ALL.map(|c| c.to_string()).join(", ");
            sink.push(at(raw.brand.country.span()).error(e).hint(format!("supported countries: {known}")));
            None
        }
    };

    let logo = match assets::resolve(root, &[root], raw.brand.logo.get_ref())
        .and_then(|a| assets::check_image(&a.path).map(|()| a))
    {
        Ok(a) => Some(a),
        Err(e) => {
            sink.push(
                at(raw.brand.logo.span())
                    .error(format!("failed to use the logo ({e})"))
                    .hint("use an SVG, PNG or JPEG file inside the project folder, e.g. `images/logo.svg`"),
            );
            None
        }
    };
    if raw.brand.logo_alt.get_ref().trim().is_empty() {
        sink.push(
            at(raw.brand.logo_alt.span())
                .error("the logo has no alt text")
                .hint("describe the logo in a few words, e.g. `logo-alt = \"Logo of Practice X\"`"),
        );
    }

    let mut color = |s: &Spanned<String>| match s.get_ref().parse::<Color>() {
        Ok(c) => Some(c),
        Err(e) => {
            sink.push(
                at(s.span()).error(format!("failed to read colour ({e})")).hint("write colours as `#rrggbb`"),
            );
            None
        }
    };
    let c = &raw.brand.colors;
    let parsed = [&c.primary, &c.accent, &c.text, &c.background, &c.urgent, &c.urgent_text].map(&mut color);
    let colors = match parsed {
        [Some(primary), Some(accent), Some(text), Some(background), Some(urgent), Some(urgent_text)] => {
            Some(Colors { primary, accent, text, background, urgent, urgent_text })
        }
        _ => None,
    };
    if let Some(cs) = colors {
        let pairs = [
            ("primary", &c.primary, cs.primary, "background", cs.background, "headings"),
            ("text", &c.text, cs.text, "background", cs.background, "body text"),
            ("urgent", &c.urgent, cs.urgent, "background", cs.background, "the red-flag card's numbers"),
            (
                "urgent-text",
                &c.urgent_text,
                cs.urgent_text,
                "urgent",
                cs.urgent,
                "the red-flag card's heading",
            ),
        ];
        for (name, spanned, fg, bg_name, bg, role) in pairs {
            let ratio = fg.contrast(bg);
            if ratio < MIN_TEXT_CONTRAST {
                sink.push(
                    at(spanned.span())
                        .error(format!(
                            "colour `{name}` ({fg}) has a contrast of {ratio:.2}:1 against `{bg_name}` ({bg}); \
                             {role} need at least {MIN_TEXT_CONTRAST}:1"
                        ))
                        .hint(format!("darken `{name}` or lighten `{bg_name}` (WCAG 2 AA)")),
                );
            }
        }
    }

    let site = raw.brand.website.get_ref();
    if !(site.starts_with("https://") || site.starts_with("http://")) {
        sink.push(
            at(raw.brand.website.span()).error(format!("website `{site}` is not a web address")).hint(
                "write it in full, e.g. `https://www.practice.example`; it becomes a link and a QR code",
            ),
        );
    } else if let Err(e) = crate::qr::try_svg(site) {
        sink.push(at(raw.brand.website.span()).error(format!("website cannot become a QR code ({e})")));
    }

    let layout = layout::validate(raw.layout, raw.print, &at, &mut sink);

    sink.finish()?;
    let (Some(country), Some(logo), Some(colors)) = (country, logo, colors) else {
        unreachable!("every missing value recorded an error above")
    };
    Ok(Config {
        name: raw.project.name,
        source_language: raw.project.source_language.map(Spanned::into_inner),
        font_origin: at(raw.brand.font.span()),
        brand: Brand {
            name: raw.brand.name,
            tagline: raw.brand.tagline,
            logo,
            logo_alt: raw.brand.logo_alt.into_inner(),
            country,
            address: raw.brand.address,
            phone: raw.brand.phone,
            email: raw.brand.email,
            website: raw.brand.website.into_inner(),
            font: raw.brand.font.into_inner(),
            colors,
        },
        layout,
    })
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
        assert_eq!(c.brand.country, Country::BE);
        assert_eq!(c.brand.logo.virtual_path, "/images/logo.svg");
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
    fn low_contrast_names_colours_and_ratio() {
        let (_d, root) = project(&GOOD.replace("#0b5d66", "#aaaaaa"));
        let err = load(&root).unwrap_err();
        assert_eq!(
            err.0[0].message,
            "colour `primary` (#aaaaaa) has a contrast of 2.32:1 against `background` (#ffffff); \
             headings need at least 4.5:1"
        );
    }

    #[test]
    fn defaulted_colour_failing_contrast_has_no_false_location() {
        let (_d, root) =
            project(&GOOD.replace("accent = \"#e3a33b\"", "accent = \"#e3a33b\"\nbackground = \"#222222\""));
        let err = load(&root).unwrap_err();
        let text =
            err.0.iter().find(|d| d.message.starts_with("colour `text`")).expect("text colour reported");
        assert!(text.location.is_none());
        let bg = err.0.iter().find(|d| d.message.starts_with("colour `primary`")).expect("primary reported");
        assert!(bg.location.is_some());
    }

    #[test]
    fn unknown_key_is_located() {
        let (_d, root) = project(&GOOD.replace("phone =", "fone ="));
        let err = load(&root).unwrap_err();
        assert!(
            err.0[0].message.starts_with("failed to read leafpress.toml (unknown field `fone`"),
            "{}",
            err
        );
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
