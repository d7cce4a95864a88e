-- Analysts' filters and measures, fourth round: RANGE windows over
-- intervals, FILTER, per-buyer ratios, gaps between orders, ISO weeks,
-- date filters written as text, LIKE/ILIKE ANY over pattern arrays,
-- JSON properties, local days in other zones, ages from birth dates
SELECT id, amount, sum(amount) OVER w AS s, avg(amount) OVER w AS a, min(ordered_at) OVER w AS mn, count(*) OVER w AS c FROM orders WINDOW w AS (PARTITION BY channel ORDER BY ordered_at RANGE BETWEEN INTERVAL '60 days' PRECEDING AND CURRENT ROW) ORDER BY id;
SELECT date_trunc('month', ordered_at)::date AS m, count(*) FILTER (WHERE status = 'paid') AS paid, count(*) FILTER (WHERE status <> 'paid') AS other, round(avg(amount) FILTER (WHERE status = 'paid'), 2) FROM orders GROUP BY 1 ORDER BY 1;
SELECT customer_id, string_agg(channel, ',' ORDER BY ordered_at) AS path, array_agg(DISTINCT status) AS statuses FROM orders GROUP BY 1 ORDER BY 1 NULLS LAST;
SELECT c.city, count(DISTINCT o.customer_id) AS buyers, sum(o.amount) AS revenue, sum(o.amount) / count(DISTINCT o.customer_id) AS per_buyer FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.city ORDER BY revenue DESC;
SELECT id, ordered_at, ordered_at::date - lag(ordered_at::date) OVER (ORDER BY ordered_at) AS gap, extract(epoch from ordered_at - lag(ordered_at) OVER (ORDER BY ordered_at)) / 3600 AS hours FROM orders ORDER BY ordered_at;
SELECT to_char(date_trunc('week', ordered_at), 'IYYY-IW') AS wk, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT EXTRACT(YEAR FROM ordered_at) * 100 + EXTRACT(MONTH FROM ordered_at) AS yyyymm, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT id, CASE WHEN discount IS NULL THEN 'none' WHEN discount = 0 THEN 'zero' WHEN discount < 0.1 THEN 'small' ELSE 'big' END AS d, amount * (1 - coalesce(discount, 0)) AS net FROM orders ORDER BY id;
SELECT id, round((amount * (1 - coalesce(discount, 0)))::numeric, 2) AS net, (amount * qty)::numeric(12,2) AS gross, amount::text || ' EUR' AS label FROM orders ORDER BY id;
SELECT status, count(*), round(100.0 * count(*) / (SELECT count(*) FROM orders), 1) AS pct FROM orders GROUP BY status ORDER BY 2 DESC, 1;
SELECT first_name, last_name, coalesce(email, phone, 'no contact') AS contact, length(coalesce(email, '')) AS l FROM customers ORDER BY id;
SELECT * FROM customers WHERE created_at BETWEEN '2023-01-01' AND '2023-12-31 23:59:59' ORDER BY id;
SELECT * FROM orders WHERE ordered_at::date = '2024-02-29';
SELECT * FROM orders WHERE to_char(ordered_at, 'YYYY-MM') = '2025-01' ORDER BY id;
SELECT * FROM orders WHERE extract(dow from ordered_at) IN (0, 6) ORDER BY id;
SELECT * FROM orders WHERE date_part('year', ordered_at) = 2024 AND amount BETWEEN 10 AND 100 ORDER BY id;
SELECT * FROM customers WHERE lower(email) LIKE ANY (ARRAY['%gmail%', '%orange%']) ORDER BY id;
SELECT * FROM customers WHERE first_name ILIKE ANY (ARRAY['z%', 'c%']) ORDER BY id;
SELECT * FROM customers WHERE city IN (SELECT city FROM customers GROUP BY city HAVING count(*) > 0) AND country NOT IN ('DE') ORDER BY id;
SELECT id, first_name FROM customers WHERE id = ANY('{1,3,5}'::int[]) ORDER BY id;
SELECT id FROM customers WHERE profile->>'plan' = ANY(ARRAY['gold', 'silver']) ORDER BY id;
SELECT id, CAST(profile->>'visits' AS integer) + 1 AS v, (profile->>'visits')::numeric / 2 AS half FROM customers ORDER BY id;
SELECT date_trunc('day', created_at AT TIME ZONE 'Europe/Paris') AS local_day, count(*) FROM customers GROUP BY 1 ORDER BY 1 NULLS LAST;
SELECT (created_at AT TIME ZONE 'America/New_York')::date AS ny_day, created_at::date AS utc_day FROM customers ORDER BY id;
SELECT id, age(birth_date) > interval '18 years' AS adult, extract(year from age(now(), birth_date)) >= 18 AS adult2 FROM customers ORDER BY id;
SELECT id, to_char(birth_date, 'DD/MM/YYYY') AS fr, to_char(birth_date, 'MM/DD/YY') AS us, to_char(birth_date, 'FMDay DD FMMonth') AS longf FROM customers ORDER BY id;
SELECT id, extract(year from age(birth_date)) AS years, age(birth_date) = age(current_date, birth_date) AS same FROM customers ORDER BY id;
SELECT id FROM customers WHERE email NOT ILIKE ANY (ARRAY['%example%']) ORDER BY id;
