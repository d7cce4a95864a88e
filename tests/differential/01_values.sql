-- integer arithmetic, division and modulo
SELECT 1 + 2, 7 / 2, -7 / 2, 7 % 3, -7 % 3, 7 % -3;
SELECT 2147483647::bigint + 1 AS big, 32767::smallint + 1 AS small_plus_int, 10::smallint * 3::smallint AS small_mul, 5::int8 / 2 AS int8_div;
SELECT 1 / 2 AS int_div, 1.0 / 2 AS num_div, 1 / 2.0 AS num_div2, 1::numeric / 3 AS third, 10::numeric / 4 AS ten_quarters, 2 / 3::float8 AS float_div;
SELECT 12.50 * 2, 12.50 + 0.5, 1.10 * 1.10, 100 - 0.01, 0.1 + 0.2, 123.4500 AS keeps_scale;
SELECT mod(17, 5), mod(-17, 5), mod(17.5, 5), div(17, 5), div(-17.5, 5), abs(-3), abs(-3.50), abs(-2.5::float8);
-- rounding family on numeric and float
SELECT round(2.5), round(-2.5), round(3.14159, 2), round(1234.5678, -2), round(0.125, 2), round(2.5::float8) AS float_round_half_even, round(3.5::float8);
SELECT trunc(3.789), trunc(-3.789), trunc(3.789, 1), ceil(4.1), ceil(-4.1), floor(4.9), floor(-4.1), ceiling(2.01::float8);
SELECT sign(-8), sign(0.0), sign(3.2::float8), power(2, 10), power(2.0, 3), power(2::numeric, 0.5) AS pow_num, 2 ^ 3 AS caret, 2.0 ^ 3 AS caret_num;
SELECT sqrt(2) AS sqrt_float, sqrt(2::numeric) AS sqrt_num, sqrt(16), cbrt(27::float8), exp(1::numeric) AS e_num, ln(10) AS ln_float, log(100) AS log10, log(2.0, 8.0) AS log_base;
SELECT 10::numeric(5,1), 1.25::numeric(5,1), 1.35::numeric(5,1), -1.25::numeric(5,1), 0.05::numeric(3,1), 123.456::numeric(10,3), 3::numeric(10,3), 2.5::numeric(3,0);
SELECT scale(12.50), scale(1.0 / 3), 1.0 / 3 * 3 AS back, 1e3::numeric, 1.5e-3::numeric, 0.000001::numeric * 1000;
-- floats printing
SELECT 0.1::float8 + 0.2, 1e20::float8, 1e-7::float8, 1 / 3::float8, 1e15::float8 + 0.3, 123456789.123::float8, 1.5e300::float8 * 1e8;
SELECT 0.1::real, 1.1::real * 3, 1 / 3::real, 16777217::real, 3.4e38::real, 1.5::real + 1.5::float8 AS real_plus_double;
SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8, 'NaN'::numeric, 'inf'::float8 > 1e308 AS inf_gt, 'NaN'::float8 = 'NaN'::float8 AS nan_eq, 'NaN'::numeric > 1e100 AS nan_gt, -0.0::float8 AS neg_zero;
SELECT 1e100::float8 AS big, 2.5e-10::float8 AS small, 100000000000000000000.0::float8 AS e20, 1234567.0::float8, 0.0001::float8, 12345678901234567::float8 AS prec_loss;
-- booleans and NULL
SELECT true, false, NOT true AS nt, true AND NULL AS and_null, false AND NULL AS false_and_null, true OR NULL AS or_null, NULL::boolean IS NULL AS is_null, 1 < 2 AS lt;
SELECT 't'::boolean, 'yes'::boolean, 'no'::boolean, 'on'::boolean, 'off'::boolean, '1'::boolean, '0'::boolean, 'TRUE'::boolean, ' f '::boolean, 'y'::boolean;
SELECT NULL AS n, NULL::int AS ni, NULL + 1 AS plus, NULL = NULL AS eq, NULL IS NULL AS isn, 1 IS NOT NULL AS notnull, NULL::text || 'a' AS concat_null, concat(NULL, 'a', 1) AS concat_fn;
SELECT 1 IS DISTINCT FROM NULL, NULL IS DISTINCT FROM NULL, 1 IS NOT DISTINCT FROM 1.0, 'a' IS DISTINCT FROM 'b', NULL::int IS NOT DISTINCT FROM NULL;
SELECT true IS TRUE, NULL::boolean IS UNKNOWN, false IS NOT TRUE, NULL::boolean IS NOT FALSE, true::int, 0::boolean, 5::boolean, true::text;
-- untyped literals and implicit coercion
SELECT '1' + 1 AS untyped_plus, 'abc' || 1 AS text_int, 1 || 'abc' AS int_text, '2.5' * 2::numeric AS untyped_num, 'a' || NULL || 'b' AS null_concat, '42' AS untyped;
SELECT '10' > '9' AS text_cmp, 10 > 9 AS int_cmp, '10'::int > '9' AS cast_cmp, 1 = 1.0 AS int_num_eq, 1 = 1.0::float8 AS int_float_eq, 0.1::float4 = 0.1::float8 AS real_double_eq, 2::smallint = 2::bigint AS small_big;
-- casts with type names
SELECT 3.7::int, 2.5::int, -2.5::int, 3.5::int4, '42'::int8, CAST('  17  ' AS integer) AS spaced, '-5'::smallint, 9.99::bigint, CAST(2.5::float8 AS int) AS float_to_int;
SELECT CAST(12.3456 AS numeric(10,3)), CAST(7 AS decimal), CAST('3.14' AS real), CAST('3.14' AS float8), CAST('3.14' AS double precision), CAST(42 AS text), CAST(1.50 AS varchar), CAST(100 AS numeric(10,2));
SELECT 'abcdef'::varchar(3), CAST('abcdef' AS varchar(3)) AS vc, 'ab'::char(5) AS padded, 'ab'::char(5) || 'x' AS char_concat, length('ab'::char(5)) AS char_len, octet_length('ab '::char(5)), 'abc'::char(5) = 'abc  '::char(5) AS char_eq, 'ab'::character varying AS cv;
SELECT '2024-02-29'::date, CAST('2024-02-29 13:45:00' AS timestamp), '2024-02-29 13:45:00+02'::timestamptz, '1 day 2 hours'::interval, CAST('90 minutes' AS interval), '2024-02-29'::date::text, 20240229::text::date AS from_int_text;
SELECT '1.5e3'::numeric, '  12.50 '::numeric, '-0.0'::numeric, '1e-2'::float8, '.5'::numeric, '5.'::numeric, '+7'::int, '00042'::int;
SELECT 1::int::text || '%' AS pct, 42::text::int + 1 AS roundtrip, (0.5)::text, 1e6::text, 1e6::float8::text, 100::float8::text, 1.50::float8::text, 3::float4::numeric;
SELECT pg_typeof(1), pg_typeof(1.0), pg_typeof(3000000000), pg_typeof(1e3), pg_typeof('a'), pg_typeof(1::float4 + 1), pg_typeof(1::smallint + 1::smallint), pg_typeof(1 + 1.5::float8);
SELECT to_number('12,345.67', '99G999D99'), to_number('  -42', '999'), to_number('1,234.5', '9G999D9'), to_number('1,000.00', '9,999.99') AS literal_sep, to_number('12.5%', '99.9');
-- CASE / COALESCE / NULLIF / GREATEST / LEAST type unification
SELECT CASE WHEN true THEN 1 ELSE 2.5 END, CASE WHEN false THEN 1 ELSE 2.5 END AS c2, CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END, CASE WHEN false THEN 1 END AS no_else, CASE WHEN true THEN 1::bigint ELSE 2 END AS big;
SELECT COALESCE(NULL, 1, 2.5), COALESCE(NULL::int, 7), COALESCE(NULL, 'x'), COALESCE(NULL::text, NULL) AS all_null, NULLIF(5, 5), NULLIF(5, 6), NULLIF('a', ''), NULLIF(0, 0.0);
SELECT GREATEST(1, 2.5, 2), LEAST(1, 2.5, -1), GREATEST(1, NULL, 3), LEAST(NULL::int, NULL) AS all_null, GREATEST('apple', 'banana'), LEAST(1::smallint, 2::bigint), GREATEST(1.5::float8, 2);
-- UNION type resolution
SELECT 1 AS v UNION ALL SELECT 2.5 ORDER BY v;
SELECT 1 AS v UNION SELECT 3000000000 UNION SELECT 1 ORDER BY v;
SELECT 1::smallint AS v UNION ALL SELECT 2::int ORDER BY v;
SELECT 1.5::real AS v UNION ALL SELECT 2.25::float8 ORDER BY v;
SELECT 'a' AS v UNION ALL SELECT 'b' UNION ALL SELECT NULL ORDER BY v NULLS FIRST;
VALUES (1, 'one'), (2, 'two'), (3, NULL) ORDER BY 1;
VALUES (1, 1.5), (2, 2) ORDER BY column1;
-- BETWEEN / IN / width_bucket
SELECT 5 BETWEEN 1 AND 10, 5 BETWEEN 10 AND 1, 5 BETWEEN SYMMETRIC 10 AND 1, 2.5 NOT BETWEEN 1 AND 2, 'b' BETWEEN 'a' AND 'c', NULL BETWEEN 1 AND 2 AS null_between;
SELECT 3 IN (1, 2, 3), 3 IN (1.5, 3.0), 'x' NOT IN ('a', 'b'), 1 IN (2, NULL), 2 NOT IN (1, NULL), 2 = ANY (ARRAY[1, 2]), 5 > ALL (ARRAY[1, 2, 3]);
SELECT width_bucket(5.35, 0.024, 10.06, 5), width_bucket(0, 1, 10, 3), width_bucket(11, 1, 10, 3), width_bucket(2.5::float8, 0, 10, 4), width_bucket(7, ARRAY[0, 5, 10]);
-- queries over the tables
SELECT id, amount, qty, amount * qty AS total, amount / qty AS unit, qty / 2 AS half_qty, qty % 2 AS odd, amount * 1.2 AS with_vat FROM orders ORDER BY id;
SELECT id, amount, discount, amount * (1 - discount) AS net, round(amount * (1 - discount)::numeric, 2) AS net_rounded, discount * 100 AS pct, discount::numeric(4,2) AS d FROM orders ORDER BY id;
SELECT status, count(*), sum(amount), avg(amount), min(amount), max(amount), sum(qty), avg(qty), round(avg(amount), 2) AS avg2 FROM orders GROUP BY status ORDER BY status;
SELECT sum(id) AS sum_bigint, avg(id) AS avg_bigint, sum(qty) AS sum_int, avg(qty)::numeric(10,4) AS avg_int, sum(qty::smallint) AS sum_small, sum(amount) AS sum_num, count(amount) AS cnt, count(DISTINCT customer_id) AS dist FROM orders;
SELECT sum(score) AS sum_float, round(avg(score)::numeric, 4) AS avg_float, max(score), min(score), round(sum(discount) FILTER (WHERE discount > 0.1)::numeric, 2) AS sum_real, count(*) FILTER (WHERE discount > 0.1) AS n_real_gt, max(discount) AS max_real, count(*) FILTER (WHERE vip) AS vips FROM customers JOIN orders ON orders.customer_id = customers.id;
SELECT id, score, score * 2 AS double_score, score::int AS score_int, score::numeric(4,1) AS score_num, round(score) AS rounded, COALESCE(score, 0) AS filled, score / 3 AS third FROM customers ORDER BY id;
SELECT id, vip, NOT vip AS not_vip, vip IS TRUE AS vip_true, vip IS NOT FALSE AS maybe_vip, COALESCE(vip, false) AS vip_f, CASE WHEN vip THEN 'VIP' WHEN NOT vip THEN 'regular' ELSE 'unknown' END AS segment FROM customers ORDER BY id;
SELECT id, amount, qty, ok, amount * qty AS total, amount IS NULL AS no_amount, COALESCE(amount, 0) AS amt0, NULLIF(qty, 1) AS q, GREATEST(amount, 50) AS g, LEAST(qty, 1.5) AS l FROM t_orders ORDER BY id;
SELECT channel, sum(amount * qty) AS revenue, sum(amount) / sum(qty) AS avg_unit, sum(CASE WHEN status = 'paid' THEN 1 ELSE 0 END) AS paid_cnt, 100.0 * count(*) / sum(count(*)) OVER () AS share FROM orders GROUP BY channel ORDER BY channel NULLS LAST;
SELECT width_bucket(amount, 0, 500, 5) AS bucket, count(*), sum(amount) FROM orders GROUP BY 1 ORDER BY 1;
SELECT id, amount FROM orders WHERE amount BETWEEN 10 AND 100 AND customer_id IN (1, 2, 6) AND status IS DISTINCT FROM 'cancelled' ORDER BY id;
SELECT customer_id, count(*) AS n, sum(amount)::float8 AS sum_f, sum(amount)::int AS sum_i, (sum(amount) * 100)::bigint AS cents FROM orders GROUP BY customer_id ORDER BY customer_id NULLS FIRST;
