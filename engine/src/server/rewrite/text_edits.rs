//! Edits of a statement's text before sqlparser reads it (spellings it
//! cannot parse), made outside comments, quoted names and dollar-quoted
//! strings: one scanner for every such rewrite.

/// Text at `from..to` replaced by `with`.
pub(super) struct Edit {
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) with: String,
}

/// Walks `text`, skipping comments, quoted names and dollar-quoted
/// strings; at every other position `i` (`'…'` strings included),
/// `visit(bytes, i)` says where to go on (after `i`) and what to edit
/// (within what it passed over). The edited text, or `None` without edits.
pub(super) fn edit_text(
    text: &str,
    mut visit: impl FnMut(&[u8], usize) -> (usize, Option<Edit>),
) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut edited = false;
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = skip_comment_or_name(text, i) {
            i = end;
            continue;
        }
        let (next, edit) = visit(b, i);
        if let Some(e) = edit {
            out.push_str(&text[copied..e.from]);
            out.push_str(&e.with);
            copied = e.to;
            edited = true;
        }
        i = next.max(i + 1);
    }
    if !edited {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Where a comment, quoted name or dollar-quoted string starting at `i`
/// ends (exclusive), or `None` when none starts there: the statement text
/// that rewrites of the raw text must leave alone, besides `'…'` strings.
fn skip_comment_or_name(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    match b[i] {
        b'-' if b.get(i + 1) == Some(&b'-') => {
            Some(text[i..].find('\n').map_or(b.len(), |n| i + n))
        }
        b'/' if b.get(i + 1) == Some(&b'*') => {
            Some(text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2))
        }
        b'"' => Some(quoted_end(b, i, b'"')),
        b'$' => Some(dollar_end(text, i)),
        _ => None,
    }
}

/// The end (exclusive) of the quoted run opening at `start` (`''` and
/// `""` are doubled quotes inside).
pub(super) fn quoted_end(b: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// The end of a dollar-quoted string opening at `start` (`$tag$…$tag$`),
/// or `start + 1` for a parameter (`$1`) or a lone `$`.
fn dollar_end(text: &str, start: usize) -> usize {
    let rest = &text[start + 1..];
    let tag_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let tag = &rest[..tag_len];
    if !rest[tag_len..].starts_with('$') || tag.starts_with(|c: char| c.is_ascii_digit()) {
        return start + 1;
    }
    let delimiter = format!("${tag}$");
    let body = start + delimiter.len();
    text[body..]
        .find(&delimiter)
        .map_or(text.len(), |n| body + n + delimiter.len())
}
