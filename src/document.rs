//! The data a template receives for one document: content, brand, labels and numbers,
//! serialised to JSON. Content stays data here; nothing becomes Typst code.

use std::borrow::Cow;

use chrono::{DateTime, NaiveTime, Utc};
use serde::Serialize;

use crate::content::Content;
use crate::content::model::{Block, Inline, Section, TextRole};
use crate::content::vars::Values;
use crate::format::Format;
use crate::labels::Labels;
use crate::project::brand::Brand;
use crate::project::color::Color;
use crate::project::config::Config;
use crate::project::country::EmergencyNumbers;
use crate::project::layout::Print;

/// Everything a template reads from `/_leafpress/data.json`.
#[derive(Debug, Serialize)]
pub struct DocumentData<'a> {
    /// The name of the format whose pages the template lays out ([`Format::layout_format`]):
    /// `booklet` for the booklet's imposed print file too (leafpress imposes its pages after
    /// Typst), so that the two documents' data is the same and the second is laid out from
    /// Typst's memo cache (see `build::twins`).
    pub format: &'static str,
    /// Language code for `text(lang:)`.
    pub lang: &'a str,
    /// Whether the language is written right to left (`labels::is_rtl`): the templates and
    /// the HTML edition mirror their layout.
    pub rtl: bool,
    /// Region code for `text(region:)`, if any.
    pub region: Option<&'a str>,
    /// Title, dates and people.
    pub meta: Meta<'a>,
    /// The practice: in `/_leafpress/brand.json` (see [`PracticeData`]), not in the
    /// document's data, so that the data is the same for every practice that prints the text.
    #[serde(skip)]
    pub brand: BrandData<'a>,
    /// The draft mark every page shows (in the document's language), if it is a draft.
    pub draft: Option<String>,
    /// Numbers for the red-flag card, from the practice's country.
    pub emergency: EmergencyNumbers,
    /// The practice's own numbers for the card, after the national ones, captioned in the
    /// document's language. In `brand.json`.
    #[serde(skip)]
    pub local_numbers: Vec<LocalNumberData<'a>>,
    /// Fixed strings in the document's language.
    pub labels: serde_json::Value,
    /// Layout settings.
    pub layout: LayoutData,
    /// Print production options (zero bleed and no marks for screen formats).
    pub print: PrintData,
    /// Blocks before the first section.
    pub lead: Cow<'a, [Block]>,
    /// The sections this format shows, in the order it shows them.
    pub sections: Vec<Cow<'a, Section>>,
    /// Ids of sections whose lists are shown in full (trifold).
    pub lists: Vec<&'a str>,
    /// The cover figure: the one front matter `cover` names, else the content's first.
    pub figure: Option<&'a Block>,
    /// A QR code for the practice's website, as SVG; none without a website. In
    /// `brand.json`, its image in `/_leafpress/qr.svg`.
    #[serde(skip)]
    pub qr: Option<QrData>,
    /// Root-relative path of the bibliography, if the topic has one.
    pub bibliography: Option<&'a str>,
    /// Whether the full leaflet lists sources, so that formats without room for them can say
    /// where they are.
    pub sources: bool,
    /// For a teaching deck: presenter, course and date for its title slide.
    pub deck: Option<DeckData<'a>>,
    /// Whether a string the templates print other than the content's text runs (a title,
    /// caption, person, label) mentions the practice's name, phone, e-mail or web address:
    /// the templates then keep those unbroken over the whole document. Otherwise the text
    /// runs and the templates' own mentions see to it locally, and the body is styled the
    /// same for every practice, so its layout is shared between them.
    pub brand_in_text: bool,
    /// The content's text runs (and code) that mention the practice: the templates keep its
    /// name, phone, e-mail and web address unbroken in these, without reading the practice
    /// for every run.
    pub brand_runs: Vec<String>,
}

/// What a teaching deck's title slide shows besides the title.
#[derive(Debug, Serialize)]
pub struct DeckData<'a> {
    /// Who gives the talk.
    pub presenter: Option<&'a str>,
    /// The course or occasion.
    pub course: Option<&'a str>,
    /// The day of the talk, as printed.
    pub date: Option<String>,
}

/// A practice's own number, as the card prints it.
#[derive(Debug, Serialize)]
pub struct LocalNumberData<'a> {
    /// What it is, in the document's language.
    pub caption: &'a str,
    /// The number.
    pub number: &'a str,
}

/// Document metadata, dates already written out in the document's language. In the data, and
/// also served alone as `/_leafpress/meta.json` for the running heads (`live-meta()`).
#[derive(Debug, Serialize)]
pub struct Meta<'a> {
    /// Title.
    pub title: &'a str,
    /// Subtitle.
    pub subtitle: Option<&'a str>,
    /// Content version.
    pub version: &'a str,
    /// Publication date, as printed.
    pub published: String,
    /// Review date, as printed.
    pub review_by: String,
    /// Authors.
    pub authors: &'a [String],
    /// Reviewers.
    pub reviewers: &'a [String],
}

/// The brand as templates use it.
#[derive(Debug, Serialize)]
pub struct BrandData<'a> {
    /// Practice name.
    pub name: &'a str,
    /// Line under the name.
    pub tagline: Option<&'a str>,
    /// Root-relative logo path.
    pub logo: &'a str,
    /// Logo alt text.
    pub logo_alt: &'a str,
    /// Address lines.
    pub address: &'a [String],
    /// Phone.
    pub phone: &'a str,
    /// E-mail.
    pub email: &'a str,
    /// Website URL, if the practice has one.
    pub website: Option<&'a str>,
    /// Website as printed (no scheme).
    pub website_label: Option<&'a str>,
    /// Font family.
    pub font: &'a str,
    /// Colours as `#rrggbb`.
    pub colors: ColorData,
}

/// Colours as `#rrggbb`, including derived tints.
#[derive(Debug, Serialize)]
pub struct ColorData {
    pub(crate) primary: String,
    pub(crate) accent: String,
    pub(crate) text: String,
    pub(crate) background: String,
    pub(crate) urgent: String,
    pub(crate) urgent_text: String,
    /// A light tint of the primary colour for key-message boxes.
    pub(crate) tint: String,
    /// A light tint of the urgent colour for the red-flag card body.
    pub(crate) urgent_tint: String,
}

/// Layout values for the template.
#[derive(Debug, Serialize)]
pub struct LayoutData {
    /// Body text size in points (where shrinking starts, for formats that shrink to fit).
    pub body_size: f64,
    /// The smallest body size allowed, in points.
    pub min_body_size: f64,
    /// Paper name for Typst (posters).
    pub paper: Option<&'static str>,
    /// Slide shape, `16:9` or `4:3` (slides and their handout).
    pub aspect: Option<&'static str>,
}

/// Print options as templates use them.
#[derive(Debug, Serialize)]
pub struct PrintData {
    /// Bleed on every trimmed edge, in millimetres.
    pub bleed_mm: f64,
    /// Whether to draw trim marks.
    pub crop_marks: bool,
}

/// A QR code.
#[derive(Debug, Serialize)]
pub struct QrData {
    /// What it encodes.
    pub url: String,
    /// The address as printed beside it and read out in its alt text: no scheme, no
    /// trailing slash.
    pub label: String,
    /// The code as an SVG image (black modules, white quiet zone), served as
    /// `/_leafpress/qr.svg`.
    #[serde(skip)]
    pub svg: String,
}

/// What the templates read of the practice, apart from the document's data so that the data
/// is the same for every practice, and so that templates read it where they must not capture
/// it (page rules, `context`). In several small files: a template that reads one depends on
/// that one only (the red-flag card on the practice's own numbers, not on its name).
#[derive(Debug)]
pub struct PracticeData<'b, 'a> {
    /// Name, contact, logo, font and colours; the QR code's address and label.
    pub brand: &'b BrandData<'a>,
    /// The QR code; none without a website.
    pub qr: Option<&'b QrData>,
    /// The practice's own numbers for the card.
    pub local_numbers: &'b [LocalNumberData<'a>],
}

impl PracticeData<'_, '_> {
    /// The files served under `/_leafpress/`: `brand.json` (the brand, with `qr`: address
    /// and label or none), `colors.json` (its colours again, for the templates' top level,
    /// which then depends on the house style and not on the practice's name), `numbers.json`
    /// (the own numbers) and, with a website, `qr.svg`.
    pub fn files(&self) -> serde_json::Result<Vec<(&'static str, Vec<u8>)>> {
        #[derive(Serialize)]
        struct BrandFile<'b, 'a> {
            #[serde(flatten)]
            brand: &'b BrandData<'a>,
            qr: Option<&'b QrData>,
        }
        let mut files = vec![
            ("brand.json", serde_json::to_vec(&BrandFile { brand: self.brand, qr: self.qr })?),
            ("colors.json", serde_json::to_vec(&self.brand.colors)?),
            ("numbers.json", serde_json::to_vec(self.local_numbers)?),
        ];
        if let Some(qr) = self.qr {
            files.push(("qr.svg", qr.svg.as_bytes().to_vec()));
        }
        Ok(files)
    }
}

impl<'a> DocumentData<'a> {
    /// With `brand_in_text` and `brand_runs` found.
    fn with_brand_mentions(mut self) -> Self {
        let needles = brand_needles(&self.brand);
        (self.brand_in_text, self.brand_runs) = brand_mentions(&self, &needles);
        self
    }

    /// The practice's part, for `brand.json`.
    pub fn practice(&self) -> PracticeData<'_, 'a> {
        PracticeData { brand: &self.brand, qr: self.qr.as_ref(), local_numbers: &self.local_numbers }
    }
}

/// What a document shows, chosen per format by [`crate::select`].
#[derive(Debug)]
pub struct Selection<'a> {
    /// Sections in the order shown.
    pub sections: Vec<&'a Section>,
    /// Ids of sections whose lists are shown in full.
    pub lists: Vec<&'a str>,
}

/// The creation time of a document: `SOURCE_DATE_EPOCH` if set, else the published date.
pub fn timestamp(content: &Content, source_date_epoch: Option<i64>) -> DateTime<Utc> {
    source_date_epoch
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or_else(|| content.front.published.and_time(NaiveTime::MIN).and_utc())
}

/// What one document is made from.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The project's settings.
    pub config: &'a Config,
    /// The practice.
    pub brand: &'a Brand,
    /// The topic's id (its folder name).
    pub topic: &'a str,
    /// The content, variables filled in for this brand.
    pub content: &'a Content,
    /// The labels of the content's language.
    pub labels: &'a Labels,
    /// Root-relative bibliography path.
    pub bibliography: Option<&'a str>,
    /// Why the document is a draft, if it is.
    pub draft: Option<crate::content::review::Draft>,
}

/// Assembles the data for a document in `format`.
pub fn assemble<'a>(
    sources: Sources<'a>,
    format: Format,
    selection: Selection<'a>,
    print: Print,
) -> DocumentData<'a> {
    let Sources { config, brand, topic, content, labels, bibliography, draft } = sources;
    let layout = config.layout.get(format);
    let print = if format.is_print() { print } else { Print { bleed_mm: 0.0, crop_marks: false } };
    let c = brand.colors;
    let white = Color { rgb: [255, 255, 255] };
    let front = &content.front;
    DocumentData {
        format: format.layout_format().name(),
        lang: &front.lang,
        rtl: crate::labels::is_rtl(&front.lang),
        region: front.region.as_deref(),
        meta: Meta {
            title: &front.title,
            subtitle: front.subtitle.as_deref(),
            version: &front.version,
            published: labels.date(front.published),
            review_by: labels.date(front.review_by),
            authors: &front.authors,
            reviewers: &front.reviewers,
        },
        brand: BrandData {
            name: &brand.name,
            tagline: brand.tagline(&front.lang),
            logo: &brand.logo.virtual_path,
            logo_alt: brand.logo_alt(&front.lang),
            address: &brand.address,
            phone: &brand.phone,
            email: &brand.email,
            website: brand.website.as_deref(),
            website_label: brand.website_label(),
            font: &brand.font,
            colors: ColorData {
                primary: c.primary.to_string(),
                accent: c.accent.to_string(),
                text: c.text.to_string(),
                background: c.background.to_string(),
                urgent: c.urgent.to_string(),
                urgent_text: c.urgent_text.to_string(),
                tint: c.primary.mix(white, 0.9).to_string(),
                urgent_tint: c.urgent.mix(white, 0.93).to_string(),
            },
        },
        draft: draft.map(|d| match d {
            crate::content::review::Draft::StaleTranslation => labels.draft_stale.clone(),
            crate::content::review::Draft::Expired => labels.draft_expired.clone(),
        }),
        emergency: brand.country.emergency_numbers(),
        // The plan has checked that every number has a caption in this language.
        local_numbers: brand
            .numbers
            .iter()
            .filter_map(|n| Some(LocalNumberData { caption: n.caption(&front.lang)?, number: &n.number }))
            .collect(),
        labels: filled_labels(labels, &Values::new(brand, &front.lang)),
        layout: LayoutData {
            body_size: layout.body_size,
            min_body_size: layout.min_body_size,
            paper: layout.paper.map(|p| p.name()),
            aspect: layout.aspect.map(|a| a.name()),
        },
        print: PrintData { bleed_mm: print.bleed_mm, crop_marks: print.crop_marks },
        lead: if format.has_references() {
            Cow::Borrowed(&content.body.lead)
        } else {
            Cow::Owned(crate::content::model::strip_block_citations(&content.body.lead))
        },
        sections: selection
            .sections
            .into_iter()
            .map(
                |s| {
                    if format.has_references() { Cow::Borrowed(s) } else { Cow::Owned(s.without_citations()) }
                },
            )
            .collect(),
        lists: selection.lists,
        figure: first_figure(content),
        qr: qr_target(brand, topic, &front.lang).map(|url| QrData {
            label: url
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_owned(),
            svg: crate::qr::svg(&url),
            url,
        }),
        // Formats without a reference list get neither citations (stripped above) nor the list.
        bibliography: bibliography.filter(|_| format.has_references()),
        sources: bibliography.is_some(),
        deck: content.deck.as_ref().map(|d| DeckData {
            presenter: d.presenter.as_deref(),
            course: d.course.as_deref(),
            date: d.date.map(|day| labels.date(day)),
        }),
        brand_in_text: false,
        brand_runs: Vec::new(),
    }
    .with_brand_mentions()
}

/// The practice's name, e-mail, web address and phone: what the templates keep unbroken.
fn brand_needles<'a>(b: &BrandData<'a>) -> Vec<&'a str> {
    [Some(b.name), Some(b.email), b.website_label, b.website, Some(b.phone)]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// Where the content mentions one of `needles` (see `DocumentData::brand_in_text` and
/// `brand_runs`): whether a string other than a text run does, and the distinct runs that do,
/// sorted.
fn brand_mentions(data: &DocumentData, needles: &[&str]) -> (bool, Vec<String>) {
    if needles.is_empty() {
        return (false, Vec::new());
    }
    let mentions = |s: &str| needles.iter().any(|n| s.contains(n));
    let mut runs = std::collections::BTreeSet::new();
    let mut elsewhere = false;
    let mut visit = |s: &str, role: TextRole| {
        if mentions(s) {
            match role {
                TextRole::Run => {
                    runs.insert(s.to_owned());
                }
                TextRole::Figure => elsewhere = true,
            }
        }
    };
    Block::visit_text(&data.lead, &mut visit);
    for s in &data.sections {
        Inline::visit_text(s.key_message.as_deref().unwrap_or_default(), &mut visit);
        Block::visit_text(&s.blocks, &mut visit);
    }
    let m = &data.meta;
    let deck = data.deck.iter().flat_map(|d| [d.presenter, d.course].into_iter().flatten());
    let people = m.authors.iter().chain(m.reviewers).map(String::as_str);
    elsewhere |= [m.title, m.subtitle.unwrap_or_default(), data.draft.as_deref().unwrap_or_default()]
        .into_iter()
        .chain(people)
        .chain(deck)
        .chain(data.local_numbers.iter().map(|n| n.caption))
        .chain(data.sections.iter().map(|s| s.title.as_str()))
        .any(mentions)
        || json_mentions(&data.labels, &mentions);
    (elsewhere, runs.into_iter().collect())
}

/// Whether a string in `value` satisfies `mentions`.
fn json_mentions(value: &serde_json::Value, mentions: &dyn Fn(&str) -> bool) -> bool {
    match value {
        serde_json::Value::String(s) => mentions(s),
        serde_json::Value::Array(xs) => xs.iter().any(|x| json_mentions(x, mentions)),
        serde_json::Value::Object(m) => m.values().any(|x| json_mentions(x, mentions)),
        _ => false,
    }
}

/// Where a printed QR code leads: the leaflet's own page of the HTML edition when the practice
/// publishes them (`leaflets-url`), else the practice's website; none without either.
pub fn qr_target(brand: &Brand, topic: &str, lang: &str) -> Option<String> {
    match &brand.leaflets_url {
        Some(base) => Some(format!("{base}/{topic}/{lang}/")),
        None => brand.website.clone(),
    }
}

/// The figure for covers: the one the front matter's `cover` names, else the content's first
/// figure in reading order.
fn first_figure(content: &Content) -> Option<&Block> {
    fn collect<'a>(blocks: &'a [Block], out: &mut Vec<&'a Block>) {
        for b in blocks {
            match b {
                Block::Figure { .. } => out.push(b),
                Block::List { items, .. } => items.iter().for_each(|i| collect(i, out)),
                Block::Quote { blocks } | Block::Callout { blocks, .. } => collect(blocks, out),
                _ => {}
            }
        }
    }
    let mut figures = Vec::new();
    collect(&content.body.lead, &mut figures);
    for s in &content.body.sections {
        collect(&s.blocks, &mut figures);
    }
    let named = content
        .cover
        .as_ref()
        .and_then(|cover| figures.iter().find(|b| matches!(b, Block::Figure { src, .. } if src == cover)));
    named.or(figures.first()).copied()
}

/// The labels with variables (`{profession}`, …) filled in.
fn filled_labels(labels: &Labels, values: &Values) -> serde_json::Value {
    fn fill(v: &mut serde_json::Value, values: &Values) {
        match v {
            serde_json::Value::String(s) => *s = values.fill(s),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| fill(i, values)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|i| fill(i, values)),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(labels).unwrap_or_default();
    fill(&mut v, values);
    v
}
