//! A practice's brand: name, logo, colours, font, country and contact, from the `[brand]`
//! table of leafpress.toml or a file in `brands/` (one more practice each).

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::assets::{self, Asset};
use super::color::Color;
use super::config::{MIN_TEXT_CONTRAST, Origin};
use super::country::{self, Country};
use super::localized::{self, Localized};
use crate::diag::Sink;

/// The `[brand]` table: the practice.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawBrand {
    /// A short name for paths and `--brand` (default: from the name).
    id: Option<Spanned<String>>,
    name: Spanned<String>,
    /// One text, or one per language.
    tagline: Option<Spanned<toml::Value>>,
    logo: Spanned<String>,
    /// One text, or one per language.
    logo_alt: Spanned<toml::Value>,
    country: Spanned<String>,
    address: Spanned<Vec<String>>,
    phone: Spanned<String>,
    email: Spanned<String>,
    website: Option<Spanned<String>>,
    /// Where the HTML editions are published: printed QR codes lead to each leaflet's page.
    leaflets_url: Option<Spanned<String>>,
    #[serde(default = "default_font")]
    font: Spanned<String>,
    colors: RawColors,
    /// The practice's own numbers for the red-flag card.
    #[serde(default)]
    numbers: Vec<Spanned<super::numbers::RawNumber>>,
}

/// The `[brand.colors]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawColors {
    primary: Spanned<String>,
    /// Decoration only; derived from `primary` when absent.
    accent: Option<Spanned<String>>,
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
    Spanned::new(0..0, crate::engine::fonts::DEFAULT_FAMILY.into())
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

/// The practice whose leaflets these are.
#[derive(Debug, Clone)]
pub struct Brand {
    /// Short name for output paths and `--brand`.
    pub id: String,
    /// Where the font family was named, to locate errors about it.
    pub font_origin: Origin,
    /// Where the id comes from (the `id` key, or the name it is made from), to locate errors
    /// about it; in a brand file, the practice name.
    pub id_origin: Origin,
    /// Practice name.
    pub name: String,
    /// A short line under the name, and where it is written.
    pub tagline: Option<(Localized, Origin)>,
    /// The logo file.
    pub logo: Asset,
    /// The logo's alternative text, and where it is written.
    pub logo_alt: (Localized, Origin),
    /// The country the practice is in; decides emergency numbers.
    pub country: Country,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
    /// Phone number as printed.
    pub phone: String,
    /// E-mail address.
    pub email: String,
    /// Website URL, if the practice has one: without it no QR code is printed and the contact
    /// block leaves the web line out.
    pub website: Option<String>,
    /// Where the practice publishes its leaflets' HTML editions, without a trailing slash:
    /// the QR codes on printed formats then lead to `{leaflets_url}/{topic}/{lang}/`.
    pub leaflets_url: Option<String>,
    /// Font family for all text.
    pub font: String,
    /// Brand colours.
    pub colors: Colors,
    /// Numbers of the practice's own for the red-flag card, after the national ones.
    pub numbers: Vec<super::numbers::LocalNumber>,
}

impl Brand {
    /// The tagline in `lang` (none without a tagline; [`Brand::missing_in`] reports a
    /// language its table lacks).
    pub fn tagline(&self, lang: &str) -> Option<&str> {
        self.tagline.as_ref().and_then(|(t, _)| t.get(lang))
    }

    /// The logo's alternative text in `lang` (empty where the table lacks it: see
    /// [`Brand::missing_in`]).
    pub fn logo_alt(&self, lang: &str) -> &str {
        self.logo_alt.0.get(lang).unwrap_or_default()
    }

    /// The errors for `lang` if a text the practice writes per language lacks it: the
    /// tagline, the logo's alternative text, a local number's caption. Its documents in that
    /// language are not built.
    pub fn missing_in(&self, lang: &str) -> Vec<crate::diag::Diagnostic> {
        let mut out = Vec::new();
        if let Some((t, at)) = &self.tagline
            && t.get(lang).is_none()
        {
            out.push(t.missing(at, lang, "the practice has no tagline", "tagline"));
        }
        let (alt, at) = &self.logo_alt;
        if alt.get(lang).is_none() {
            out.push(alt.missing(at, lang, "the logo has no alt text", "logo-alt"));
        }
        out.extend(
            self.numbers.iter().filter(|n| n.caption(lang).is_none()).map(|n| n.missing_caption(lang)),
        );
        out
    }

    /// The website as printed: without scheme or trailing slash.
    pub fn website_label(&self) -> Option<&str> {
        self.website
            .as_deref()
            .map(|w| w.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/'))
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

impl RawBrand {
    /// This table with its id set from outside (a brand file's name), so that no id is made
    /// from the practice's name.
    /// The `id` the table names, if it names one.
    pub(super) fn written_id(&self) -> Option<&Spanned<String>> {
        self.id.as_ref()
    }

    pub(super) fn with_id(mut self, id: &str) -> Self {
        self.id = Some(Spanned::new(0..0, id.to_owned()));
        self
    }
}

/// Whether `id` can name a brand in paths and on the command line: lower-case ASCII letters,
/// digits and hyphens, not empty and not starting with a hyphen (never `.`, `/` or a space, so
/// an id can never lead outside the output folder).
pub fn is_short_name(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The id a brand gets when it names none: its name in lower case, words joined by hyphens.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The keys a `[brand]` table must have (the others have defaults or are optional).
pub const REQUIRED: [super::toml_help::Required; 7] = {
    use super::toml_help::Required as R;
    [
        R { key: "name", what: "the practice's name", example: "name = \"Physiotherapy De Linde\"" },
        R { key: "logo", what: "an image file in the project", example: "logo = \"images/logo.svg\"" },
        R {
            key: "logo-alt",
            what: "what a screen reader says for the logo",
            example: "logo-alt = \"Logo of Physiotherapy De Linde\"",
        },
        R { key: "country", what: "decides the emergency numbers", example: "country = \"BE\"" },
        R {
            key: "address",
            what: "one entry per printed line",
            example: "address = [\"Lindelaan 12\", \"9000 Gent\"]",
        },
        R { key: "phone", what: "printed on every leaflet", example: "phone = \"09 123 45 67\"" },
        R { key: "email", what: "printed and linked", example: "email = \"info@practice.example\"" },
    ]
};

/// Every key of `[brand]`.
const KNOWN_BRAND: &[&str] = &[
    "id",
    "name",
    "tagline",
    "logo",
    "logo-alt",
    "country",
    "address",
    "phone",
    "email",
    "website",
    "leaflets-url",
    "font",
    "colors",
    "numbers",
];

/// Every key of `[brand.colors]`.
const KNOWN_COLORS: &[&str] = &["primary", "accent", "text", "background", "urgent", "urgent-text"];

/// The keys a `[brand.colors]` table must have.
pub const REQUIRED_COLORS: [super::toml_help::Required; 1] = [super::toml_help::Required {
    key: "primary",
    what: "headings and title, at least 4.5:1 on white",
    example: "primary = \"#0b5d66\"",
}];

/// Every unknown and every missing key of the `[brand]` table (and its colours) in the document
/// `text` of `path`, at once: typos located with a did-you-mean, missing keys as one error per
/// table. Empty when the keys are right (or the text is no TOML, which serde then reports).
pub fn key_problems(path: &std::path::Path, text: &std::sync::Arc<str>) -> Vec<crate::diag::Diagnostic> {
    use super::toml_help::{header, missing, missing_message, unknown_keys};
    let Ok(doc) = toml::from_str::<toml::Table>(text) else { return Vec::new() };
    let mut out = Vec::new();
    for (path_in_doc, name, required, known) in [
        (&["brand"][..], "brand", &REQUIRED[..], KNOWN_BRAND),
        (&["brand", "colors"][..], "brand.colors", &REQUIRED_COLORS[..], KNOWN_COLORS),
    ] {
        for (key, close, range) in unknown_keys(&doc, text, path_in_doc, Some(name), known, required) {
            let d = crate::diag::Diagnostic::error(format!("unknown key `{key}` in [{name}]"))
                .at(path, text, range);
            let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            out.push(match close {
                Some(c) => d.hint(format!("did you mean `{c}`? the keys of [{name}] are {list}")),
                None => d.hint(format!("the keys of [{name}] are {list}")),
            });
        }
        let lacking = missing(&doc, path_in_doc, required, known);
        if lacking.is_empty() {
            continue;
        }
        let (message, hints) = missing_message(&format!("[{name}]"), &lacking);
        let mut d = crate::diag::Diagnostic::error(message).at(path, text, header(text, name));
        for h in hints {
            d = d.hint(h);
        }
        out.push(d);
    }
    out
}

/// The accent a brand without one gets: its primary colour, 40 % of the way to the
/// background. Accent only draws rules and bullets, so it needs no text contrast.
pub fn derived_accent(primary: Color, background: Color) -> Color {
    primary.mix(background, 0.4)
}

/// Validates a `[brand]` table, reporting every problem to `sink`.
pub(super) fn validate(
    root: &Path,
    raw: RawBrand,
    at: &dyn Fn(std::ops::Range<usize>) -> Origin,
    sink: &mut Sink,
) -> Option<Brand> {
    let id = match &raw.id {
        Some(id) => {
            let v = id.get_ref();
            if !is_short_name(v) {
                sink.push(
                    at(id.span())
                        .error(format!("brand id `{v}` is not a short name"))
                        .hint("use lower-case letters, digits and hyphens, e.g. `de-linde`"),
                );
            }
            v.clone()
        }
        None => {
            let id = slug(raw.name.get_ref());
            // A name of letters outside ASCII, or of symbols only, gives no usable id (a
            // blank name is reported as such below).
            if !is_short_name(&id) && !raw.name.get_ref().trim().is_empty() {
                sink.push(
                    at(raw.name.span())
                        .error(format!("the practice name `{}` gives no usable id (`{id}`)", raw.name.get_ref()))
                        .hint("add `id = \"…\"` to [brand]: lower-case letters, digits and hyphens, e.g. `de-linde`"),
                );
            }
            id
        }
    };
    let country = match raw.country.get_ref().parse::<Country>() {
        Ok(c) => Some(c),
        Err(e) => {
            let known = country::ALL.map(|c| c.to_string()).join(", ");
            sink.push(at(raw.country.span()).error(e).hint(format!("supported countries: {known}")));
            None
        }
    };

    let logo = match assets::resolve_image(root, &[root], raw.logo.get_ref()) {
        Ok(a) => Some(a),
        Err(e) => {
            let hint = match e {
                assets::ImageError::Path(_) => {
                    "use an SVG, PNG or JPEG file inside the project folder, e.g. `images/logo.svg`"
                }
                assets::ImageError::File(_) => e.hint(),
            };
            sink.push(
                at(raw.logo.span()).error(format!("failed to use the logo ({})", e.message())).hint(hint),
            );
            None
        }
    };
    for (value, key, var, example) in [
        (&raw.name, "name", "practice", "name = \"Physiotherapy De Linde\""),
        (&raw.phone, "phone", "phone", "phone = \"09 123 45 67\""),
        (&raw.email, "email", "email", "email = \"info@practice.example\""),
    ] {
        if value.get_ref().trim().is_empty() {
            sink.push(at(value.span()).error(format!("`{key}` is blank")).hint(format!(
                "it is printed on every leaflet and filled in for `{{{var}}}`: write e.g. `{example}`"
            )));
        }
    }
    let phone = raw.phone.get_ref();
    if !phone.trim().is_empty() && !phone.chars().any(|c| c.is_ascii_digit()) {
        sink.push(
            at(raw.phone.span())
                .error(format!("phone `{phone}` has no digits"))
                .hint("write the number as patients dial it, e.g. `09 123 45 67` or `+32 9 123 45 67`"),
        );
    }
    let email = raw.email.get_ref().trim();
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        sink.push(
            at(raw.email.span())
                .error(format!("`{email}` is not an e-mail address"))
                .hint("write it like `info@practice.example`; it becomes a mailto: link"),
        );
    }
    if raw.address.get_ref().iter().all(|l| l.trim().is_empty()) {
        sink.push(
            at(raw.address.span())
                .error("the address is blank")
                .hint("write it one line per entry, e.g. `address = [\"Lindelaan 12\", \"9000 Gent\"]`"),
        );
    } else if let Some(i) = raw.address.get_ref().iter().position(|l| l.trim().is_empty()) {
        sink.push(
            at(raw.address.span())
                .error(format!("line {} of the address is blank", i + 1))
                .hint("every line is printed: remove the empty entry"),
        );
    }
    // The texts a practice may write per language; a blank one is an error in either form.
    let mut problems = Vec::new();
    let alt_blank = |s: &str, what: &str| {
        s.is_empty().then(|| {
            (
                format!("the logo has no alt text {what}").trim_end().to_owned(),
                "describe the logo in a few words, e.g. `logo-alt = \"Logo of Practice X\"`".to_owned(),
            )
        })
    };
    let tagline_blank = |s: &str, what: &str| {
        s.is_empty().then(|| {
            (
                format!("the tagline {what}is blank"),
                "write a short line under the name, or leave `tagline` out".to_owned(),
            )
        })
    };
    let alt_at = at(raw.logo_alt.span());
    let logo_alt = localized::parse(
        raw.logo_alt.into_inner(),
        &alt_at,
        "logo-alt",
        "Logo of …",
        &alt_blank,
        &mut problems,
    );
    let tagline = raw.tagline.and_then(|t| {
        let tagline_at = at(t.span());
        localized::parse(t.into_inner(), &tagline_at, "tagline", "…", &tagline_blank, &mut problems)
            .map(|t| (t, tagline_at))
    });
    for p in problems {
        sink.push(p);
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
    let c = &raw.colors;
    let parsed = [&c.primary, &c.text, &c.background, &c.urgent, &c.urgent_text].map(&mut color);
    // Accent is decoration only: without one, a lighter tint of primary on the background.
    let accent = c.accent.as_ref().map(&mut color);
    let colors = match (parsed, accent) {
        (
            [Some(primary), Some(text), Some(background), Some(urgent), Some(urgent_text)],
            None | Some(Some(_)),
        ) => {
            let accent = accent.flatten().unwrap_or_else(|| derived_accent(primary, background));
            Some(Colors { primary, accent, text, background, urgent, urgent_text })
        }
        _ => None,
    };
    if let Some(cs) = colors {
        let pairs = [
            ("primary", &c.primary, cs.primary, "background", &c.background, cs.background, "headings"),
            ("text", &c.text, cs.text, "background", &c.background, cs.background, "body text"),
            (
                "urgent",
                &c.urgent,
                cs.urgent,
                "background",
                &c.background,
                cs.background,
                "the red-flag card's numbers",
            ),
            (
                "urgent-text",
                &c.urgent_text,
                cs.urgent_text,
                "urgent",
                &c.urgent,
                cs.urgent,
                "the red-flag card's heading",
            ),
        ];
        for (name, spanned, fg, bg_name, bg_spanned, bg, role) in pairs {
            let ratio = fg.contrast(bg);
            if ratio < MIN_TEXT_CONTRAST {
                // A colour left at its default has no place in the file: point at the other.
                let span = if spanned.span().is_empty() { bg_spanned.span() } else { spanned.span() };
                sink.push(
                    at(span)
                        .error(format!(
                            "colour `{name}` ({fg}) has a contrast of {ratio:.2}:1 against `{bg_name}` ({bg}); \
                             {role} must have at least {MIN_TEXT_CONTRAST}:1"
                        ))
                        .hint(format!("darken `{name}` or lighten `{bg_name}` (WCAG 2 AA)")),
                );
            }
        }
    }

    if let Some(website) = &raw.website {
        check_website("website", website, at, sink);
    }
    if let Some(url) = &raw.leaflets_url {
        // The longest topic id and language code a leaflet's address may add.
        let longest = Spanned::new(
            url.span(),
            format!("{}/{}/xx-XX/", url.get_ref().trim_end_matches('/'), "x".repeat(64)),
        );
        check_website("leaflets-url", url, at, sink);
        if url.get_ref().len() < crate::qr::MAX_URL_LEN
            && let Err(e) = crate::qr::try_svg(longest.get_ref())
        {
            sink.push(
                at(url.span())
                    .error(format!("leaflets-url cannot become a QR code with a leaflet's path ({e})"))
                    .hint("each leaflet's address adds `/{topic}/{lang}/` to it, up to 74 characters"),
            );
        }
    }
    let numbers = super::numbers::validate(raw.numbers, at, sink);

    let (Some(country), Some(logo), Some(logo_alt), Some(colors)) = (country, logo, logo_alt, colors) else {
        return None;
    };
    Some(Brand {
        id,
        font_origin: at(raw.font.span()),
        id_origin: at(raw
            .id
            .as_ref()
            .map(|id| id.span())
            .filter(|s| !s.is_empty())
            .unwrap_or(raw.name.span())),
        name: raw.name.into_inner().trim().to_owned(),
        tagline,
        logo,
        logo_alt: (logo_alt, alt_at),
        country,
        address: raw.address.into_inner().into_iter().filter(|l| !l.trim().is_empty()).collect(),
        phone: raw.phone.into_inner().trim().to_owned(),
        email: raw.email.into_inner().trim().to_owned(),
        website: raw.website.map(Spanned::into_inner),
        leaflets_url: raw.leaflets_url.map(|u| u.into_inner().trim_end_matches('/').to_owned()),
        font: raw.font.into_inner(),
        colors,
        numbers,
    })
}

/// Reports a website that is no full web address or cannot become a QR code.
fn check_website(
    key: &str,
    website: &Spanned<String>,
    at: &dyn Fn(std::ops::Range<usize>) -> Origin,
    sink: &mut Sink,
) {
    let site = website.get_ref();
    let host = site
        .strip_prefix("https://")
        .or_else(|| site.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    let host_ok = |h: &str| {
        !h.is_empty()
            && (h.contains('.') || h.starts_with("localhost"))
            && !h.starts_with('.')
            && h.chars().all(|c| c.is_alphanumeric() || "-.:_".contains(c))
    };
    if host.is_some() && site.contains(char::is_whitespace) {
        sink.push(
            at(website.span())
                .error(format!("{key} `{site}` has a space in it"))
                .hint("write the address as the browser shows it, without spaces"),
        );
    } else if let Some(h) = host.filter(|h| !host_ok(h)) {
        sink.push(
            at(website.span()).error(format!("{key} `{site}` has no valid host name (`{h}`)")).hint(
                "write it in full, e.g. `https://www.practice.example`; it becomes a link and a QR code",
            ),
        );
    } else if !(site.starts_with("https://") || site.starts_with("http://")) {
        sink.push(
            at(website.span()).error(format!("{key} `{site}` is not a web address")).hint(
                "write it in full, e.g. `https://www.practice.example`; it becomes a link and a QR code",
            ),
        );
    } else if let Err(e) = crate::qr::try_svg(site) {
        sink.push(at(website.span()).error(format!("{key} cannot become a QR code ({e})")));
    }
}
