-- numeric sqrt, exp, ln, log and power computed in numeric with
-- PostgreSQL's per-value result scales (compound growth, log transforms,
-- geometric means, decay scores), the float versions beside them, cbrt,
-- and numerics written as text at each value's scale (`x::text`,
-- `'LTV ' || sum(x)`, concat, format)
SELECT sqrt(2::numeric) AS s, exp(1.0) AS e, ln(2.0) AS l, log(2.0) AS lg, log10(2.0) AS lg10, power(2.0, 3) AS p, power(1.05, 12) AS p12, power(1.05, 12.5) AS p125;
SELECT sqrt(x), exp(x), ln(x), log(x), power(x, 2), power(x, 0.5), power(x, -1), power(x, 1.5) FROM (VALUES (1.5), (0.001), (1.0001), (0.99), (4.2)) v(x);
SELECT sqrt(4.00), power(2.5, 10), power(0.5, 40), power(1.1, 100), exp(-5.0), exp(20), ln(1000000), log(10, 1000), log(2, 1024.0), log(0.5, 0.125);
SELECT power(-2.0, 3), power(0.0, 0), power(0.0, 1.5), power(0, 0.0), power(1.0, 1000000), sqrt(0::numeric), exp(0.0), ln(1.0);
SELECT id, amount, sqrt(amount) AS root, ln(amount) AS log_amount, round(power(amount, 2), 2) AS squared, power(1 + 0.02, qty) AS growth FROM orders WHERE amount > 0 ORDER BY id;
SELECT customer_id, sum(ln(amount)) AS sum_ln, sum(sqrt(amount)) AS sum_root, count(*) FILTER (WHERE log(amount) > 2) AS big FROM orders WHERE amount > 0 GROUP BY customer_id ORDER BY customer_id NULLS LAST;
SELECT round(power(1.05, 12), 2) AS r, power(1.05, 12) * 100 AS pct, sqrt(2.0) + 1 AS s1, pg_typeof(sqrt(2.0)) AS t_num, pg_typeof(power(2, 3)) AS t_int, pg_typeof(power(2.0::float8, 3.0)) AS t_float, pg_typeof(log(10, 100)) AS t_log;
SELECT coalesce(sqrt(NULL::numeric), 0) AS c, CASE WHEN true THEN sqrt(2.0) ELSE 1 END AS k, greatest(sqrt(2.0), 1) AS g;
SELECT sqrt(2) AS f1, exp(1) AS f2, ln(10) AS f3, log(100) AS f4, power(2, 0.5) AS f5, power(2.0::float8, 3) AS f6, |/ 16.0 AS f7, cbrt(27::float8) AS c1, cbrt(2) AS c2, cbrt(-8) AS c3, cbrt(123.456) AS c4;
SELECT id, power(amount, 1.0 / 3) AS third, log(2, amount) AS log2_amount FROM orders WHERE amount > 1 ORDER BY id;
SELECT sqrt(2.0)::text, exp(1.0)::text, (1.0/3)::text, avg(x)::text, coalesce(sum(x), 0)::text, 'LTV ' || coalesce(sum(x), 0), 'r ' || sqrt(2.0) FROM (VALUES (1.5), (2.25)) v(x);
SELECT (1.0/3)::text AS a, avg(amount)::text AS b, 'avg: ' || avg(amount) AS c, stddev(amount)::text AS d, concat('x', avg(qty)) AS e FROM orders;
SELECT id, amount::text, (amount * 2)::text, greatest(amount, 50)::text, (case when id > 3 then 1 else 2.5 end)::text FROM orders ORDER BY id LIMIT 5;
SELECT status, 'sum=' || coalesce(sum(amount), 0) AS s, avg(amount)::varchar AS v FROM orders GROUP BY status ORDER BY status;
SELECT format('%s', avg(amount)), avg(amount)::text FROM orders;
SELECT concat('avg=', avg(amount), ' n=', count(*)), concat_ws('|', sqrt(2.0), 1.50, avg(qty)) FROM orders;
SELECT customer_id, 'LTV: ' || round(sum(amount) / count(*), 2) || ' EUR' AS l, sum(amount)::text FROM orders GROUP BY 1 ORDER BY 1 NULLS FIRST;
SELECT sqrt('4') AS s, power('2', 3) AS p, exp('1') AS e, ln('10') AS l;
