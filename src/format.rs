//! Output formats: what each one is called, which template draws it and what it is for.

use std::fmt;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Format {
    /// A4 portrait, full text, references: the accessible reading version.
    Handout,
    /// A5 pages in reading order, full text, cover and back page.
    Booklet,
    /// The booklet imposed two-up on A4 landscape for saddle-stitch duplex printing.
    BookletImposed,
    /// A4 landscape roll-fold leaflet: two sides, six panels.
    Trifold,
    /// One page for the waiting-room wall (A3 unless the layout says otherwise).
    Poster,
    /// 16:9 presentation slides, with a `.pdfpc` presenter file.
    Slides,
    /// The slides three to an A4 page with ruled note lines.
    SlidesHandout,
    /// The handout in large print (RNIB Clear Print): A4, body 16–24 pt, one column, no
    /// hyphenation, nothing smaller than the body. Built when asked for (`--format
    /// large-print`) or when the layout has a `[layout.large-print]` table.
    LargePrint,
    /// One accessible, responsive web page (`index.html`), self-contained: for the practice's
    /// website and for reading on a phone with a screen reader or enlarged text. Built when
    /// asked for (`--format html`) or when the layout has a `[layout.html]` table.
    Html,
}

/// The formats every project builds by default, in build order.
pub const ALL: [Format; 7] = [
    Format::Handout,
    Format::Booklet,
    Format::BookletImposed,
    Format::Trifold,
    Format::Poster,
    Format::Slides,
    Format::SlidesHandout,
];

/// Formats a project builds when it asks for them (a `[layout.<format>]` table or
/// `--format`), in build order after [`ALL`].
pub const OPT_IN: [Format; 2] = [Format::LargePrint, Format::Html];

/// Every format, in build order.
pub fn every() -> impl Iterator<Item = Format> {
    ALL.into_iter().chain(OPT_IN)
}

impl Format {
    /// The name used in paths, layout tables and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Handout => "handout",
            Format::Booklet => "booklet",
            Format::BookletImposed => "booklet-imposed",
            Format::Trifold => "trifold",
            Format::Poster => "poster",
            Format::Slides => "slides",
            Format::SlidesHandout => "slides-handout",
            Format::LargePrint => "large-print",
            Format::Html => "html",
        }
    }

    /// The built-in template that draws this format; none for the HTML edition, which
    /// leafpress writes from the content model itself.
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            Format::Handout | Format::LargePrint => "handout.typ",
            Format::Booklet | Format::BookletImposed => "booklet.typ",
            Format::Trifold => "trifold.typ",
            Format::Poster => "poster.typ",
            Format::Slides => "slides.typ",
            Format::SlidesHandout => "slides-handout.typ",
            Format::Html => return None,
        })
    }

    /// The format whose layout settings (and section choice) this one uses.
    pub fn layout_format(self) -> Format {
        match self {
            Format::BookletImposed => Format::Booklet,
            Format::SlidesHandout => Format::Slides,
            f => f,
        }
    }

    /// Whether the format prints citations and a reference list; the others leave
    /// citations out and say where the sources are.
    pub fn has_references(self) -> bool {
        !matches!(self, Format::Trifold | Format::Poster)
    }

    /// Whether the format is a PDF (every format but the HTML edition).
    pub fn is_pdf(self) -> bool {
        self != Format::Html
    }

    /// The file a document of this format is written to, in its topic's language folder.
    pub fn file_name(self) -> String {
        if self.is_pdf() { format!("{}.pdf", self.name()) } else { "index.html".to_owned() }
    }

    /// Whether the type shrinks (down to a floor) until the content fits.
    pub fn shrinks_to_fit(self) -> bool {
        matches!(self, Format::Trifold | Format::Poster)
    }

    /// Whether print options (bleed, crop marks) apply.
    pub fn is_print(self) -> bool {
        matches!(self, Format::Booklet | Format::Trifold | Format::Poster)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
