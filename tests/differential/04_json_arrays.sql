-- json (keeps source text) and jsonb (normalised) literals and casts
SELECT '{"a":1}'::jsonb, '{"b": 2,   "a" : [1, 2]}'::json, '{"b": 2,   "a" : [1, 2]}'::jsonb, '[1,2]'::json, '[1, 2.50, "x", null, true]'::jsonb, '"str"'::jsonb, 'null'::jsonb, '{"a":1,"a":2}'::jsonb AS dup_key, '{"a":1,"a":2}'::json AS dup_key_json;
SELECT '{"n": 1.50}'::jsonb AS keeps_scale, '{"n": 1e3}'::jsonb AS exp, '{"z":1,"aa":2,"b":3}'::jsonb AS key_order, '{"s":"caf\u00e9"}'::jsonb AS unicode_escape, '{"s":"tab\there"}'::jsonb AS tab, '  [ ]  '::json AS empty_json_arr, '{}'::jsonb AS empty_obj;
-- -> ->> #> #>> on json (customers.profile)
SELECT id, profile->'plan' AS plan_json, profile->>'plan' AS plan, profile->'tags' AS tags, profile->'tags'->0 AS first_tag, profile->'tags'->>0 AS first_tag_text, profile->'tags'->>-1 AS last_tag FROM customers ORDER BY id;
SELECT id, profile->'address' AS address, profile#>'{address,city}' AS city_json, profile#>>'{address,city}' AS city, profile#>>'{address,zip}' AS zip, profile#>>'{tags,1}' AS second_tag FROM customers ORDER BY id;
SELECT id, (profile->>'visits')::int AS visits, (profile->>'visits')::int * 2 AS double_visits, profile->'visits' AS visits_json, profile->>'missing' AS missing FROM customers ORDER BY id;
-- -> ->> #> #>> on jsonb (events.payload)
SELECT id, payload->'page' AS page_json, payload->>'page' AS page, payload->'ms' AS ms_json, payload->>'ms' AS ms, payload->'utm' AS utm, payload#>>'{utm,source}' AS utm_source, payload#>'{utm}' AS utm_path FROM events ORDER BY id;
SELECT id, (payload->>'ms')::int AS ms, (payload->>'qty')::numeric AS qty, payload->>'sku' AS sku, payload ? 'ms' AS has_ms, payload->'ms' = 'null'::jsonb AS ms_is_json_null FROM events ORDER BY id;
SELECT '{"a":{"b":[10,20,{"c":"deep"}]}}'::jsonb #> '{a,b,2}' AS obj, '{"a":{"b":[10,20,{"c":"deep"}]}}'::jsonb #>> '{a,b,2,c}' AS deep, '[1,[2,3]]'::json -> 1 -> 0 AS nested, '{"a":1}'::json -> 'b' AS absent, '[1,2]'::jsonb -> 5 AS out_of_range, '{"a":"x"}'::jsonb ->> 'a' AS txt;
-- ->> in WHERE / GROUP BY (BI-style)
SELECT payload->>'page' AS page, count(*) AS views FROM events WHERE kind = 'page_view' GROUP BY payload->>'page' ORDER BY views DESC, page;
SELECT profile->>'plan' AS plan, count(*) AS n, sum((profile->>'visits')::int) AS visits FROM customers GROUP BY 1 ORDER BY 1 NULLS LAST;
SELECT id, kind FROM events WHERE payload->>'page' = '/home' AND (payload->>'ms')::int > 100 ORDER BY id;
SELECT id, first_name FROM customers WHERE profile->>'plan' IN ('gold', 'silver') AND (profile#>>'{address,city}') IS NOT NULL ORDER BY id;
SELECT avg((payload->>'ms')::numeric) AS avg_ms, max((payload->>'ms')::int) AS max_ms, count(payload->'ms') AS has_ms_key, count(payload->>'ms') AS non_null_ms FROM events;
-- jsonb containment / existence
SELECT id, payload @> '{"page": "/home"}' AS is_home, payload ? 'utm' AS has_utm, payload ?| array['sku', 'reason'] AS any_key, payload ?& array['page', 'ms'] AS all_keys, '{"page": "/home"}'::jsonb <@ payload AS contained FROM events ORDER BY id;
SELECT id, kind FROM events WHERE payload @> '{"utm": {"source": "google"}}' ORDER BY id;
SELECT '[1,2,3]'::jsonb @> '[3,1]' AS arr_contains, '[1,2,3]'::jsonb @> '1' AS scalar_in_arr, '{"a":[1,2]}'::jsonb @> '{"a":[2]}' AS nested, '["a","b"]'::jsonb ? 'a' AS arr_exists, '{"a":1}'::jsonb = '{ "a" : 1 }'::jsonb AS eq;
-- json_build_object / json_build_array / to_json / row_to_json
SELECT json_build_object('id', 1, 'name', 'Zoé', 'ok', true, 'amount', 12.50, 'none', NULL), json_build_array(1, 'two', 3.0, NULL, false), jsonb_build_object('b', 2, 'a', 1), jsonb_build_array('x', 1), json_build_object(), json_build_array();
SELECT id, json_build_object('id', id, 'status', status, 'amount', amount, 'qty', qty) AS obj, jsonb_build_object('channel', channel, 'paid', paid_at IS NOT NULL) AS jb FROM orders WHERE id <= 104 ORDER BY id;
SELECT to_json('text with "quotes"'::text), to_json(42), to_json(12.50), to_json(true), to_json(NULL::text) AS null_json, to_jsonb('é'::text), to_jsonb(1.0::float8), to_json(ARRAY[1, 2, NULL]), to_jsonb(ARRAY['a', 'b']), to_json('2024-02-29'::date) AS date_json;
SELECT id, to_json(first_name) AS fn, to_jsonb(score) AS score, to_json(vip) AS vip, to_json(birth_date) AS bd FROM customers ORDER BY id;
SELECT row_to_json(o) FROM (SELECT id, status, amount, qty FROM orders WHERE id IN (101, 103, 108)) o ORDER BY o.id;
SELECT row_to_json(row(1, 'a', NULL)) AS anon_row, to_json(t) AS to_json_row, to_jsonb(t) AS to_jsonb_row FROM (SELECT 1 AS x, 'y' AS "Y", NULL::int AS z) t;
-- json_agg / jsonb_agg / json_object_agg with ORDER BY inside
SELECT json_agg(id ORDER BY id) AS ids, jsonb_agg(status ORDER BY id) AS statuses, json_agg(channel ORDER BY id) AS channels_with_nulls FROM orders WHERE customer_id IN (1, 5);
SELECT customer_id, json_agg(json_build_object('id', id, 'amount', amount) ORDER BY id) AS orders FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id ORDER BY customer_id;
SELECT json_object_agg(status, n ORDER BY status) AS by_status FROM (SELECT status, count(*) AS n FROM orders GROUP BY status) s;
SELECT jsonb_object_agg(kind, cnt) AS kinds, json_object_agg(kind, cnt ORDER BY kind DESC) AS kinds_json FROM (SELECT kind, count(*) AS cnt FROM events GROUP BY kind) k;
SELECT json_agg(x ORDER BY x) FILTER (WHERE x > 10) AS none, jsonb_agg(o ORDER BY o.id) AS rows FROM (SELECT id, status FROM orders WHERE id < 103) o, (VALUES (1)) v(x);
-- json_array_elements & co in FROM (LATERAL) and in the select list
SELECT c.id, t.value AS tag_json FROM customers c, json_array_elements(c.profile->'tags') AS t ORDER BY c.id, t.value::text;
SELECT c.id, tag, count(*) OVER (PARTITION BY tag) AS tag_users FROM customers c CROSS JOIN LATERAL json_array_elements_text(c.profile->'tags') AS tag ORDER BY tag, c.id;
SELECT tag, count(*) AS customers FROM customers, json_array_elements_text(profile->'tags') AS tag GROUP BY tag ORDER BY customers DESC, tag;
SELECT e.value, jsonb_typeof(e.value) AS t, e.ordinality AS n FROM jsonb_array_elements('[1, "two", null, true, {"k": [3]}, [4.50]]'::jsonb) WITH ORDINALITY AS e ORDER BY e.ordinality;
SELECT json_array_elements('[{"a":1}, {"a":2,"b":"x"}]'::json) AS elem, jsonb_array_elements_text('["p", "q"]'::jsonb) AS txt ORDER BY 2;
SELECT id, json_array_length(profile->'tags') AS n_tags, json_typeof(profile->'tags') AS tags_type, json_typeof(profile->'plan') AS plan_type, json_typeof(profile->'visits') AS visits_type, json_typeof(profile) AS profile_type FROM customers ORDER BY id;
SELECT jsonb_array_length('[1,[2,3],{}]'::jsonb), jsonb_typeof('1.5'), jsonb_typeof('"s"'), jsonb_typeof('null'), jsonb_typeof('{}'), jsonb_typeof('[]'), jsonb_typeof('false'), json_typeof('-3'), json_array_length('[]');
-- path extraction functions and key/value expansion
SELECT e.id, jsonb_extract_path_text(payload, 'utm', 'medium') AS medium, jsonb_extract_path(payload, 'utm') AS utm, json_extract_path(profile, 'address', 'zip') AS zip_json, json_extract_path_text(profile, 'tags', '0') AS tag0 FROM events e LEFT JOIN customers c ON c.id = e.customer_id ORDER BY e.id;
SELECT e.id, k FROM events e, jsonb_object_keys(e.payload) AS k ORDER BY e.id, k;
SELECT e.id, kv.key, kv.value FROM events e, jsonb_each_text(e.payload) AS kv WHERE e.id IN (1, 4, 5) ORDER BY e.id, kv.key;
SELECT key, value, jsonb_typeof(value) FROM jsonb_each('{"b": [1], "a": {"x": null}, "c": 3.10}'::jsonb) ORDER BY key;
SELECT c.id, j.key, j.value FROM customers c, json_each_text(c.profile) j WHERE c.id = 1 ORDER BY j.key;
-- array literals and text output
SELECT ARRAY[1, 2, 3], ARRAY['a', 'b'], ARRAY['a b', 'c,d', NULL], ARRAY['say "hi"', 'back\slash', '', 'NULL', '{x}'] AS quoting, ARRAY[1.5, NULL, 2], ARRAY[[1, 2], [3, 4]] AS two_d, '{}'::int[] AS empty_int, '{}'::text[] AS empty_text, ARRAY[true, false];
SELECT '{1,2,3}'::int[], '{"a b",c,NULL}'::text[], '{" x ",y}'::text[] AS spaces, ARRAY['é', 'Ô']::varchar[] AS accents, ARRAY[]::integer[] AS empty_ctor, ARRAY[1, 2]::bigint[] AS big, ARRAY['2024-02-29'::date], ARRAY[1.50::numeric(5,2)];
SELECT id, tags, tags::text AS tags_text, array_to_string(tags, ',') AS joined FROM events ORDER BY id;
-- ANY / ALL
SELECT 2 = ANY(ARRAY[1, 2, 3]), 5 = ANY(ARRAY[1, 2, 3]), 5 = ANY(ARRAY[1, NULL]) AS any_null, 5 <> ALL(ARRAY[1, 2]), 5 <> ALL(ARRAY[1, NULL]) AS all_null, 3 > ALL(ARRAY[1, 2]), 1 = ANY('{}'::int[]) AS any_empty, 1 <> ALL('{}'::int[]) AS all_empty, 'b' = ANY('{a,b}'::text[]);
SELECT id, kind FROM events WHERE 'web' = ANY(tags) ORDER BY id;
SELECT id, status FROM orders WHERE status = ANY(ARRAY['paid', 'refunded']) AND customer_id <> ALL(ARRAY[1, 5]) ORDER BY id;
SELECT id FROM customers WHERE id = ANY('{2,4,6}'::int[]) OR country = ANY(ARRAY['DE']) ORDER BY id;
-- array_agg
SELECT array_agg(id ORDER BY id) AS ids, array_agg(channel ORDER BY id) AS channels_with_nulls, array_agg(DISTINCT status ORDER BY status) AS statuses, array_agg(amount ORDER BY amount DESC) FILTER (WHERE amount > 100) AS big FROM orders;
SELECT customer_id, array_agg(id ORDER BY id) AS order_ids, array_agg(discount ORDER BY id) AS discounts FROM orders GROUP BY customer_id ORDER BY customer_id NULLS LAST;
SELECT country, array_agg(first_name ORDER BY id) AS names, array_agg(score ORDER BY id) AS scores FROM customers GROUP BY country ORDER BY country NULLS FIRST;
SELECT array_agg(x) AS all_null, array_agg(y) FILTER (WHERE false) AS no_rows FROM (VALUES (NULL::int, 1), (NULL, 2)) v(x, y);
-- unnest in the select list and in FROM (WITH ORDINALITY)
SELECT unnest(ARRAY[3, 1, 2]) AS v ORDER BY v;
SELECT id, unnest(tags) AS tag FROM events ORDER BY id, tag;
SELECT e.id, t.tag, t.pos FROM events e, unnest(e.tags) WITH ORDINALITY AS t(tag, pos) ORDER BY e.id, t.pos;
SELECT t.tag, count(*) AS n FROM events e CROSS JOIN LATERAL unnest(e.tags) AS t(tag) GROUP BY t.tag ORDER BY n DESC, t.tag;
SELECT * FROM unnest(ARRAY[1, 2, 3], ARRAY['a', 'b']) AS u(n, s) ORDER BY n;
SELECT u.* FROM unnest(ARRAY['x', NULL, 'z']) WITH ORDINALITY AS u ORDER BY u.ordinality;
-- array functions
SELECT id, array_length(tags, 1) AS len, cardinality(tags) AS card, array_upper(tags, 1) AS upper, array_lower(tags, 1) AS lower, array_ndims(tags) AS ndims, coalesce(array_length(tags, 1), 0) AS len0 FROM events ORDER BY id;
SELECT array_length(ARRAY[[1, 2, 3], [4, 5, 6]], 2) AS dim2, cardinality(ARRAY[[1, 2], [3, 4]]) AS card2d, array_dims(ARRAY[[1, 2], [3, 4]]) AS dims, array_length('{}'::int[], 1) AS empty_len, cardinality('{}'::int[]) AS empty_card, array_upper('[0:2]={7,8,9}'::int[], 1) AS custom_upper, array_lower('[0:2]={7,8,9}'::int[], 1) AS custom_lower;
SELECT array_position(ARRAY['a', 'b', 'c', 'b'], 'b'), array_position(ARRAY['a', 'b', 'c', 'b'], 'b', 3) AS from3, array_position(ARRAY[1, 2], 9) AS missing, array_position(ARRAY[1, NULL], NULL) AS find_null, array_positions(ARRAY[1, 2, 1], 1) AS positions;
SELECT array_to_string(ARRAY['a', NULL, 'c'], ',') AS skip_null, array_to_string(ARRAY['a', NULL, 'c'], ',', '*') AS null_str, array_to_string(ARRAY[1, 2, 3], ' | ') AS ints, array_to_string('{}'::text[], ',') AS empty;
SELECT string_to_array('a,b,,c', ','), string_to_array('a,b,,c', ',', '') AS empty_as_null, string_to_array('abc', NULL) AS per_char, string_to_array('', ',') AS empty_input, string_to_array('a b c', ' ')::text AS as_text, string_to_array('x', '') AS empty_delim;
SELECT array_append(ARRAY[1, 2], 3), array_prepend(0, ARRAY[1, 2]), array_cat(ARRAY[1, 2], ARRAY[3, 4]), ARRAY[1, 2] || 3 AS op_append, 0 || ARRAY[1, 2] AS op_prepend, ARRAY[1] || ARRAY[2, 3] AS op_cat, array_append('{}'::text[], 'x') AS from_empty, array_cat(NULL::int[], ARRAY[5]) AS cat_null;
SELECT array_remove(ARRAY[1, 2, 1, 3], 1), array_remove(ARRAY['a', NULL, 'b'], NULL) AS remove_null, array_replace(ARRAY[1, 2, 1], 1, 9), array_remove(ARRAY[1], 1) AS to_empty;
SELECT id, array_append(tags, 'new') AS appended, array_remove(tags, 'web') AS no_web, array_prepend('first', tags) AS prepended FROM events ORDER BY id;
-- containment, overlap, subscripts and slices
SELECT id, tags @> ARRAY['web'] AS has_web, tags && ARRAY['app', 'email'] AS overlaps, ARRAY['web'] <@ tags AS contained, tags = '{}' AS is_empty, tags[1] AS first, tags[2] AS second, tags[10] AS past_end FROM events ORDER BY id;
SELECT id, tags[1:2] AS first_two, tags[2:] AS from2, tags[:1] AS upto1, tags[3:5] AS beyond FROM events ORDER BY id;
SELECT (ARRAY[10, 20, 30])[2] AS second, (ARRAY[10, 20, 30])[0] AS zeroth, (ARRAY[[1, 2], [3, 4]])[2][1] AS two_d, (ARRAY[[1, 2], [3, 4]])[1:1] AS slice2d, (string_to_array('a.b.c', '.'))[3] AS last_part, ARRAY[1, 2, 3] = ARRAY[1, 2, 3] AS arr_eq, ARRAY[1, 2] < ARRAY[1, 3] AS arr_lt;
SELECT id, kind FROM events WHERE tags && ARRAY['de', 'fr'] ORDER BY id;
SELECT generate_subscripts(ARRAY['a', 'b', 'c'], 1) AS i ORDER BY i;
SELECT e.id, s.i, e.tags[s.i] AS tag FROM events e, generate_subscripts(e.tags, 1) AS s(i) WHERE e.id <= 5 ORDER BY e.id, s.i;
SELECT to_json(interval '1 day 2 hours') AS a, to_json(interval '3 mons') AS b, to_jsonb(interval '1 year 2 days 00:00:01.5') AS c, json_build_object('d', interval '90 minutes', 'e', interval '-1 day 2 hours') AS d;
select id, coalesce(payload -> 'utm', '{}') as utm, case when kind = 'page_view' then payload -> 'page' else 'null' end as pg, nullif(payload -> 'ms', 'null') as ms from events order by id;
select coalesce(payload ->> 'page', 'none') from events order by id;
select coalesce(payload::json -> 'tags', '[]') from events order by id limit 2;
