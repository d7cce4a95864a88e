//! Operators followed by a sign, read as PostgreSQL's lexer reads them:
//! `tags->>-1` is `tags ->> -1` (the last element), `a<=-1` is `a <= -1`.
//!
//! PostgreSQL ends an operator before a trailing `+` or `-` unless the
//! operator also holds one of `~ ! @ # % ^ & | \` ?` (the rule that lets
//! `->>-1` mean `->> -1`); sqlparser reads the whole run as one custom
//! operator (`->>-`) and fails. [`split_trailing_signs`] puts a space
//! before such signs in the statement text, outside strings, quoted names
//! and comments.

use super::text_edits::{Edit, edit_text, quoted_end};

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
    edit_text(text, |b, start| {
        if b[start] == b'\'' {
            return (quoted_end(b, start, b'\''), None);
        }
        if !operator_char(b[start]) {
            return (start + 1, None);
        }
        // The operator run, up to a comment start.
        let mut end = start;
        while end < b.len()
            && operator_char(b[end])
            && !(end > start && (b[end..].starts_with(b"--") || b[end..].starts_with(b"/*")))
        {
            end += 1;
        }
        let keeps_signs = b[start..end].iter().any(|c| b"~!@#%^&|`?".contains(c));
        let mut cut = end;
        if !keeps_signs {
            while cut > start + 1 && matches!(b[cut - 1], b'+' | b'-') {
                cut -= 1;
            }
        }
        let edit = (cut < end).then(|| Edit {
            from: cut,
            to: cut,
            with: " ".to_string(),
        });
        (end, edit)
    })
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
