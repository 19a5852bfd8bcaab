//! Output formats: what each one is called and which template draws it.

use std::fmt;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// A4 portrait, full text, references: the accessible reading version.
    Handout,
}

/// Every format, in build order.
pub const ALL: [Format; 1] = [Format::Handout];

impl Format {
    /// The name used in paths and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Handout => "handout",
        }
    }

    /// The built-in template that draws this format.
    pub fn template(self) -> &'static str {
        match self {
            Format::Handout => "handout.typ",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
