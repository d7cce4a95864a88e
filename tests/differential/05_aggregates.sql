-- count variants
SELECT count(*) FROM orders;
SELECT count(*), count(customer_id), count(discount), count(paid_at), count(channel), count(1) AS count_one FROM orders;
SELECT count(DISTINCT customer_id) AS customers, count(DISTINCT status) AS statuses, count(DISTINCT channel), count(DISTINCT qty) FROM orders;
SELECT count(*) AS n, count(amount) AS with_amount, count(customer) AS with_customer, count(DISTINCT ok) AS distinct_ok FROM t_orders;
SELECT count(*) AS n_pairs FROM t_orders CROSS JOIN customers;
-- empty input and all-NULL input
SELECT count(*), sum(amount), avg(amount), min(amount), max(amount), sum(qty), avg(qty) FROM orders WHERE id < 0;
SELECT count(*) AS n, string_agg(status, ',') AS statuses, array_agg(id) AS ids, bool_and(amount > 0) AS all_pos, bool_or(amount > 0) AS any_pos, max(ordered_at) AS last_at FROM orders WHERE false;
SELECT count(discount), sum(discount), avg(discount), min(discount), max(discount), count(*) AS rows_seen FROM orders WHERE discount IS NULL;
SELECT sum(amount), avg(amount), count(amount), sum(qty), max(at), min(paid), min(customer), bool_and(ok) FROM t_orders WHERE id = 3;
SELECT status, count(*) FROM orders WHERE false GROUP BY status ORDER BY status;
SELECT count(*) FROM orders HAVING count(*) > 100;
-- sum / avg result types per input type
SELECT sum(qty) AS sum_int, avg(qty) AS avg_int, sum(id) AS sum_bigint, avg(id) AS avg_bigint, sum(qty::smallint) AS sum_small, avg(qty::smallint) AS avg_small FROM orders;
SELECT sum(amount), avg(amount), min(amount), max(amount), sum(amount * qty) AS revenue, avg(amount * qty) AS avg_line FROM orders;
SELECT sum(score), avg(score), min(score), max(score), count(score), sum(score * 2) AS doubled FROM customers;
SELECT round(avg(discount)::numeric, 4) AS avg_discount, min(discount), max(discount), count(discount) FROM orders;
SELECT sum(9223372036854775807 - id) AS huge_sum, sum(id * 100000000000000) AS big_sum, avg(id * 1000) AS avg_big FROM orders;
SELECT status, sum(qty), avg(qty), avg(amount), sum(amount) FROM orders GROUP BY status ORDER BY status;
SELECT customer_id, avg(qty) AS avg_qty, avg(qty::numeric(10,2)) AS avg_qty_num, avg(amount) AS avg_amount FROM orders GROUP BY customer_id ORDER BY customer_id NULLS FIRST;
SELECT sum(DISTINCT qty), count(DISTINCT qty), avg(DISTINCT qty), sum(DISTINCT amount), count(DISTINCT amount) FROM orders;
-- aggregates over expressions and rounding
SELECT round(avg(amount), 2), round(avg(qty), 3) AS avg_qty3, round(avg(amount * qty), 2) AS avg_line, round(sum(amount) / count(*), 4) AS manual_avg, sum(amount) / nullif(sum(qty), 0) AS per_unit FROM orders;
SELECT round(sum(amount * qty * (1 - COALESCE(discount, 0)))::numeric, 2) AS net_revenue, sum(amount * qty) - sum(amount) AS extra, max(amount * qty) AS biggest_line FROM orders;
SELECT sum(CASE WHEN status = 'paid' THEN amount ELSE 0 END) AS paid_amount, sum(CASE WHEN status = 'paid' THEN 1 END) AS paid_cnt, count(CASE WHEN discount > 0 THEN 1 END) AS discounted, avg(CASE WHEN channel = 'web' THEN qty END) AS web_qty FROM orders;
SELECT max(n), min(n), avg(n), sum(n) FROM (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) s;
SELECT sum((payload->>'ms')::int) AS total_ms, count(payload->'ms') AS has_ms, avg((payload->>'ms')::int) AS avg_ms, max(cardinality(tags)) AS max_tags, sum(array_length(tags, 1)) AS sum_tags FROM events;
-- FILTER
SELECT count(*) FILTER (WHERE status = 'paid') AS paid, count(*) FILTER (WHERE status <> 'paid') AS not_paid, sum(amount) FILTER (WHERE channel = 'web') AS web_amount, avg(qty) FILTER (WHERE discount > 0) AS avg_qty_discounted, max(ordered_at) FILTER (WHERE status = 'pending') AS last_pending FROM orders;
SELECT channel, count(*) FILTER (WHERE ordered_at < '2025-01-01') AS y2024, count(*) FILTER (WHERE ordered_at >= '2025-01-01') AS y2025, sum(amount) FILTER (WHERE status = 'paid') FROM orders GROUP BY channel ORDER BY channel NULLS LAST;
SELECT country, count(*) FILTER (WHERE vip) AS vips, count(*) FILTER (WHERE NOT vip) AS regulars, count(*) FILTER (WHERE vip IS NULL) AS unknown, array_agg(id ORDER BY id) FILTER (WHERE gender = 'F') AS women FROM customers GROUP BY country ORDER BY country NULLS LAST;
-- GROUP BY, HAVING, ordinals
SELECT customer_id, count(*) AS n, sum(amount) AS total FROM orders GROUP BY customer_id HAVING count(*) > 1 ORDER BY customer_id;
SELECT status, sum(amount) FROM orders GROUP BY status HAVING sum(amount) > 20 AND min(qty) >= 1 ORDER BY 2 DESC;
SELECT date_trunc('year', ordered_at) AS yr, count(*), sum(amount) FROM orders GROUP BY 1 ORDER BY 1;
SELECT extract(year FROM ordered_at), extract(quarter FROM ordered_at) AS q, count(*), sum(qty) FROM orders GROUP BY 1, 2 ORDER BY 1, 2;
SELECT qty > 1 AS multi, discount IS NULL AS no_discount, count(*), sum(amount) FROM orders GROUP BY 1, 2 ORDER BY 1, 2;
SELECT c.country, count(o.id), count(*), count(DISTINCT c.id) AS customers, coalesce(sum(o.amount), 0) AS total FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.country ORDER BY c.country NULLS FIRST;
-- GROUPING SETS / ROLLUP / CUBE
SELECT status, channel, count(*), sum(amount) FROM orders GROUP BY GROUPING SETS ((status), (channel), ()) ORDER BY grouping(status), grouping(channel), status, channel NULLS LAST;
SELECT status, channel, grouping(status) AS gs, grouping(channel) AS gc, grouping(status, channel), count(*) FROM orders GROUP BY ROLLUP (status, channel) ORDER BY status NULLS LAST, grouping(channel), channel NULLS LAST;
SELECT extract(year FROM ordered_at)::int AS yr, channel, count(*), sum(qty), grouping(extract(year FROM ordered_at)::int, channel) AS g FROM orders GROUP BY CUBE (extract(year FROM ordered_at)::int, channel) ORDER BY g, yr NULLS LAST, channel NULLS LAST;
SELECT country, vip, count(*) AS n, GROUPING(country, vip) AS lvl FROM customers GROUP BY ROLLUP (country, vip) ORDER BY lvl, country NULLS LAST, vip NULLS LAST;
SELECT status, count(*), sum(amount) FROM orders GROUP BY ROLLUP (1) ORDER BY grouping(status), status;
-- ordered-set aggregates
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS median, percentile_disc(0.5) WITHIN GROUP (ORDER BY amount) AS median_disc, mode() WITHIN GROUP (ORDER BY status) AS top_status FROM orders;
SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY qty) AS quartiles, percentile_disc(ARRAY[0.1, 0.9]) WITHIN GROUP (ORDER BY amount) AS deciles FROM orders;
SELECT channel, percentile_cont(0.5) WITHIN GROUP (ORDER BY qty) AS median_qty, percentile_disc(0.9) WITHIN GROUP (ORDER BY amount DESC), mode() WITHIN GROUP (ORDER BY qty) FROM orders GROUP BY channel ORDER BY channel NULLS FIRST;
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ordered_at) AS median_at, percentile_cont(0.5) WITHIN GROUP (ORDER BY score) AS median_score_empty FROM orders, (SELECT score FROM customers WHERE id = 3) s;
-- statistics (rounded)
SELECT round(stddev(amount), 4), round(stddev_samp(amount), 4) AS sd_samp, round(stddev_pop(amount), 4) AS sd_pop, round(variance(amount), 4) AS var, round(var_pop(amount), 4) AS vpop, round(var_samp(amount), 4) AS vsamp FROM orders;
SELECT round(stddev(qty), 6) AS sd_qty, round(var_pop(qty), 6) AS vp_qty, round(stddev(score)::numeric, 6) AS sd_score, round(var_pop(score)::numeric, 6) AS vp_score FROM orders JOIN customers ON customers.id = orders.customer_id;
SELECT stddev(amount), stddev_pop(amount), variance(amount), var_pop(amount), stddev(qty) AS sd_int FROM orders WHERE id = 101;
SELECT round(corr(amount, qty)::numeric, 6) AS corr, round(covar_pop(amount, qty)::numeric, 4) AS covar_pop, round(covar_samp(amount, qty)::numeric, 4) AS covar_samp, round(regr_slope(amount, qty)::numeric, 6) AS slope, round(regr_intercept(amount, qty)::numeric, 6) AS intercept, round(regr_r2(amount, qty)::numeric, 6) AS r2, regr_count(amount, qty), regr_avgx(amount, qty) FROM orders;
-- boolean aggregates
SELECT bool_and(vip), bool_or(vip), every(vip), bool_and(score > 1) AS all_above_1, bool_or(score > 4.9) AS any_top FROM customers;
SELECT status, bool_and(qty > 1), bool_or(discount > 0), every(amount < 100) FROM orders GROUP BY status ORDER BY status;
-- string_agg / array_agg / jsonb_agg
SELECT string_agg(status, ', ' ORDER BY id) FROM orders;
SELECT string_agg(DISTINCT status, '|' ORDER BY status) AS statuses, string_agg(channel, '/' ORDER BY id DESC) AS channels FROM orders;
SELECT customer_id, string_agg(id::text, ';' ORDER BY id DESC) AS ids, array_agg(amount ORDER BY amount) AS amounts, array_agg(DISTINCT channel) AS channels FROM orders GROUP BY customer_id ORDER BY customer_id NULLS LAST;
SELECT country, string_agg(first_name, ', ' ORDER BY id) AS names, array_agg(id ORDER BY id), count(*) FROM customers GROUP BY country ORDER BY country NULLS LAST;
SELECT array_agg(vip ORDER BY id) AS vips, array_agg(birth_date ORDER BY id) AS births, array_agg(score ORDER BY id) AS scores, array_agg(country ORDER BY id) AS countries FROM customers;
SELECT jsonb_agg(id ORDER BY id) AS ids, json_agg(status ORDER BY id) FILTER (WHERE qty > 2) AS big_statuses FROM orders;
-- min / max on non-numeric types
SELECT min(first_name COLLATE "C"), max(last_name COLLATE "C"), min(birth_date), max(birth_date), min(created_at), max(created_at), min(country), max(city COLLATE "C") FROM customers;
SELECT min(ordered_at), max(ordered_at), min(paid_at), max(paid_at), max(paid_at) - min(paid_at) AS span, max(ordered_at)::date - min(ordered_at)::date AS days FROM orders;
SELECT min(id), max(id), min(status), max(status), min(amount::text) AS min_text, max(qty), min(discount) FILTER (WHERE discount > 0) AS min_pos_discount FROM orders;
SELECT max(paid_at - ordered_at) AS longest, min(paid_at - ordered_at) AS shortest, avg(paid_at - ordered_at) AS avg_delay, sum(paid_at - ordered_at) AS total_delay FROM orders;
SELECT avg(x), sum(x), min(x), max(x) FROM (VALUES (interval '1 day'), (interval '2 hours'), (interval '1 second')) t(x);
SELECT avg(x) FROM (VALUES (interval '1 mon'), (interval '1 day 1 hour')) t(x);
SELECT avg(age(paid_at, ordered_at)) FROM orders;
SELECT customer_id, avg(x) OVER (PARTITION BY customer_id ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (SELECT id, customer_id, age(paid_at, ordered_at) AS x FROM orders) t ORDER BY id;
SELECT status, avg(justify_hours(paid_at - ordered_at)), avg(NULL::interval) FROM orders GROUP BY status ORDER BY status;
select now() - max(paid_at) > interval '1 day', (now() - max(paid_at)) < interval '1 year', max(paid_at) - min(paid_at) BETWEEN interval '1 mon' AND interval '2 years' from orders;
select id from orders where paid_at - ordered_at > interval '1 hour' order by id;
select id, paid_at - ordered_at = interval '10 minutes', ordered_at - timestamp '2024-01-01' >= interval '2 mons' from orders order by id;
SET TimeZone = 'Europe/Paris';
select avg(paid_at - ordered_at), avg(ordered_at - timestamp '2024-01-01 00:00:00.5') from orders;
SET TimeZone = 'UTC';
