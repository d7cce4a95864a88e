-- case conversion (with accents and hyphens)
SELECT lower('ÉLODIE'), upper('élodie'), initcap('jean-luc'), initcap('élodie dupont'), initcap('o''neil mcDONALD'), upper('straße') AS sharp_s, lower('ÇA VA') AS cedilla;
SELECT id, first_name, lower(first_name) AS lo, upper(first_name) AS up, initcap(lower(last_name)) AS nice_last FROM customers ORDER BY id;
SELECT lower(NULL::text) AS lo_null, upper(NULL) AS up_null, initcap('') AS init_empty, initcap('hello WORLD 42abc x_y') AS mixed;
-- lengths (characters vs UTF-8 bytes)
SELECT length('élodie'), char_length('élodie'), character_length('Ève'), octet_length('élodie'), octet_length('abc'), length(''), length(NULL::text) AS len_null, bit_length('é');
SELECT id, last_name, length(last_name) AS chars, octet_length(last_name) AS bytes, length(email) AS email_len FROM customers ORDER BY id;
-- concatenation and NULLs
SELECT 'a' || 'b' || 'c' AS abc, 'x' || NULL AS null_concat, concat('a', NULL, 'c'), concat(1, 2.5, true), concat_ws(', ', 'a', NULL, 'c'), concat_ws('-', NULL, NULL) AS ws_all_null, concat_ws(NULL, 'a', 'b') AS ws_null_sep, concat('') AS concat_empty;
SELECT id, first_name || ' ' || last_name AS full_name, concat(first_name, ' ', last_name), concat_ws(' ', first_name, last_name, city) AS ws, first_name || ' <' || email || '>' AS contact FROM customers ORDER BY id;
SELECT 'id-' || id AS label, id || '' AS as_text, 'n=' || NULL::int AS null_int, 'amount: ' || amount AS amt FROM orders WHERE id < 104 ORDER BY id;
-- substring
SELECT substring('PostgreSQL' from 5), substring('PostgreSQL' from 1 for 4), substring('PostgreSQL', 3, 2), substr('PostgreSQL', 8), substr('abc', 0, 2) AS zero_start, substring('abc' from -1 for 3) AS neg_start, substring('élodie' from 2 for 3) AS accents;
SELECT substring('order #12345 shipped' from '[0-9]+') AS digits, substring('foo@bar.com' from '@(.*)$') AS domain, substring('no digits' from '[0-9]+') AS nomatch, substring('Thomas' from '%#"o_a#"_' for '#') AS sql_regex;
SELECT id, email, substring(email from 1 for position('@' in email) - 1) AS local_part, substring(phone from '[0-9]{2}$') AS last2 FROM customers ORDER BY id;
-- position / strpos
SELECT position('SQL' in 'PostgreSQL'), position('x' in 'abc'), strpos('high', 'ig'), strpos('élodie', 'die'), position('' in 'abc') AS empty_needle, strpos(NULL, 'a') AS null_pos;
SELECT id, email, position('@' in email) AS at_pos, strpos(email, '.') AS dot_pos FROM customers ORDER BY id;
-- split_part (positive and negative indexes)
SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', 4) AS past_end, split_part('a,b,c', ',', -1) AS last, split_part('a,b,c', ',', -3) AS neg_first, split_part('a--b--c', '--', 2) AS multi_char, split_part('abc', '', 1) AS empty_delim;
SELECT id, email, split_part(email, '@', 1) AS local_part, split_part(email, '@', 2) AS domain, split_part(split_part(email, '@', 2), '.', -1) AS tld FROM customers ORDER BY id;
-- left / right with negative n
SELECT left('abcdef', 2), left('abcdef', -2), right('abcdef', 2), right('abcdef', -2), left('élodie', 3), right('abc', 10), left('abc', 0) AS zero, left(NULL, 2) AS null_left;
SELECT id, left(first_name, 1) || '. ' || last_name AS short_name, right(phone, 4) AS phone_tail, left(country, 1) AS c1 FROM customers ORDER BY id;
-- padding (incl. truncation)
SELECT lpad('42', 5, '0'), rpad('ab', 5, '*'), lpad('abcdef', 3), rpad('abcdef', 3), lpad('x', 6, 'ab'), lpad('é', 3), rpad('', 2, 'z'), lpad('abc', 5, '') AS empty_fill;
SELECT id, lpad(id::text, 6, '0') AS padded_id, rpad(status, 10, '.') || '|' AS dotted, lpad(amount::text, 10) AS right_aligned FROM orders ORDER BY id;
-- trimming with character sets
SELECT ltrim('  abc  ') || '|', rtrim('  abc  ') || '|', btrim('  abc  ') || '|', ltrim('xxabcxx', 'x'), rtrim('xxabcxx', 'x'), btrim('xyabcyx', 'xy'), btrim('0001200', '0'), rtrim('12.5000', '0');
SELECT trim(both 'x' from 'xxhixx'), trim(leading 'x' from 'xxhixx'), trim(trailing 'x' from 'xxhixx'), trim('  both  ') || '|' AS tr, trim(both from '  sp  ') || '|' AS tr2, trim(leading from '  lead') AS tr3, trim(both '-.' from '.-.name-.-') AS set_trim;
-- replace / translate / repeat / reverse
SELECT replace('foo bar foo', 'foo', 'baz'), replace('aaa', 'a', ''), replace('abc', '', 'x') AS empty_from, translate('12345', '143', 'ax'), translate('élodie', 'éè', 'ee'), repeat('ab', 3), repeat('x', 0) AS zero, repeat('-', -1) AS neg, reverse('élodie'), reverse(NULL) AS rev_null;
SELECT id, phone, replace(replace(replace(phone, ' ', ''), '(', ''), ')', '') AS clean_phone, translate(phone, ' -()+', '') AS digits_only FROM customers ORDER BY id;
-- format and quoting
SELECT format('Hello %s, you have %s orders', 'Zoé', 3), format('%I.%I', 'public', 'My Table'), format('%L', 'O''Reilly'), format('%L', NULL) AS lit_null, format('%s|%s', NULL, 'x') AS s_null, format('%2$s %1$s', 'world', 'hello') AS positional, format('[%5s][%-5s]', 'ab', 'cd') AS width, format('100%%') AS pct;
SELECT quote_ident('users'), quote_ident('User Table'), quote_ident('select'), quote_ident('Zoé'), quote_ident('a"b'), quote_literal('it''s'), quote_literal(42), quote_literal('back\slash') AS backslash, quote_nullable(NULL), quote_nullable('x');
SELECT id, format('%s %s <%s>', first_name, upper(last_name), coalesce(email, 'n/a')) AS card, format('%L', city) AS city_lit FROM customers ORDER BY id;
-- regexp_replace
SELECT regexp_replace('foo bar foo', 'foo', 'X'), regexp_replace('foo bar foo', 'foo', 'X', 'g'), regexp_replace('FOO bar Foo', 'foo', 'X', 'gi'), regexp_replace('John Smith', '(\w+) (\w+)', '\2, \1'), regexp_replace('a1b22c333', '[0-9]+', '#', 'g'), regexp_replace('  many   spaces  ', '\s+', ' ', 'g') AS squeeze;
SELECT id, phone, regexp_replace(phone, '[^0-9]', '', 'g') AS digits, regexp_replace(email, '^(.)[^@]*', '\1***') AS masked FROM customers ORDER BY id;
SELECT regexp_replace('2024-02-29', '(\d{4})-(\d{2})-(\d{2})', '\3/\2/\1') AS dmy, regexp_replace('abc', 'x*', '-', 'g') AS empty_matches, regexp_replace('Hello', 'l', 'L', 'g') AS all_l, regexp_replace('aaa', 'a', 'b') AS first_only, regexp_replace('x&y', '&', '\&\&') AS amp;
-- regexp_match / regexp_matches
SELECT regexp_match('foobarbequebaz', 'bar.*que'), regexp_match('foo@bar.com', '(.+)@(.+)\.(.+)'), regexp_match('abc', 'x') AS no_match, (regexp_match('order 42 of 7', '(\d+) of (\d+)'))[2] AS second_group, regexp_match('ABC', 'b', 'i') AS ci;
SELECT regexp_matches('a1b22c333', '[0-9]+', 'g') AS m ORDER BY 1;
SELECT id, regexp_matches(email, '([a-z]+)\.([a-z]+)@', 'i') AS parts FROM customers ORDER BY id;
SELECT m[1] AS word, m[2] AS num FROM regexp_matches('apple=3, pear=10, fig=7', '(\w+)=(\d+)', 'g') AS r(m) ORDER BY m[1];
SELECT count(*) AS n_matches FROM regexp_matches('the cat sat on the mat', '\mthe\M', 'g');
-- regexp_split_to_array / regexp_split_to_table
SELECT regexp_split_to_array('a, b,c ,d', '\s*,\s*'), regexp_split_to_array('hello world  again', '\s+'), regexp_split_to_array('abc', ''), regexp_split_to_array('', ',') AS empty_input, regexp_split_to_array('aXbxc', 'x', 'i') AS ci;
SELECT regexp_split_to_table('the quick brown fox', '\s+') AS word ORDER BY 1;
SELECT w, length(w) AS len FROM regexp_split_to_table('red,green,,blue', ',') AS t(w) ORDER BY w;
SELECT c.id, part FROM customers c, regexp_split_to_table(c.phone, ' ') WITH ORDINALITY AS s(part, n) WHERE c.id IN (1, 5) ORDER BY c.id, s.n;
-- POSIX regex operators
SELECT 'abc' ~ 'b', 'abc' ~ 'B', 'abc' ~* 'B', 'abc' !~ 'z', 'abc' !~* 'A', 'élodie' ~ '^é', 'x' ~ NULL AS null_re, 'abc123' ~ '^[a-z]+[0-9]+$' AS anchored;
SELECT id, email FROM customers WHERE email ~* '@(gmail|orange)\.' ORDER BY id;
SELECT id, phone, phone ~ '^\+' AS intl, phone !~ '[^0-9 ]' AS digits_spaces FROM customers ORDER BY id;
-- LIKE / ILIKE / NOT ILIKE / escapes
SELECT 'abc' LIKE 'a%', 'abc' LIKE '_b_', 'abc' LIKE 'A%', 'abc' ILIKE 'A%', 'abc' NOT LIKE '%z%', 'ABC' NOT ILIKE 'a%', 'a%c' LIKE 'a\%c', 'abc' LIKE 'a\%c' AS esc_no, 'a_c' LIKE 'a!_c' ESCAPE '!' AS custom_esc, '' LIKE '%' AS empty;
SELECT id, last_name FROM customers WHERE last_name ILIKE '%e%' ORDER BY id;
SELECT id, email FROM customers WHERE email NOT ILIKE '%example%' ORDER BY id;
SELECT id, first_name FROM customers WHERE first_name LIKE '_o%' OR first_name LIKE 'J%' ORDER BY id;
SELECT id, status FROM orders WHERE status ~~ 'p%' AND channel !~~ 's%' ORDER BY id;
SELECT 'élodie' ILIKE 'ÉLODIE' AS accent_ilike, 'Ève' ILIKE 'ève' AS accent2, 'x' LIKE NULL AS null_like, NULL ILIKE 'x' AS null_ilike;
-- SIMILAR TO
SELECT 'abc' SIMILAR TO 'abc', 'abc' SIMILAR TO 'a', 'abc' SIMILAR TO '%(b|d)%', 'abc' SIMILAR TO '(a|b)%', 'abc' NOT SIMILAR TO '[a-c]+', '2024-01' SIMILAR TO '[0-9]{4}-[0-9]{2}' AS ym;
SELECT id, status FROM orders WHERE status SIMILAR TO '(paid|pending)' ORDER BY id;
-- string_agg
SELECT string_agg(first_name, ', ' ORDER BY first_name COLLATE "C") AS names, string_agg(city, '; ' ORDER BY id) AS cities, string_agg(country, '' ORDER BY id) AS countries FROM customers;
SELECT country, string_agg(last_name, ', ' ORDER BY last_name COLLATE "C") AS last_names, count(*) FROM customers GROUP BY country ORDER BY country NULLS LAST;
SELECT string_agg(DISTINCT status, ',' ORDER BY status) AS statuses, string_agg(DISTINCT channel, '|' ORDER BY channel) AS channels, string_agg(channel, ',') FILTER (WHERE id > 200) AS empty_agg FROM orders;
SELECT customer_id, string_agg(id::text, '+' ORDER BY id) AS order_ids, string_agg(status, ' ' ORDER BY id DESC) AS statuses FROM orders GROUP BY customer_id ORDER BY customer_id NULLS FIRST;
-- hashes and encodings
SELECT md5('hello'), md5(''), md5('élodie'), encode(sha256('hello'::bytea), 'hex') AS sha256_hex, md5(NULL) AS md5_null;
SELECT id, md5(lower(trim(email))) AS email_hash, encode(sha256(convert_to(coalesce(email, ''), 'UTF8')), 'hex') AS sha FROM customers ORDER BY id;
SELECT encode('hello'::bytea, 'base64'), encode('hello'::bytea, 'hex'), convert_from(decode('aGVsbG8=', 'base64'), 'UTF8') AS from_b64, decode('48656c6c6f', 'hex') AS bytes, encode(convert_to('é', 'UTF8'), 'hex') AS e_acute_hex, encode(decode('00ff', 'hex'), 'escape') AS esc;
-- character codes
SELECT ascii('A'), ascii('é'), ascii(''), chr(65), chr(233), chr(8364), to_hex(255), to_hex(0), to_hex(-1), to_hex(4294967296::bigint), starts_with('PostgreSQL', 'Post'), starts_with('abc', 'b');
SELECT id, first_name, ascii(first_name) AS first_code, starts_with(lower(first_name), 'j') AS j FROM customers ORDER BY id;
-- varchar(n) truncation and char(n) padding
SELECT 'abcdef'::varchar(3), CAST('élodie' AS varchar(2)), 'ab'::varchar(5) || '|', 'abc  '::varchar(3) || '|' AS trailing, 'ab'::char(4) || '|' AS char_concat, 'ab'::char(4)::text || '|' AS char_text, length('ab  '::char(4)), octet_length('ab'::char(4)), char_length('ab  '::varchar(4));
SELECT 'a'::char(3) = 'a  '::char(3) AS char_eq, 'a '::char(3) = 'a'::char(1) AS char_eq2, 'a'::text = 'a '::text AS text_eq, 'a '::varchar = 'a'::varchar AS varchar_eq, 'ab'::char(2) < 'ab '::char(3) AS char_lt, 'x'::char(3) LIKE 'x' AS char_like;
SELECT id, country, country || '!' AS bang, length(country) AS len, country = 'FR' AS is_fr, country::text = 'FR' AS is_fr_text FROM customers ORDER BY id;
-- text comparisons
SELECT 'a' < 'b', 'abc' < 'abd', 'abc' < 'abcd', 'B' < 'a' AS upper_first, 'Z' > 'a' COLLATE "C" AS c_cmp, '10' < '9' AS text_digits, 'abc' = 'ABC', lower('ABC') = 'abc', '' < 'a', 'a' <> 'a ';
SELECT id, first_name FROM customers WHERE first_name >= 'J' AND first_name < 'Z' ORDER BY id;
SELECT max(status), min(status), max(channel), min(channel) FROM orders;
-- email normalisation / COALESCE patterns
SELECT id, coalesce(email, '') AS email_or_empty, coalesce(email, 'unknown') AS email_or_unknown, lower(trim(email)) AS normalized, nullif(trim(email), '') IS NULL AS missing FROM customers ORDER BY id;
SELECT split_part(lower(trim(email)), '@', 2) AS domain, count(*) AS customers FROM customers WHERE email IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1;
SELECT coalesce(city, '(none)') AS city, count(*) FROM customers GROUP BY coalesce(city, '(none)') ORDER BY coalesce(city, '(none)') COLLATE "C";
SELECT id, coalesce(phone, email, 'no contact') AS contact, coalesce(nullif(gender, ''), 'unknown') AS gender FROM customers ORDER BY id;
-- Metabase/Superset-style case-insensitive filters
SELECT id, city FROM customers WHERE lower(city) LIKE '%par%' ORDER BY id;
SELECT id, first_name, last_name FROM customers WHERE lower(first_name) LIKE '%e%' OR lower(last_name) LIKE '%e%' ORDER BY id;
SELECT "customers"."id" AS "id", "customers"."email" AS "email" FROM "public"."customers" WHERE (lower("customers"."email") LIKE '%example%') ORDER BY "customers"."id" ASC LIMIT 2000;
SELECT "customers"."city" AS "city", count(*) AS "count" FROM "public"."customers" WHERE ("customers"."city" IS NOT NULL AND ("customers"."city" <> '' OR "customers"."city" IS NULL)) GROUP BY "customers"."city" ORDER BY "customers"."city" COLLATE "C" ASC;
SELECT id, email FROM customers WHERE email IS NOT NULL AND trim(email) <> '' AND strpos(lower(email), 'gmail') > 0 ORDER BY id;
SELECT CASE WHEN email ILIKE '%@example.%' THEN 'test' WHEN email IS NULL THEN 'none' ELSE 'real' END AS kind, count(*) FROM customers GROUP BY 1 ORDER BY 1;
-- strings in joins / grouping
SELECT c.last_name, count(o.id) AS n_orders, string_agg(o.channel, ',' ORDER BY o.id) AS channels FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.last_name ORDER BY c.id;
SELECT upper(left(status, 1)) || substring(status from 2) AS status_label, count(*) AS n, sum(amount) AS total FROM orders GROUP BY status ORDER BY status;
SELECT initcap(replace(kind, '_', ' ')) AS event_kind, count(*) FROM events GROUP BY kind ORDER BY kind;
