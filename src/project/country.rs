//! The practice's country and what follows from it: emergency and out-of-hours numbers.
//!
//! Numbers come from `docs/domain.md`; they are chosen by the country of the practice,
//! never by the language of the leaflet.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A country a practice can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Country {
    /// Belgium.
    BE,
    /// The Netherlands.
    NL,
    /// France.
    FR,
    /// Germany.
    DE,
    /// Luxembourg.
    LU,
    /// The United Kingdom.
    UK,
    /// Ireland.
    IE,
    /// The United States.
    US,
    /// Switzerland.
    CH,
    /// Austria.
    AT,
}

/// Every supported country, in the order they are listed to users.
pub const ALL: [Country; 10] = [
    Country::BE,
    Country::NL,
    Country::FR,
    Country::DE,
    Country::LU,
    Country::UK,
    Country::IE,
    Country::US,
    Country::CH,
    Country::AT,
];

/// The numbers a patient with red-flag symptoms should call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmergencyNumbers {
    /// The medical emergency number, printed largest.
    pub emergency: &'static str,
    /// Another number that also reaches emergency services, if any.
    pub also: Option<&'static str>,
    /// The national out-of-hours doctor / medical advice number, if there is one.
    pub out_of_hours: Option<&'static str>,
}

impl Country {
    /// The numbers for this country.
    pub fn emergency_numbers(self) -> EmergencyNumbers {
        let (emergency, also, out_of_hours) = match self {
            Country::BE => ("112", None, Some("1733")),
            Country::NL => ("112", None, None),
            Country::FR => ("15", Some("112"), Some("116 117")),
            Country::DE => ("112", None, Some("116 117")),
            Country::LU => ("112", None, None),
            Country::UK => ("999", Some("112"), Some("111")),
            Country::IE => ("999", Some("112"), None),
            Country::US => ("911", None, None),
            Country::CH => ("144", Some("112"), None),
            Country::AT => ("144", Some("112"), None),
        };
        EmergencyNumbers { emergency, also, out_of_hours }
    }
}

impl Country {
    /// What patients in this country call a physiotherapist, in `lang`; `None` where
    /// leafpress has no word for that language (the brand can then give one).
    pub fn profession(self, lang: &str) -> Option<&'static str> {
        Some(match (lang, self) {
            // domain.md: Flemish says kinesitherapeut, Netherlands Dutch fysiotherapeut.
            ("nl", Country::BE) => "kinesitherapeut",
            ("nl", _) => "fysiotherapeut",
            ("fr", Country::CH) => "physiothérapeute",
            ("fr", _) => "kinésithérapeute",
            ("de", _) => "Physiotherapeut",
            ("en", Country::US) => "physical therapist",
            ("en", _) => "physiotherapist",
            ("tr", _) => "fizyoterapist",
            ("pl", _) => "fizjoterapeuta",
            ("ar", _) => "أخصائي العلاج الطبيعي",
            _ => return None,
        })
    }
}

impl Country {
    /// Where patients in this country go in an emergency, in `lang`, as the text names it
    /// ("Go to the {emergency-department} straight away"); `None` where leafpress has no
    /// word for that language.
    pub fn emergency_department(self, lang: &str) -> Option<&'static str> {
        Some(match (lang, self) {
            ("nl", Country::BE) => "spoedgevallendienst",
            ("nl", _) => "spoedeisende hulp",
            ("fr", _) => "service des urgences",
            ("de", _) => "Notaufnahme",
            ("en", Country::UK) => "A&E",
            ("en", Country::US) => "emergency room",
            ("en", _) => "emergency department",
            ("tr", _) => "acil servis",
            ("pl", _) => "szpitalny oddział ratunkowy (SOR)",
            ("ar", _) => "قسم الطوارئ",
            _ => return None,
        })
    }
}

impl FromStr for Country {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.into_iter()
            .find(|c| c.to_string() == s || (s == "GB" && *c == Country::UK))
            .ok_or_else(|| format!("unknown country `{s}`"))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgium_has_112_and_1733() {
        let n = Country::BE.emergency_numbers();
        assert_eq!((n.emergency, n.out_of_hours), ("112", Some("1733")));
    }

    #[test]
    fn france_calls_samu_first() {
        let n = Country::FR.emergency_numbers();
        assert_eq!((n.emergency, n.also), ("15", Some("112")));
    }

    #[test]
    fn profession_follows_country_and_language() {
        assert_eq!(Country::BE.profession("nl"), Some("kinesitherapeut"));
        assert_eq!(Country::NL.profession("nl"), Some("fysiotherapeut"));
        assert_eq!(Country::BE.profession("fr"), Some("kinésithérapeute"));
        assert_eq!(Country::DE.profession("de"), Some("Physiotherapeut"));
        assert_eq!(Country::US.profession("en"), Some("physical therapist"));
        assert_eq!(Country::BE.profession("tr"), Some("fizyoterapist"));
        assert_eq!(Country::BE.profession("es"), None);
    }

    #[test]
    fn emergency_department_follows_country_and_language() {
        assert_eq!(Country::BE.emergency_department("nl"), Some("spoedgevallendienst"));
        assert_eq!(Country::NL.emergency_department("nl"), Some("spoedeisende hulp"));
        assert_eq!(Country::UK.emergency_department("en"), Some("A&E"));
        assert_eq!(Country::BE.emergency_department("en"), Some("emergency department"));
        assert_eq!(Country::BE.emergency_department("tr"), Some("acil servis"));
        assert_eq!(Country::BE.emergency_department("es"), None);
    }

    #[test]
    fn parses_codes() {
        assert_eq!("GB".parse::<Country>().unwrap(), Country::UK);
        assert!("XX".parse::<Country>().is_err());
    }
}
