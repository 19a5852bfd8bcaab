//! The HTML edition (format `html`): the content model written as escaped, semantic HTML
//! (`text`), citations and the reference list in APA from the same hayagriva style Typst uses
//! (`references`), and the self-contained page around them (`page`, with `style.css`).
//!
//! Why not Typst's HTML export: it is experimental in Typst 0.15 (behind a feature flag, with
//! no stable output for figures, tables or landmarks), and the templates are print layouts
//! (pages, a card split over pages, type fitted to a panel) that mean nothing on a screen.
//! The content model is small and already structured, so writing it directly is the simpler,
//! more robust route.

pub mod page;
pub mod references;
pub mod text;

/// The stylesheet every page carries inline (no external requests).
pub const STYLE: &str = include_str!("style.css");
