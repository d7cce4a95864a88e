//! Operators followed by a sign, read as PostgreSQL's lexer reads them:
//! `tags->>-1` is `tags ->> -1` (the last element), `a<=-1` is `a <= -1`.
//!
//! PostgreSQL ends an operator before a trailing `+` or `-` unless the
//! operator also holds one of `~ ! @ # % ^ & | \` ?` (the rule that lets
//! `->>-1` mean `->> -1`); sqlparser reads the whole run as one custom
//! operator (`->>-`) and fails. [`split_trailing_signs`] puts a space
//! before such signs in the statement text, outside strings, quoted names
//! and comments.

use super::array_literals::{quoted_end, skip_comment_or_name};

/// Characters PostgreSQL's lexer reads as part of an operator.
fn operator_char(c: u8) -> bool {
    b"+-*/<>=~!@#%^&|`?".contains(&c)
}

/// `text` with a space between an operator and its trailing signs, or
/// `None` when no operator needs it.
pub(crate) fn split_trailing_signs(text: &str) -> Option<String> {
    if !text.contains("-") && !text.contains('+') {
        return None;
    }
    let b = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = skip_comment_or_name(text, i) {
            i = end;
            continue;
        }
        match b[i] {
            b'\'' => i = quoted_end(b, i, b'\''),
            c if operator_char(c) => {
                // The operator run, up to a comment start.
                let start = i;
                let mut end = i;
                while end < b.len()
                    && operator_char(b[end])
                    && !(end > start
                        && (b[end..].starts_with(b"--") || b[end..].starts_with(b"/*")))
                {
                    end += 1;
                }
                let run = &b[start..end];
                let keeps_signs = run.iter().any(|c| b"~!@#%^&|`?".contains(c));
                let mut cut = end;
                if !keeps_signs {
                    while cut > start + 1 && matches!(b[cut - 1], b'+' | b'-') {
                        cut -= 1;
                    }
                }
                if cut < end {
                    out.push_str(&text[copied..cut]);
                    out.push(' ');
                    copied = cut;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::split_trailing_signs;

    #[test]
    fn signs_after_operators_are_their_own_tokens() {
        assert_eq!(
            split_trailing_signs("SELECT tags->>-1, tags->-2, a<=-1, b*-2").as_deref(),
            Some("SELECT tags->> -1, tags-> -2, a<= -1, b* -2")
        );
        // Operators holding one of ~!@#%^&|`? keep their signs; strings,
        // names and comments are left alone.
        for unchanged in [
            "SELECT a @- b",
            "SELECT '->>-1', \"x->>-\" FROM t -- a->>-1",
            "SELECT 1 - 1, -1, a - -1",
            "SELECT a /* ->>- */ + 1",
        ] {
            assert_eq!(split_trailing_signs(unchanged), None, "{unchanged}");
        }
        assert_eq!(
            split_trailing_signs("SELECT a+-- comment\n1").as_deref(),
            None
        );
    }
}
