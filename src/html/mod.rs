//! The HTML edition (issue #14, part 2), in progress: the content model written as escaped,
//! semantic HTML (`text`), citations and the reference list in APA from the same hayagriva
//! style Typst uses (`references`), and the page's stylesheet (`style.css`). Not yet a
//! format: the page around them (head, masthead, card landmark, about block, embedded font
//! and images, links to the PDFs) comes next.
//!
//! Why not Typst's HTML export: it is experimental in Typst 0.15 (behind a feature flag, with
//! no stable output for figures, tables or landmarks), and the templates are print layouts
//! (pages, a card split over pages, type fitted to a panel) that mean nothing on a screen.
//! The content model is small and already structured, so writing it directly is the simpler,
//! more robust route.

pub mod references;
pub mod text;

/// The stylesheet every page carries inline (no external requests).
pub const STYLE: &str = include_str!("style.css");
