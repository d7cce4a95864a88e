-- Metabase's and dbt's generated SQL, and analysts' customer analytics:
-- week grains starting Sunday, binning, relative filters, surrogate keys,
-- dateadd/datediff macros, validity ranges, RFM and cohorts, funnels,
-- contact clean-up, lateral top-n, JSON and array properties
SELECT (date_trunc('week', ("public"."orders"."ordered_at" + INTERVAL '1 day')) - INTERVAL '1 day') AS "ordered_at", count(*) AS "count" FROM "public"."orders" GROUP BY 1 ORDER BY 1 ASC;
SELECT CAST(extract(isodow from "public"."orders"."ordered_at") AS integer) AS "dow", CAST(extract(doy from "public"."orders"."ordered_at") AS integer) AS "doy", CAST(extract(week from "public"."orders"."ordered_at") AS integer) AS "w", CAST(extract(quarter from "public"."orders"."ordered_at") AS integer) AS "q" FROM "public"."orders" ORDER BY "public"."orders"."id" LIMIT 5;
SELECT (FLOOR(("public"."orders"."amount" / 12.5)) * 12.5) AS "amount", count(*) AS "count" FROM "public"."orders" GROUP BY 1 ORDER BY 1 ASC;
SELECT (FLOOR((("public"."orders"."qty" - 1.0) / 2.0)) * 2.0) + 1.0 AS "qty", count(*) FROM "public"."orders" GROUP BY 1 ORDER BY 1;
SELECT CAST(("public"."orders"."paid_at" AT TIME ZONE 'UTC') AS date) AS "d", count(*) FROM "public"."orders" GROUP BY 1 ORDER BY 1 NULLS FIRST;
SELECT "public"."customers"."id" FROM "public"."customers" WHERE (lower("public"."customers"."email") like '%gmail%' OR ("public"."customers"."city" = '') OR ("public"."customers"."city" IS NULL)) ORDER BY 1;
SELECT "public"."orders"."status", sum("public"."orders"."amount") FROM "public"."orders" WHERE ("public"."orders"."status" IN ('paid', 'pending')) AND NOT ("public"."orders"."channel" IS NULL) GROUP BY 1 ORDER BY 2 DESC;
SELECT "source"."m" AS "m", "source"."s" AS "s" FROM (SELECT date_trunc('month', "public"."orders"."ordered_at") AS "m", sum("public"."orders"."amount") AS "s" FROM "public"."orders" GROUP BY 1) AS "source" WHERE "source"."s" > 50 ORDER BY 1 DESC;
SELECT count(distinct "public"."orders"."customer_id") AS "count", avg("public"."orders"."qty") AS "avg", max("public"."orders"."paid_at") AS "max", stddev_pop("public"."orders"."qty") AS "sd" FROM "public"."orders";
SELECT md5(cast(coalesce(cast(id as TEXT), '_dbt_utils_surrogate_key_null_') || '-' || coalesce(cast(customer_id as TEXT), '_dbt_utils_surrogate_key_null_') as TEXT)) AS sk FROM orders ORDER BY id LIMIT 3;
SELECT ordered_at + ((interval '1 day') * (7)) AS plus_7, ((paid_at::date - ordered_at::date) * 24 + date_part('hour', paid_at::timestamp)) - date_part('hour', ordered_at) AS hours FROM orders ORDER BY id LIMIT 4;
SELECT cast(amount as varchar) AS s, cast(qty as bigint) AS q, cast(ordered_at as date) AS d, current_timestamp::timestamp <= now()::timestamp + interval '1 second' AS ok FROM orders ORDER BY id LIMIT 2;
SELECT (date_part('year', ordered_at::date) - date_part('year', date '2024-01-01')) * 12 + (date_part('month', ordered_at::date) - date_part('month', date '2024-01-01')) AS months_between FROM orders ORDER BY id;
SELECT datediff_days FROM (SELECT (ordered_at::date - date '2024-01-01') AS datediff_days FROM orders) t ORDER BY 1 LIMIT 3;
SELECT * FROM orders WHERE ordered_at > (SELECT max(ordered_at) - interval '90 days' FROM orders) ORDER BY id;
SELECT * FROM (SELECT customer_id, ordered_at, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) AS rn FROM orders) t WHERE rn = 1 ORDER BY customer_id NULLS FIRST;
SELECT id, valid_from, lead(valid_from) OVER (PARTITION BY k ORDER BY valid_from) AS valid_to, coalesce(lead(valid_from) OVER (PARTITION BY k ORDER BY valid_from), timestamp '9999-12-31') AS valid_to2 FROM (SELECT id, customer_id AS k, ordered_at AS valid_from FROM orders) s ORDER BY id;
SELECT customer_id, sum(amount) AS ltv, count(*) AS orders, min(ordered_at)::date AS first, max(ordered_at)::date AS last, (max(ordered_at)::date - min(ordered_at)::date) AS tenure_days, CASE WHEN max(ordered_at) < timestamp '2025-01-01' THEN 'churned' ELSE 'active' END AS status FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id ORDER BY ltv DESC;
WITH rfm AS (SELECT customer_id, date '2025-06-01' - max(ordered_at)::date AS recency, count(*) AS frequency, sum(amount) AS monetary FROM orders WHERE customer_id IS NOT NULL GROUP BY 1) SELECT customer_id, recency, frequency, monetary, ntile(4) OVER (ORDER BY recency DESC, customer_id) AS r, ntile(4) OVER (ORDER BY frequency, customer_id) AS f, ntile(4) OVER (ORDER BY monetary, customer_id) AS m FROM rfm ORDER BY customer_id;
WITH c AS (SELECT customer_id, min(date_trunc('month', ordered_at)) AS cohort FROM orders GROUP BY 1), a AS (SELECT o.customer_id, c.cohort, date_trunc('month', o.ordered_at) AS m FROM orders o JOIN c USING (customer_id)) SELECT to_char(cohort, 'YYYY-MM') AS cohort, (extract(year from age(m, cohort)) * 12 + extract(month from age(m, cohort)))::int AS k, count(DISTINCT customer_id) AS n FROM a GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS total, count(*) FILTER (WHERE email ~* '^[^@\s]+@[^@\s]+\.[a-z]{2,}$') AS valid_email, round(100.0 * count(phone) / count(*), 2) AS pct_phone, count(DISTINCT lower(trim(email))) AS uniq FROM customers;
SELECT lower(trim(email)) AS e, count(*), array_agg(id ORDER BY id) FROM customers WHERE email IS NOT NULL GROUP BY 1 HAVING count(*) >= 1 ORDER BY 1;
SELECT id, CASE WHEN phone ~ '^\+?[0-9 ().-]{8,}$' THEN regexp_replace(regexp_replace(phone, '[^0-9+]', '', 'g'), '^0([1-9])', '+33\1') END AS e164 FROM customers ORDER BY id;
SELECT channel, count(*) AS n, round(avg(amount), 2) AS aov, percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS median, sum(amount) / sum(sum(amount)) OVER () AS share FROM orders GROUP BY channel ORDER BY n DESC, channel NULLS LAST;
SELECT date_trunc('month', ordered_at) AS m, sum(amount) AS rev, lag(sum(amount)) OVER (ORDER BY date_trunc('month', ordered_at)) AS prev, round(100 * (sum(amount) / nullif(lag(sum(amount)) OVER (ORDER BY date_trunc('month', ordered_at)), 0) - 1), 1) AS growth FROM orders GROUP BY 1 ORDER BY 1;
SELECT m, rev, avg(rev) OVER (ORDER BY m ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS ma3, sum(rev) OVER (ORDER BY m) AS cum FROM (SELECT date_trunc('month', ordered_at)::date AS m, sum(amount) AS rev FROM orders GROUP BY 1) t ORDER BY m;
SELECT e.customer_id, min(e.at) FILTER (WHERE e.kind = 'page_view') AS first_view, min(e.at) FILTER (WHERE e.kind = 'add_to_cart') AS first_cart, min(o.paid_at) AS first_paid FROM events e LEFT JOIN orders o ON o.customer_id = e.customer_id GROUP BY 1 ORDER BY 1 NULLS LAST;
SELECT count(DISTINCT customer_id) FILTER (WHERE kind = 'page_view') AS viewers, count(DISTINCT customer_id) FILTER (WHERE kind = 'add_to_cart') AS carters, round(count(DISTINCT customer_id) FILTER (WHERE kind = 'add_to_cart')::numeric / nullif(count(DISTINCT customer_id) FILTER (WHERE kind = 'page_view'), 0), 3) AS rate FROM events;
SELECT payload->'utm'->>'source' AS source, coalesce(payload->'utm'->>'medium', '(none)') AS medium, count(*) FROM events GROUP BY 1, 2 ORDER BY 3 DESC, 1 NULLS LAST;
SELECT substring(payload->>'page' from '^/p/(\d+)') AS product, count(*) FROM events WHERE payload->>'page' LIKE '/p/%' GROUP BY 1;
SELECT c.id, c.first_name, o.n FROM customers c JOIN LATERAL (SELECT count(*) AS n FROM orders o WHERE o.customer_id = c.id) o ON true ORDER BY c.id;
SELECT c.id, recent.id AS order_id FROM customers c CROSS JOIN LATERAL (SELECT id FROM orders o WHERE o.customer_id = c.id ORDER BY ordered_at DESC LIMIT 2) recent ORDER BY 1, 2;
SELECT id, greatest(created_at, '2024-01-01'::timestamptz) AS g, least(birth_date, date '2000-01-01') AS l FROM customers ORDER BY id;
SELECT id, coalesce(vip, false) AS vip, NOT coalesce(vip, false) AS not_vip, vip IS TRUE AS t, vip IS NOT FALSE AS nf, vip IS UNKNOWN AS u FROM customers ORDER BY id;
SELECT gender, count(*) FROM customers GROUP BY gender ORDER BY gender NULLS FIRST;
SELECT country, count(*) FROM customers GROUP BY ROLLUP(country) ORDER BY country NULLS LAST;
SELECT string_agg(first_name || ' ' || last_name, '; ' ORDER BY last_name DESC NULLS LAST) FROM customers;
SELECT id, profile->'tags' AS tags, jsonb_array_length(profile::jsonb->'tags') AS n, profile->'tags'->>0 AS first_tag, (profile->>'visits')::int > 5 AS engaged FROM customers ORDER BY id;
SELECT id, tags, array_length(tags, 1) AS n, tags[array_length(tags, 1)] AS last_tag, 'web' = ANY(tags) AS web, array_to_string(tags, '|') AS joined FROM events ORDER BY id;
