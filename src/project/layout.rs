//! The `[layout.<format>]` and `[print]` tables of `leafpress.toml`: type sizes, paper,
//! which sections each format shows, bleed and crop marks.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::config::Origin;
use crate::diag::Sink;
use crate::format::Format;

/// Body text may never be smaller than this on a page held in the hand (RNIB Clear Print).
pub const MIN_BODY_SIZE: f64 = 12.0;

/// The smallest type a trifold panel may use.
pub const MIN_TRIFOLD_SIZE: f64 = 10.0;

/// The smallest body text on a slide.
pub const MIN_SLIDE_SIZE: f64 = 24.0;

/// Large print starts at 16 pt (RNIB Clear Print) ...
pub const MIN_LARGE_PRINT_SIZE: f64 = 16.0;

/// ... and goes up to 24 pt, where an A4 line still holds about 40 characters.
pub const MAX_LARGE_PRINT_SIZE: f64 = 24.0;

/// The `[layout]` table as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawLayout {
    #[serde(default)]
    handout: RawFormatLayout,
    #[serde(default)]
    booklet: RawFormatLayout,
    #[serde(default)]
    trifold: RawFormatLayout,
    #[serde(default)]
    poster: RawFormatLayout,
    #[serde(default)]
    slides: RawFormatLayout,
    /// Opt-in: its presence adds large print to the formats built by default.
    large_print: Option<RawFormatLayout>,
    /// Opt-in: its presence adds the HTML edition to the formats built by default.
    html: Option<RawFormatLayout>,
}

/// One `[layout.<format>]` table as written; which keys apply is checked per format.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFormatLayout {
    body_size: Option<Spanned<f64>>,
    min_body_size: Option<Spanned<f64>>,
    paper: Option<Spanned<String>>,
    sections: Option<Spanned<Vec<Spanned<String>>>>,
    lists: Option<Spanned<Vec<Spanned<String>>>>,
    aspect: Option<Spanned<String>>,
}

/// The `[print]` table as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawPrint {
    bleed: Option<Spanned<f64>>,
    crop_marks: Option<bool>,
}

/// Paper sizes a poster may use (ISO 216).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 210 × 297 mm.
    A4,
    /// 297 × 420 mm.
    A3,
    /// 420 × 594 mm.
    A2,
    /// 594 × 841 mm.
    A1,
    /// 841 × 1189 mm.
    A0,
}

impl Paper {
    const ALL: [Paper; 5] = [Paper::A4, Paper::A3, Paper::A2, Paper::A1, Paper::A0];

    /// The name Typst's `page(paper:)` knows.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A3 => "a3",
            Paper::A2 => "a2",
            Paper::A1 => "a1",
            Paper::A0 => "a0",
        }
    }

    /// Width and height in millimetres, portrait.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
            Paper::A2 => (420.0, 594.0),
            Paper::A1 => (594.0, 841.0),
            Paper::A0 => (841.0, 1189.0),
        }
    }

    /// Poster body size and its legibility floor in points. An A3 poster read from about a
    /// metre needs letters about 7 mm high (≈ 28 pt); larger paper is read from further away,
    /// so type grows with the paper's width. The floor is what stays readable at about two
    /// thirds of that distance.
    fn poster_sizes(self) -> (f64, f64) {
        match self {
            Paper::A4 => (20.0, 14.0),
            Paper::A3 => (28.0, 18.0),
            Paper::A2 => (40.0, 26.0),
            Paper::A1 => (56.0, 36.0),
            Paper::A0 => (80.0, 52.0),
        }
    }
}

/// Shapes a slide can have: the same height, 16:9 or 4:3 wide, so type keeps its size
/// relative to the projected picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    /// Widescreen, 297 × 167 mm.
    Wide,
    /// The older projector shape, 223 × 167 mm.
    Standard,
}

impl Aspect {
    const ALL: [Aspect; 2] = [Aspect::Wide, Aspect::Standard];

    /// The name written in `leafpress.toml` and read by the templates.
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Wide => "16:9",
            Aspect::Standard => "4:3",
        }
    }
}

/// A list of section ids chosen in the layout, with where each was written.
#[derive(Debug, Clone)]
pub struct SectionChoice {
    /// The ids in the order given.
    pub ids: Vec<(String, Origin)>,
    /// The whole list, for errors about what is missing from it.
    pub origin: Origin,
}

/// Layout of one format.
#[derive(Debug, Clone)]
pub struct FormatLayout {
    /// Body size in points (the starting size for formats that shrink to fit).
    pub body_size: f64,
    /// The smallest body size a shrink-to-fit format may use.
    pub min_body_size: f64,
    /// Paper (posters only; others have fixed geometry).
    pub paper: Option<Paper>,
    /// Sections shown, in order; `None` means the content's own order.
    pub sections: Option<SectionChoice>,
    /// Sections whose lists are shown in full (trifold).
    pub lists: Option<SectionChoice>,
    /// Slide shape (slides only; others have fixed geometry).
    pub aspect: Option<Aspect>,
}

/// Print production options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Print {
    /// Bleed in millimetres on every trimmed edge.
    pub bleed_mm: f64,
    /// Whether trim marks are drawn outside the trim.
    pub crop_marks: bool,
}

/// Validated layout settings.
#[derive(Debug, Clone)]
pub struct Layout {
    formats: BTreeMap<Format, FormatLayout>,
    /// The opt-in formats whose `[layout.<format>]` table the project wrote.
    opted_in: Vec<Format>,
    /// Print options from `[print]`.
    pub print: Print,
}

impl Layout {
    /// The layout of `format` (formats derived from another use that one's settings).
    pub fn get(&self, format: Format) -> &FormatLayout {
        &self.formats[&format.layout_format()]
    }

    /// The formats built when the command line names none: the seven every project builds,
    /// then the opt-in formats the layout has a table for.
    pub fn default_formats(&self) -> Vec<Format> {
        crate::format::ALL.into_iter().chain(self.opted_in.iter().copied()).collect()
    }
}

/// Validates the `[layout]` and `[print]` tables, reporting every problem to `sink`.
pub(super) fn validate(
    raw: RawLayout,
    print: RawPrint,
    at: &dyn Fn(Range<usize>) -> Origin,
    sink: &mut Sink,
) -> Layout {
    let opted_in = [(Format::LargePrint, raw.large_print.is_some()), (Format::Html, raw.html.is_some())]
        .into_iter()
        .filter_map(|(f, asked)| asked.then_some(f))
        .collect();
    let tables = [
        (Format::Html, raw.html.unwrap_or_default()),
        (Format::LargePrint, raw.large_print.unwrap_or_default()),
        (Format::Handout, raw.handout),
        (Format::Booklet, raw.booklet),
        (Format::Trifold, raw.trifold),
        (Format::Poster, raw.poster),
        (Format::Slides, raw.slides),
    ];
    let mut formats = BTreeMap::new();
    for (format, table) in tables {
        formats.insert(format, format_layout(format, table, at, sink));
    }
    let bleed = print.bleed.map_or(0.0, |b| {
        let v = *b.get_ref();
        if !(0.0..=5.0).contains(&v) {
            sink.push(
                at(b.span())
                    .error(format!("bleed {v} mm is outside 0–5 mm"))
                    .hint("printers usually ask for 3 mm of bleed"),
            );
        }
        v
    });
    Layout {
        formats,
        opted_in,
        print: Print { bleed_mm: bleed, crop_marks: print.crop_marks.unwrap_or(false) },
    }
}

fn format_layout(
    format: Format,
    raw: RawFormatLayout,
    at: &dyn Fn(Range<usize>) -> Origin,
    sink: &mut Sink,
) -> FormatLayout {
    let name = format.name();
    let not_here = |sink: &mut Sink, key: &str, span: Range<usize>, applies: &str| {
        sink.push(
            at(span)
                .error(format!("`{key}` does not apply to [layout.{name}]"))
                .hint(format!("`{key}` only applies to {applies}")),
        );
    };
    let paper = match (&raw.paper, format) {
        (None, Format::Poster) => Some(Paper::A3),
        (None, _) => None,
        (Some(p), Format::Poster) => {
            let wanted = p.get_ref().to_lowercase();
            match Paper::ALL.into_iter().find(|x| x.name() == wanted) {
                Some(x) => Some(x),
                None => {
                    sink.push(
                        at(p.span())
                            .error(format!("unknown paper `{}`", p.get_ref()))
                            .hint("posters can be a4, a3, a2, a1 or a0"),
                    );
                    Some(Paper::A3)
                }
            }
        }
        (Some(p), _) => {
            not_here(sink, "paper", p.span(), "[layout.poster]");
            None
        }
    };
    let aspect = match (&raw.aspect, format) {
        (None, Format::Slides) => Some(Aspect::Wide),
        (None, _) => None,
        (Some(a), Format::Slides) => match Aspect::ALL.into_iter().find(|x| x.name() == a.get_ref().trim()) {
            Some(x) => Some(x),
            None => {
                sink.push(
                    at(a.span())
                        .error(format!("unknown aspect `{}`", a.get_ref()))
                        .hint("slides can be \"16:9\" or \"4:3\""),
                );
                Some(Aspect::Wide)
            }
        },
        (Some(a), _) => {
            not_here(sink, "aspect", a.span(), "[layout.slides]");
            None
        }
    };
    if let (Some(l), false) = (&raw.lists, format == Format::Trifold) {
        not_here(sink, "lists", l.span(), "[layout.trifold]");
    }
    if let (Some(b), Format::Html) = (&raw.body_size, format) {
        not_here(
            sink,
            "body-size",
            b.span(),
            "PDF formats: the HTML edition is read at the size its reader chooses",
        );
    }
    let shrinks = format.shrinks_to_fit();
    if let (Some(m), false) = (&raw.min_body_size, shrinks) {
        not_here(sink, "min-body-size", m.span(), "formats that shrink type to fit: trifold and poster");
    }

    // Default sizes and the floor no setting may go below.
    let (default_body, default_min, floor, floor_why) = match format {
        Format::Trifold => (12.0, MIN_TRIFOLD_SIZE, MIN_TRIFOLD_SIZE, "trifold panels need at least 10 pt"),
        Format::Poster => {
            let (b, m) = paper.unwrap_or(Paper::A3).poster_sizes();
            (b, m, MIN_BODY_SIZE, "posters need at least 12 pt, far more at a distance")
        }
        Format::Slides => (28.0, MIN_SLIDE_SIZE, MIN_SLIDE_SIZE, "slide text needs at least 24 pt"),
        Format::Booklet => (12.0, MIN_BODY_SIZE, MIN_BODY_SIZE, "patient leaflets need at least 12 pt"),
        Format::LargePrint => (
            MIN_LARGE_PRINT_SIZE,
            MIN_LARGE_PRINT_SIZE,
            MIN_LARGE_PRINT_SIZE,
            "large print is 16–24 pt (RNIB Clear Print); 13–14 pt belongs in the handout",
        ),
        _ => (
            13.0,
            MIN_BODY_SIZE,
            MIN_BODY_SIZE,
            "patient leaflets need at least 12 pt; 13–14 pt is recommended",
        ),
    };
    let ceiling = match format {
        Format::Poster => 200.0,
        Format::LargePrint => MAX_LARGE_PRINT_SIZE,
        _ => 48.0,
    };
    let mut size = |value: &Option<Spanned<f64>>, default: f64, key: &str| match value {
        None => default,
        Some(v) => {
            let x = *v.get_ref();
            if !(floor..=ceiling).contains(&x) {
                sink.push(
                    at(v.span())
                        .error(format!("{key} {x} pt is outside {floor}–{ceiling} pt for [layout.{name}]"))
                        .hint(floor_why),
                );
            }
            x
        }
    };
    let body_size = size(&raw.body_size, default_body, "body-size");
    let min_body_size =
        if shrinks { size(&raw.min_body_size, default_min, "min-body-size") } else { body_size };
    if shrinks
        && min_body_size > body_size
        && let Some(m) = &raw.min_body_size
    {
        sink.push(
            at(m.span())
                .error(format!("min-body-size {min_body_size} pt is larger than body-size {body_size} pt"))
                .hint("type shrinks from body-size down to min-body-size to fit"),
        );
    }
    let choice = |list: Option<Spanned<Vec<Spanned<String>>>>| {
        list.map(|l| SectionChoice {
            origin: at(l.span()),
            ids: l.into_inner().into_iter().map(|s| (s.get_ref().clone(), at(s.span()))).collect(),
        })
    };
    FormatLayout {
        body_size,
        min_body_size,
        paper,
        sections: choice(raw.sections),
        lists: choice(raw.lists),
        aspect,
    }
}
