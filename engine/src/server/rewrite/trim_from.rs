//! `trim([both | leading | trailing] FROM s)`: PostgreSQL's trim of spaces
//! with the keywords but no characters, which sqlparser cannot parse
//! (it expects characters before `FROM`). The statement text gets
//! `btrim(s)`, `ltrim(s)` or `rtrim(s)`, outside strings, quoted names and
//! comments; `trim(both 'x' FROM s)` parses as is and is left alone.

use super::text_edits::{Edit, edit_text, quoted_end};

fn word_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// The word at `i` (ASCII letters, digits, `_`) and where it ends.
fn word_at(b: &[u8], i: usize) -> (&[u8], usize) {
    let mut end = i;
    while end < b.len() && word_char(b[end]) {
        end += 1;
    }
    (&b[i..end], end)
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// For `trim ( [side] from` starting at `i`: the replacement function and
/// where the matched text ends.
fn trim_call(b: &[u8], i: usize) -> Option<(&'static str, usize)> {
    let (word, end) = word_at(b, i);
    if !word.eq_ignore_ascii_case(b"trim") {
        return None;
    }
    let open = skip_spaces(b, end);
    if b.get(open) != Some(&b'(') {
        return None;
    }
    let mut at = skip_spaces(b, open + 1);
    let (first, first_end) = word_at(b, at);
    let function = match first.to_ascii_lowercase().as_slice() {
        b"both" => "btrim(",
        b"leading" => "ltrim(",
        b"trailing" => "rtrim(",
        b"from" => return Some(("btrim(", first_end)),
        _ => return None,
    };
    at = skip_spaces(b, first_end);
    if at == first_end {
        return None;
    }
    let (from, from_end) = word_at(b, at);
    from.eq_ignore_ascii_case(b"from")
        .then_some((function, from_end))
}

/// `text` with each character-less `trim(… FROM s)` spelled as a function
/// call, or `None` when there is none.
pub(crate) fn trim_from(text: &str) -> Option<String> {
    if !text.to_ascii_lowercase().contains("trim") {
        return None;
    }
    edit_text(text, |b, i| {
        if b[i] == b'\'' {
            return (quoted_end(b, i, b'\''), None);
        }
        if !word_char(b[i]) {
            return (i + 1, None);
        }
        match trim_call(b, i) {
            Some((function, matched)) => (
                matched,
                Some(Edit {
                    from: i,
                    to: matched,
                    with: function.to_string(),
                }),
            ),
            None => (word_at(b, i).1, None),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::trim_from;

    #[test]
    fn keywords_without_characters_become_function_calls() {
        assert_eq!(
            trim_from("SELECT trim(both from ' sp ') || '|', TRIM ( LEADING FROM x ), trim(trailing from y), trim(from z)").as_deref(),
            Some("SELECT btrim( ' sp ') || '|', ltrim( x ), rtrim( y), btrim( z)")
        );
    }

    #[test]
    fn other_trims_strings_and_names_are_left_alone() {
        assert_eq!(
            trim_from("SELECT trim(both 'x' from s), trim(s), trim(from_col)"),
            None
        );
        assert_eq!(
            trim_from("SELECT 'trim(both from x)', \"trim(both from\" -- trim(from x)"),
            None
        );
        assert_eq!(trim_from("SELECT mytrim(both from x)"), None);
    }
}
