//! Statement splitting and the session-control commands the server answers
//! itself.
//!
//! A simple-protocol `Query` may hold several statements; each runs and
//! answers in turn (PostgreSQL semantics: stop at the first error). The
//! splitter understands quotes, dollar quotes and comments.
//!
//! Session-control statements (`SET`, `SHOW`, `RESET`, transaction control,
//! `DISCARD`, `DEALLOCATE`, `LISTEN`, `CLOSE`) are recognised from their text
//! before SQL parsing, because drivers send them in forms sqlparser does not
//! all accept (`SET SESSION AUTHORIZATION DEFAULT`, `SET search_path = "$user",
//! public`, `RESET ALL`) and because they need connection state, not the
//! query engine.

/// One statement of a query string and its character offset in it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    /// Character offset of the statement's first character.
    pub(crate) offset: usize,
    /// The statement text, without the terminating `;`.
    pub(crate) text: String,
}

/// Splits `sql` at top-level semicolons. Pieces holding only whitespace and
/// comments are dropped.
pub(crate) fn split(sql: &str) -> Vec<Piece> {
    let chars: Vec<char> = sql.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut meaningful = false;
    let mut i = 0;
    let push = |pieces: &mut Vec<Piece>, from: usize, to: usize, meaningful: bool| {
        if meaningful {
            pieces.push(Piece {
                offset: from,
                text: chars[from..to].iter().collect(),
            });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let mut depth = 1;
                i += 2;
                while i < chars.len() && depth > 0 {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 1;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            '\'' | '"' => {
                meaningful = true;
                // E'..' strings allow backslash escapes.
                let escapes = c == '\''
                    && i > 0
                    && (chars[i - 1] == 'e' || chars[i - 1] == 'E')
                    && (i < 2 || !chars[i - 2].is_alphanumeric());
                i += 1;
                while i < chars.len() {
                    if escapes && chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if chars[i] == c {
                        if chars.get(i + 1) == Some(&c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            '$' => {
                meaningful = true;
                // $tag$ ... $tag$ (but not $1 parameters)
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let is_tag = j < chars.len()
                    && chars[j] == '$'
                    && !chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
                if is_tag {
                    let tag: Vec<char> = chars[i..=j].to_vec();
                    let mut k = j + 1;
                    while k + tag.len() <= chars.len() && chars[k..k + tag.len()] != tag[..] {
                        k += 1;
                    }
                    i = (k + tag.len()).min(chars.len());
                    continue;
                }
            }
            ';' => {
                push(&mut pieces, start, i, meaningful);
                start = i + 1;
                meaningful = false;
            }
            c if !c.is_whitespace() => meaningful = true,
            _ => {}
        }
        i += 1;
    }
    push(&mut pieces, start, chars.len(), meaningful);
    pieces
}

/// A session-control command.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    /// `SET name = value` (`None` = `DEFAULT`).
    Set(String, Option<String>),
    /// Accepted and ignored `SET` forms (transaction characteristics, roles).
    SetNoop,
    /// `SHOW name` / `SHOW ALL`.
    Show(String),
    /// `RESET name`.
    Reset(String),
    /// `RESET ALL`.
    ResetAll,
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT` / `END`.
    Commit,
    /// `ROLLBACK` / `ABORT`.
    Rollback,
    /// `SAVEPOINT x`.
    Savepoint,
    /// `RELEASE [SAVEPOINT] x`.
    Release,
    /// `ROLLBACK TO [SAVEPOINT] x`.
    RollbackTo,
    /// `DISCARD ALL|PLANS|SEQUENCES|TEMP`.
    Discard(String),
    /// `DEALLOCATE [PREPARE] name|ALL`.
    Deallocate(Option<String>),
    /// `LISTEN x`, `UNLISTEN x|*`, `NOTIFY x`: accepted, no notifications.
    Listen(&'static str),
    /// `CLOSE name|ALL`.
    Close(Option<String>),
}

/// Lower-case words of a statement, identifiers kept as written.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(|w| w.to_string()).collect()
}

/// Recognises a session-control command.
pub(crate) fn parse(text: &str) -> Option<Command> {
    let w = words(text.trim());
    let lw: Vec<String> = w.iter().map(|s| s.to_lowercase()).collect();
    let l: Vec<&str> = lw.iter().map(|s| s.as_str()).collect();
    let first = *l.first()?;
    Some(match first {
        "begin" | "start" if first == "begin" || l.get(1) == Some(&"transaction") => Command::Begin,
        "commit" | "end" if l.len() <= 2 && !l.contains(&"prepared") => Command::Commit,
        "rollback" | "abort" => match l.get(1) {
            Some(&"to") => Command::RollbackTo,
            Some(&"work") | Some(&"transaction") if l.get(2) == Some(&"to") => Command::RollbackTo,
            Some(&"prepared") => return None,
            _ => Command::Rollback,
        },
        "savepoint" => Command::Savepoint,
        "release" => Command::Release,
        "discard" => Command::Discard(l.get(1)?.to_uppercase()),
        "deallocate" => {
            let name = if l.get(1) == Some(&"prepare") {
                w.get(2)
            } else {
                w.get(1)
            }?;
            if name.eq_ignore_ascii_case("all") {
                Command::Deallocate(None)
            } else {
                Command::Deallocate(Some(unquote(name)))
            }
        }
        "listen" => Command::Listen("LISTEN"),
        "unlisten" => Command::Listen("UNLISTEN"),
        "notify" => Command::Listen("NOTIFY"),
        "close" => match l.get(1) {
            Some(&"all") => Command::Close(None),
            Some(_) => Command::Close(Some(unquote(&w[1]))),
            None => return None,
        },
        "show" => {
            let rest = l[1..].join(" ");
            Command::Show(match rest.as_str() {
                "transaction isolation level" => "transaction_isolation".into(),
                "time zone" => "TimeZone".into(),
                "session authorization" => "session_authorization".into(),
                _ if l.len() == 2 => unquote(&w[1]),
                _ => return None,
            })
        }
        "reset" => match l.get(1..) {
            Some(["all"]) => Command::ResetAll,
            Some(["session", "authorization"]) | Some(["role"]) => Command::SetNoop,
            Some(["time", "zone"]) => Command::Reset("TimeZone".into()),
            Some([_]) => Command::Reset(unquote(&w[1])),
            _ => return None,
        },
        "set" => return parse_set(text.trim(), &l),
        _ => return None,
    })
}

fn parse_set(text: &str, l: &[&str]) -> Option<Command> {
    let mut i = 1;
    if matches!(l.get(i), Some(&"session") | Some(&"local"))
        && !matches!(l.get(i + 1), Some(&"=") | Some(&"to"))
    {
        i += 1;
    }
    match (l.get(i), l.get(i + 1)) {
        (Some(&"characteristics"), _)
        | (Some(&"transaction"), _)
        | (Some(&"authorization"), _)
        | (Some(&"role"), _)
        | (Some(&"constraints"), _) => return Some(Command::SetNoop),
        (Some(&"time"), Some(&"zone")) => {
            let value = rest_after_words(text, i + 2);
            let v = value_list(&value);
            return Some(Command::Set(
                "TimeZone".into(),
                (!v.eq_ignore_ascii_case("default") && !v.eq_ignore_ascii_case("local"))
                    .then_some(v),
            ));
        }
        (Some(&"names"), _) => {
            let value = rest_after_words(text, i + 1);
            return Some(Command::Set(
                "client_encoding".into(),
                Some(value_list(&value)),
            ));
        }
        _ => {}
    }
    // name [=|TO] value
    let rest = rest_after_words(text, i);
    let split = rest
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(rest.len());
    let name = unquote(&rest[..split]);
    if name.is_empty() {
        return None;
    }
    let mut value = rest[split..].trim_start();
    if let Some(v) = value.strip_prefix('=') {
        value = v;
    } else if value.len() >= 2 && value[..2].eq_ignore_ascii_case("to") {
        value = &value[2..];
    } else {
        return None;
    }
    let value = value_list(value.trim());
    Some(Command::Set(
        name,
        (!value.eq_ignore_ascii_case("default")).then_some(value),
    ))
}

/// The text after the first `n` whitespace-separated words.
fn rest_after_words(text: &str, n: usize) -> String {
    let mut rest = text.trim_start();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    rest.to_string()
}

/// A `SET` value list as PostgreSQL shows it: items unquoted, joined by `, `
/// (identifiers that need quotes keep them, as in `"$user", public`).
fn value_list(v: &str) -> String {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in v.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, ',') => {
                items.push(std::mem::take(&mut cur));
            }
            (None, c) => cur.push(c),
        }
    }
    items.push(cur);
    items
        .iter()
        .map(|i| {
            let i = i.trim();
            if let Some(s) = i.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                s.replace("''", "'")
            } else {
                i.to_string()
            }
        })
        .filter(|i| !i.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn unquote(s: &str) -> String {
    let s = s.trim().trim_end_matches(';');
    if let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        inner.replace("\"\"", "\"")
    } else {
        s.to_lowercase()
    }
}

/// Splits a `search_path` value into schema names.
pub(crate) fn search_path_items(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|p| p.trim().trim_matches('\'').trim_matches('"').to_string())
        .filter(|p| !p.is_empty() && p != "$user")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements() {
        let p = split("select 1; select ';' ; -- c;\n select $$a;b$$;  ;/* x; */");
        let t: Vec<&str> = p.iter().map(|p| p.text.trim()).collect();
        assert_eq!(t, vec!["select 1", "select ';'", "-- c;\n select $$a;b$$"]);
        assert_eq!(p[1].offset, 9);
        assert!(split("-- ping").is_empty());
        assert!(split(" ; ").is_empty());
        assert_eq!(split("select $1, E'a\\'b;'").len(), 1);
    }

    #[test]
    fn recognises_commands() {
        assert_eq!(
            parse("SET search_path = \"$user\", public"),
            Some(Command::Set(
                "search_path".into(),
                Some("\"$user\", public".into())
            ))
        );
        assert_eq!(
            parse("set statement_timeout to '5s'"),
            Some(Command::Set("statement_timeout".into(), Some("5s".into())))
        );
        assert_eq!(
            parse("SET TIME ZONE 'Europe/Paris'"),
            Some(Command::Set("TimeZone".into(), Some("Europe/Paris".into())))
        );
        assert_eq!(
            parse("SET SESSION AUTHORIZATION DEFAULT"),
            Some(Command::SetNoop)
        );
        assert_eq!(
            parse("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED"),
            Some(Command::SetNoop)
        );
        assert_eq!(
            parse("set extra_float_digits = 3"),
            Some(Command::Set("extra_float_digits".into(), Some("3".into())))
        );
        assert_eq!(parse("RESET ALL"), Some(Command::ResetAll));
        assert_eq!(
            parse("show server_version"),
            Some(Command::Show("server_version".into()))
        );
        assert_eq!(
            parse("SHOW TRANSACTION ISOLATION LEVEL"),
            Some(Command::Show("transaction_isolation".into()))
        );
        assert_eq!(parse("begin"), Some(Command::Begin));
        assert_eq!(parse("START TRANSACTION READ ONLY"), Some(Command::Begin));
        assert_eq!(parse("rollback to savepoint a"), Some(Command::RollbackTo));
        assert_eq!(parse("DISCARD ALL"), Some(Command::Discard("ALL".into())));
        assert_eq!(parse("UNLISTEN *"), Some(Command::Listen("UNLISTEN")));
        assert_eq!(parse("select 1"), None);
        assert_eq!(parse("settings"), None);
    }
}
