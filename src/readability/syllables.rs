//! Syllables per word, counted by vowel groups with each language's own spelling rules.
//!
//! TeX hyphenation patterns (what Typst hyphenates with) undercount: they leave out breaks
//! that would be wrong at a line end and keep a minimum at each word edge, so "idee" or
//! "Radio" get one break too few. The usual method for readability formulas is a vowel-group
//! counter, and that is what this is:
//!
//! - a syllable is a vowel group; letters that spell one vowel sound together (Dutch `aa ee
//!   oo uu ie oe eu ei ij ui ou au`, German `ie ei eu äu au`, French `ai au eau ei eu oi ou`)
//!   are one group, any other adjacent vowels are two (Dutch `be·oor·de·len`, German
//!   `Si·tu·a·ti·on` … with `-tion` one);
//! - a diaeresis starts a new syllable (`ideeën`, `naïf`); stress accents (`één`) do not;
//! - French drops the mute final `-e`, `-es` and the verb ending `-ent`;
//! - English merges every vowel run except the hiatus spellings (`me·di·a`, `ra·di·o`,
//!   `ac·tu·al`) and drops the silent final `e` (`make`), `-es` and `-ed` (`worked`);
//! - `u` after `q` (and French `gu` before a vowel) is no vowel; `y` is one (English: not at
//!   the start of a word, `you`);
//! - hyphenated words are counted part by part; a word without a vowel (`'s`) counts one.
//!
//! It is a heuristic: the tests below hold word lists per language with their dictionary
//! counts, and say how many it gets right.

use super::Lang;

/// The syllables of `word` (letters; apostrophes and hyphens may join parts) in `lang`.
pub fn count(word: &str, lang: Lang) -> usize {
    word.split(['-', '‐', '–'])
        .filter(|part| !part.is_empty())
        .map(|part| part_count(part, lang))
        .sum::<usize>()
        .max(1)
}

fn part_count(part: &str, lang: Lang) -> usize {
    // An abbreviation in capitals is spelled out letter by letter (MRI, MRT: three).
    let caps = part.chars().filter(|c| c.is_alphabetic()).count();
    if (2..=5).contains(&caps) && part.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        return caps;
    }
    let letters: Vec<char> =
        part.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    if letters.is_empty() {
        return 0;
    }
    let letters = normalise(&letters, lang);
    let n = match lang {
        Lang::En => english(&letters),
        _ => nuclei(&letters, lang),
    };
    n.max(1)
}

/// Letters whose accent does not change the syllables in `lang` are written without it, so
/// `één` reads as `een` (one group) and French `aî`, `oû` as `ai`, `ou`.
fn normalise(letters: &[char], lang: Lang) -> Vec<char> {
    letters
        .iter()
        .map(|&c| match (lang, c) {
            (Lang::Nl | Lang::En, 'á' | 'à' | 'â') => 'a',
            (Lang::Nl | Lang::En, 'é' | 'è' | 'ê') => 'e',
            (Lang::Nl | Lang::En, 'í' | 'ì' | 'î') => 'i',
            (Lang::Nl | Lang::En, 'ó' | 'ò' | 'ô') => 'o',
            (Lang::Nl | Lang::En, 'ú' | 'ù' | 'û') => 'u',
            (Lang::Fr | Lang::De, 'â') => 'a',
            (Lang::Fr | Lang::De, 'î') => 'i',
            (Lang::Fr | Lang::De, 'ô') => 'o',
            (Lang::Fr | Lang::De, 'û') => 'u',
            (_, c) => c,
        })
        .collect()
}

fn is_vowel_letter(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'à'
            | 'á'
            | 'â'
            | 'ä'
            | 'è'
            | 'é'
            | 'ê'
            | 'ë'
            | 'ì'
            | 'í'
            | 'î'
            | 'ï'
            | 'ò'
            | 'ó'
            | 'ô'
            | 'ö'
            | 'ù'
            | 'ú'
            | 'û'
            | 'ü'
            | 'œ'
            | 'æ'
            | 'ÿ'
            | 'ý'
    )
}

/// Whether the letter at `i` spells a vowel in `lang`.
fn is_vowel(w: &[char], i: usize, lang: Lang) -> bool {
    let c = w[i];
    if !is_vowel_letter(c) {
        return false;
    }
    let prev = i.checked_sub(1).map(|p| w[p]);
    let next = w.get(i + 1).copied();
    let next_is_vowel = next.is_some_and(is_vowel_letter);
    let prev_is_vowel = prev.is_some_and(is_vowel_letter);
    match c {
        // `qu` (and French `gu` before a vowel: guérir, guide) is a consonant sound.
        'u' if prev == Some('q') && next_is_vowel => false,
        'u' if lang == Lang::Fr && prev == Some('g') && next_is_vowel => false,
        // `y` before a vowel at the start of a word is a consonant (you, yes; Dutch yoga).
        'y' if i == 0 && next_is_vowel => false,
        // … and between vowels (la·yer, bu·yer; French pa·yer).
        'y' if prev_is_vowel && next_is_vowel && lang != Lang::Nl => false,
        _ => true,
    }
}

/// Letter groups that spell one vowel sound, longest first.
fn groups(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Nl => &[
            "aai", "ooi", "oei", "eeu", "ieu", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ei", "ij", "ui",
            "ou", "au", "ai", "ey", "uy",
        ],
        Lang::De => &["äu", "ie", "ei", "eu", "au", "ai", "ey", "ay", "aa", "ee", "oo", "ou"],
        Lang::Fr => &[
            "eau", "oeu", "ieu", "œu", "iè", "ai", "au", "ei", "eu", "oi", "ou", "ui", "ie", "ay", "oy",
            "uy", "ey", "œ",
        ],
        Lang::En => &[],
    }
}

/// Counts vowel groups by the language's table (nl, de, fr).
fn nuclei(w: &[char], lang: Lang) -> usize {
    let table = groups(lang);
    let mut count = 0;
    let mut i = 0;
    // Where the last group started and how long it was, for the French mute `e`.
    let mut last = (usize::MAX, 0);
    while i < w.len() {
        if !is_vowel(w, i, lang) {
            i += 1;
            continue;
        }
        let mut len = table
            .iter()
            .map(|g| g.chars().count())
            .zip(table)
            .find(|&(n, g)| {
                w.len() >= i + n && g.chars().eq(w[i..i + n].iter().copied()) && exception(w, i, n, lang)
            })
            .map_or(1, |(n, _)| n);
        // `-tion`, `-sion` (and French `-xion`, `-ssion`): one syllable in German and French.
        if len == 1
            && w[i] == 'i'
            && w.get(i + 1) == Some(&'o')
            && w.get(i + 2) == Some(&'n')
            && matches!(lang, Lang::De | Lang::Fr)
            && i.checked_sub(1).is_some_and(|p| matches!(w[p], 't' | 's' | 'x' | 'c' | 'g'))
        {
            len = 2;
        }
        last = (i, len);
        count += 1;
        i += len;
    }
    if lang == Lang::Fr && count > 1 && mute_ending(w, last) {
        count -= 1;
    }
    count
}

/// Whether the group of `len` letters at `i` is one sound here (the table's exceptions).
fn exception(w: &[char], i: usize, len: usize, lang: Lang) -> bool {
    let after = &w[i + len..];
    let earlier_vowel = w[..i].iter().any(|&c| is_vowel_letter(c));
    match (lang, &w[i..i + len]) {
        // German final `-ien` is two (Stu·di·en, The·ra·pi·en), as is a final `-ie` after l, n
        // or r in a longer word (Li·ni·e, Her·ni·e) and `ie` before `nt` or `ll` (Pa·ti·ent,
        // spe·zi·ell); else one (Knie, Therapie, dienen).
        (Lang::De, ['i', 'e']) => {
            let after_lnr = i.checked_sub(1).is_some_and(|p| matches!(w[p], 'l' | 'n' | 'r'));
            let final_ie = after.is_empty() && after_lnr && earlier_vowel;
            !(final_ie || after == ['n'] || after.starts_with(&['n', 't']) || after.starts_with(&['l', 'l']))
        }
        _ => true,
    }
}

/// Non-verbs ending in `-ent`, whose ending is heard (`-ment` words are heard too).
const FR_HEARD_ENT: &[&str] = &[
    "souvent",
    "urgent",
    "urgents",
    "accident",
    "accidents",
    "absent",
    "présent",
    "récent",
    "fréquent",
    "lent",
    "différent",
    "prudent",
    "parent",
    "parents",
    "dent",
    "dents",
    "cent",
    "vent",
    "agent",
    "agents",
    "argent",
    "évident",
    "suffisent",
    "régent",
    "adolescent",
    "adolescents",
    "patient",
    "patients",
    "client",
    "clients",
];

/// Whether the last vowel group of a French word is a mute ending: `-e`, `-es`, or the verb
/// ending `-ent` (ils doivent) but not a heard `-ent` (urgent, traitement).
fn mute_ending(w: &[char], (start, len): (usize, usize)) -> bool {
    if len != 1 || w[start] != 'e' {
        return false;
    }
    let rest: String = w[start + 1..].iter().collect();
    match rest.as_str() {
        "" | "s" => true,
        "nt" => {
            let word: String = w.iter().collect();
            !word.ends_with("ment") && !FR_HEARD_ENT.contains(&word.as_str())
        }
        _ => false,
    }
}

/// English: every vowel run is one syllable but for the hiatus spellings, less the silent
/// endings.
fn english(w: &[char]) -> usize {
    let s: String = w.iter().collect();
    let mut count = 0;
    let mut i = 0;
    while i < w.len() {
        if !is_vowel(w, i, Lang::En) {
            i += 1;
            continue;
        }
        count += 1;
        let mut j = i + 1;
        while j < w.len() && is_vowel(w, j, Lang::En) {
            if english_hiatus(w, j) {
                count += 1;
            }
            j += 1;
        }
        i = j;
    }
    let len = w.len();
    let consonant = |k: usize| k < len && !is_vowel_letter(w[k]);
    // Silent final e (make, there) but not after a consonant + l or r (table, people,
    // centre), in a vowel group (tissue, free) or in a word of one group (the, be).
    if count > 1 && s.ends_with('e') && len >= 3 && consonant(len - 2) {
        let heard = (s.ends_with("le") || s.ends_with("re")) && consonant(len - 3);
        if !heard {
            count -= 1;
        }
    }
    // some- in a compound: the e is silent (something, sometimes).
    if count > 2 && s.starts_with("some") && len > 5 {
        count -= 1;
    }
    // -es and -ed are silent unless after a sibilant (causes, changes) or t/d (needed).
    if count > 1 && len >= 4 && (s.ends_with("es") || s.ends_with("ed")) && consonant(len - 3) {
        let before: String = w[..len - 2].iter().collect();
        let heard = if s.ends_with("es") {
            ["s", "x", "z", "ch", "sh", "ge", "ce", "c", "g"].iter().any(|e| before.ends_with(e))
                || (before.ends_with('l') || before.ends_with('r')) && len >= 5 && consonant(len - 4)
        } else {
            before.ends_with('t') || before.ends_with('d')
        };
        if !heard {
            count -= 1;
        }
    }
    // -ely, -ement after a consonant other than l: the e is silent (lately, movement).
    for ending in ["ely", "ement", "eful", "eness"] {
        let k = len.wrapping_sub(ending.len());
        if count > 1 && s.ends_with(ending) && len > ending.len() + 1 && consonant(k - 1) && w[k - 1] != 'l' {
            // `e` after a consonant after a vowel: a silent e before a suffix.
            if k >= 2 && is_vowel_letter(w[k - 2]) {
                count -= 1;
            }
        }
    }
    count.max(1)
}

/// Whether the vowel at `j` (after another vowel) starts a syllable of its own in English.
fn english_hiatus(w: &[char], j: usize) -> bool {
    let prev = w[j - 1];
    let c = w[j];
    let before = j.checked_sub(2).map(|k| w[k]);
    let after = w.get(j + 1).copied();
    let rest: String = w[j + 1..].iter().collect();
    // After c, t, s, g or x the i is soft: spe·cial, na·tion, re·gion, an·xious, phy·si·cian.
    let soft = before.is_some_and(|b| matches!(b, 'c' | 't' | 's' | 'g' | 'x' | 'h'));
    // be·ing, go·ing, see·ing: -ing after a vowel is a syllable of its own.
    if c == 'i' && rest == "ng" {
        return true;
    }
    match (prev, c) {
        // me·di·a, ra·di·o, pre·vi·ous, phy·si·o, but the soft -ion, -ious, -ial, -ian.
        ('i', 'o') => !(soft && matches!(after, Some('n' | 'u'))),
        ('i', 'a') => !(soft && matches!(after, Some('l' | 'n'))),
        ('i', 'u') => !soft,
        // ac·tu·al, u·su·al, flu·id (but guard, quite: u after q or g is no vowel there).
        ('u', 'a' | 'i') => !(matches!(before, Some('q' | 'g' | 'b')) || c == 'i' && after == Some('t')),
        // vi·de·o, os·te·o·po·ro·sis, but peo·ple.
        ('e', 'o') => before != Some('p') && !matches!(after, Some('u')),
        // a·re·a, i·de·a: a final -ea.
        ('e', 'a') => after.is_none(),
        // di·et, qui·et, cli·ent, but pa·tient, an·cient.
        ('i', 'e') => !soft && matches!(rest.as_str(), "t" | "ts" | "nt" | "nts"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `words` (word, dictionary count) and returns the ones counted otherwise.
    fn misses(lang: Lang, words: &[(&str, usize)]) -> Vec<String> {
        words
            .iter()
            .filter(|(w, n)| count(w, lang) != *n)
            .map(|(w, n)| format!("{w}: {} (dictionary {n})", count(w, lang)))
            .collect()
    }

    #[test]
    fn dutch() {
        let words = [
            ("pijn", 1),
            ("rug", 1),
            ("hernia", 3),
            ("beoordelen", 4),
            ("ideeën", 3),
            ("knieën", 2),
            ("zeeën", 2),
            ("patiënt", 3),
            ("België", 3),
            ("coördinatie", 5),
            ("geïrriteerd", 4),
            ("operatie", 4),
            ("fysiotherapeut", 6),
            ("situatie", 4),
            ("uiteindelijk", 4),
            ("moeilijk", 2),
            ("groeien", 2),
            ("maaien", 2),
            ("nieuw", 1),
            ("geeuwen", 2),
            ("één", 1),
            ("huisarts", 2),
            ("spoedgevallendienst", 5),
            ("tussenwervelschijf", 5),
            ("zenuwwortel", 4),
            ("uitstraling", 3),
            ("gevoelloosheid", 4),
            ("auto's", 2),
            ("bewegen", 3),
            ("ouderen", 3),
            ("zitvlak", 2),
            ("plassen", 2),
            ("ontlasting", 3),
            ("medisch", 2),
            ("noodgeval", 3),
            ("chirurgische", 4),
            ("ingreep", 2),
            ("weken", 2),
            ("spoedeisende", 4),
            ("pijnstillers", 3),
            ("behandeling", 4),
            ("herstel", 2),
            ("zelfzorg", 2),
            ("verergeren", 4),
            ("vooral", 2),
            ("gewoon", 2),
            ("klachten", 2),
            ("eerst", 1),
            ("meeste", 2),
            ("mensen", 2),
            ("training", 2),
            ("krachttraining", 3),
            ("MRI", 3),
        ];
        assert_eq!(misses(Lang::Nl, &words), Vec::<String>::new());
    }

    #[test]
    fn german() {
        let words = [
            ("Bandscheibenvorfall", 5),
            ("Physiotherapie", 6),
            ("Notaufnahme", 4),
            ("Operation", 4),
            ("Situation", 4),
            ("Radio", 3),
            ("Patient", 3),
            ("Patienten", 4),
            ("speziell", 3),
            ("Hernie", 3),
            ("Familie", 4),
            ("Knie", 1),
            ("Therapie", 3),
            ("neue", 2),
            ("Bauer", 2),
            ("Schmerzen", 2),
            ("Beine", 2),
            ("Ärztin", 2),
            ("Äußerung", 3),
            ("Quelle", 2),
            ("Diskussion", 3),
            ("Rücken", 2),
            ("Rückenschmerzen", 4),
            ("Taubheitsgefühl", 4),
            ("Wochen", 2),
            ("Hausarzt", 2),
            ("Notfall", 2),
            ("Blase", 2),
            ("Darm", 1),
            ("Bewegung", 3),
            ("Schmerzmittel", 3),
            ("meisten", 2),
            ("Menschen", 2),
            ("verschlimmern", 3),
            ("sofort", 2),
            ("Behandlung", 3),
            ("Beschwerden", 3),
            ("Wirbelsäule", 4),
            ("Nervenwurzel", 4),
            ("Gesäß", 2),
            ("Studien", 3),
            ("Therapien", 4),
            ("Linien", 3),
            ("MRT", 3),
        ];
        assert_eq!(misses(Lang::De, &words), Vec::<String>::new());
    }

    #[test]
    fn french() {
        let words = [
            ("hernie", 2),
            ("douleur", 2),
            ("jambes", 1),
            ("jambe", 1),
            ("médecin", 3),
            ("information", 4),
            ("situation", 4),
            ("question", 2),
            ("radio", 3),
            ("patient", 2),
            ("patients", 2),
            ("urgent", 2),
            ("urgences", 2),
            ("souvent", 2),
            ("doivent", 1),
            ("peuvent", 1),
            ("traitement", 3),
            ("rapidement", 4),
            ("continue", 3),
            ("créer", 2),
            ("journée", 2),
            ("eau", 1),
            ("beaucoup", 2),
            ("nuit", 1),
            ("guérir", 2),
            ("qualité", 3),
            ("connaître", 2),
            ("goût", 1),
            ("naïf", 2),
            ("kinésithérapeute", 6),
            ("chirurgicale", 4),
            ("intervention", 4),
            ("vessie", 2),
            ("selles", 1),
            ("fesses", 1),
            ("faiblesse", 2),
            ("semaines", 2),
            ("généraliste", 4),
            ("mouvement", 3),
            ("disque", 1),
            ("mieux", 1),
            ("première", 2),
            ("arrière", 2),
            ("épinière", 3),
            ("payer", 2),
        ];
        assert_eq!(misses(Lang::Fr, &words), Vec::<String>::new());
    }

    #[test]
    fn english() {
        let words = [
            ("pain", 1),
            ("back", 1),
            ("hernia", 3),
            ("media", 3),
            ("radio", 3),
            ("previous", 3),
            ("serious", 3),
            ("special", 2),
            ("nation", 2),
            ("region", 2),
            ("actual", 3),
            ("usual", 3),
            ("video", 3),
            ("people", 2),
            ("area", 3),
            ("idea", 3),
            ("make", 1),
            ("makes", 1),
            ("causes", 2),
            ("changes", 2),
            ("worked", 1),
            ("needed", 2),
            ("worsened", 2),
            ("table", 2),
            ("simple", 2),
            ("possible", 3),
            ("lately", 2),
            ("movement", 2),
            ("the", 1),
            ("be", 1),
            ("you", 1),
            ("yes", 1),
            ("body", 2),
            ("quite", 1),
            ("guard", 1),
            ("emergency", 4),
            ("physiotherapist", 6),
            ("surgery", 3),
            ("numbness", 2),
            ("bladder", 2),
            ("bowel", 2),
            ("weakness", 2),
            ("disc", 1),
            ("herniated", 4),
            ("recover", 3),
            ("doctor", 2),
            ("patient", 2),
            ("diet", 2),
            ("quiet", 2),
            ("tingling", 2),
            ("being", 2),
            ("going", 2),
            ("lying", 2),
            ("layer", 2),
            ("tissue", 2),
            ("centre", 2),
            ("fibres", 2),
            ("something", 2),
            ("sometimes", 2),
            ("build", 1),
            ("cushion", 2),
            ("MRI", 3),
            ("there", 1),
            ("more", 1),
        ];
        assert_eq!(misses(Lang::En, &words), Vec::<String>::new());
    }
}

/// A tool, not a test: writes the count of every word in the file `WORDS` (one per line) in
/// the language `LANG_CODE` to `OUT`, for `tools/validate-syllables.py` to compare with
/// dictionaries.
#[cfg(test)]
mod tool {
    #[test]
    #[ignore]
    fn dump_counts() {
        let path = std::env::var("WORDS").unwrap();
        let lang = super::super::Lang::of(&std::env::var("LANG_CODE").unwrap()).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let mut out = String::new();
        for w in text.lines() {
            out.push_str(&format!("{w}\t{}\n", super::count(w, lang)));
        }
        std::fs::write(std::env::var("OUT").unwrap(), out).unwrap();
    }
}
