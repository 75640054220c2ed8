//! Folding text for comparison: lower case, no diacritics, one space for
//! any run of white space, typographic apostrophes made plain.
//!
//! The same rule as the window's case search (`ui/src/search.ts`: NFD, drop
//! marks, lower case), written without a normalisation table: precomposed
//! Latin letters (Latin-1 and Latin Extended-A, which cover Spanish,
//! Portuguese, French, Catalan and the names children use) map to their base
//! letter, and combining marks (a decomposed "n" + U+0303) are dropped. "ñ"
//! folds to "n", as it does in the window.
//!
//! [`fold_mapped`] also remembers, for every byte of the folded text, which
//! character of the original produced it, so that a match found in the
//! folded text can be reported as a range that slices the original.

/// Folded text plus, for each folded byte, the original byte range of the
/// character it came from (dropped marks widen the range of the character
/// before them, so a range never splits a letter from its accent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Folded {
    pub text: String,
    /// `origin[i]` = (start, end) in the original for folded byte `i`.
    pub origin: Vec<(usize, usize)>,
}

/// Folds `text` (see the module docs).
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        for_each_folded(c, |f| {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(f);
        });
    }
    out
}

/// Folds `text` and keeps the way back to the original (see [`Folded`]).
pub(crate) fn fold_mapped(text: &str) -> Folded {
    let mut folded = Folded { text: String::with_capacity(text.len()), origin: Vec::with_capacity(text.len()) };
    // A run of white space becomes one space spanning the whole run.
    let mut space: Option<(usize, usize)> = None;
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        if c.is_whitespace() {
            space = Some(match space {
                Some((s, _)) => (s, end),
                None => (start, end),
            });
            continue;
        }
        let before = folded.text.len();
        for_each_folded(c, |f| {
            if let Some(run) = space.take() {
                if !folded.text.is_empty() {
                    folded.text.push(' ');
                    folded.origin.push(run);
                }
            }
            let at = folded.text.len();
            folded.text.push(f);
            folded.origin.extend(std::iter::repeat_n((start, end), folded.text.len() - at));
        });
        if folded.text.len() == before && space.is_none() {
            // A dropped mark belongs to the letter before it.
            let base_start = folded.origin.last().map(|o| o.0);
            if let Some(base_start) = base_start {
                for o in folded.origin.iter_mut().rev() {
                    if o.0 != base_start {
                        break;
                    }
                    o.1 = end;
                }
            }
        }
    }
    folded
}

/// Calls `emit` with the folded form of `c` (zero, one or two characters).
fn for_each_folded(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        if is_combining_mark(lower) {
            continue;
        }
        match base_letter(lower) {
            Base::One(b) => emit(b),
            Base::Two(a, b) => {
                emit(a);
                emit(b);
            }
            Base::Same => emit(lower),
        }
    }
}

enum Base {
    Same,
    One(char),
    Two(char, char),
}

/// Combining diacritical marks (the blocks NFD produces for Latin text).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The base letter of a lower-case precomposed Latin letter.
fn base_letter(c: char) -> Base {
    use Base::{One, Same, Two};
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => One('a'),
        'æ' => Two('a', 'e'),
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => One('c'),
        'ď' | 'đ' | 'ð' => One('d'),
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => One('e'),
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => One('g'),
        'ĥ' | 'ħ' => One('h'),
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => One('i'),
        'ĵ' => One('j'),
        'ķ' => One('k'),
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => One('l'),
        'ñ' | 'ń' | 'ņ' | 'ň' => One('n'),
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => One('o'),
        'œ' => Two('o', 'e'),
        'ŕ' | 'ŗ' | 'ř' => One('r'),
        'ś' | 'ŝ' | 'ş' | 'š' => One('s'),
        'ß' => Two('s', 's'),
        'ţ' | 'ť' | 'ŧ' => One('t'),
        'þ' => Two('t', 'h'),
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => One('u'),
        'ŵ' => One('w'),
        'ý' | 'ÿ' | 'ŷ' => One('y'),
        'ź' | 'ż' | 'ž' => One('z'),
        // Typographic apostrophes and quotes, so "didn’t" reads as "didn't".
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => One('\''),
        '\u{201C}' | '\u{201D}' | '«' | '»' => One('"'),
        _ => Same,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_spaces() {
        assert_eq!(fold("  ¿Dónde  ESTABA\tla NIÑA? "), "¿donde estaba la nina?");
        assert_eq!(fold("Çà et là, Straße"), "ca et la, strasse");
        assert_eq!(fold("didn’t"), "didn't");
        // Decomposed "ñ" and "é" (base letter + combining mark).
        assert_eq!(fold("nin\u{0303}o cafe\u{0301}"), "nino cafe");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn mapping_points_back_to_whole_characters() {
        let original = "Ñu  e\u{0301}l";
        let f = fold_mapped(original);
        assert_eq!(f.text, "nu el");
        assert_eq!(f.origin.len(), f.text.len());
        assert_eq!(&original[f.origin[0].0..f.origin[0].1], "Ñ");
        assert_eq!(&original[f.origin[2].0..f.origin[2].1], "  ");
        // The "e" carries its combining accent.
        assert_eq!(&original[f.origin[3].0..f.origin[3].1], "e\u{0301}");
    }

    #[test]
    fn mapping_of_expanding_letters() {
        let f = fold_mapped("ßa");
        assert_eq!(f.text, "ssa");
        assert_eq!(f.origin, vec![(0, 2), (0, 2), (2, 3)]);
    }

    #[test]
    fn marks_at_the_start_or_after_space_are_dropped_safely() {
        let f = fold_mapped("\u{0301}a \u{0301}b");
        assert_eq!(f.text, "a b");
        assert_eq!(f.origin.len(), 3);
    }
}
