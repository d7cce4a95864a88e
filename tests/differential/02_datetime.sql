-- literals and basic casts
SELECT timestamp '2024-02-01 12:00', date '2024-02-29', timestamptz '2024-03-31 02:30:00 Europe/Paris', time '13:45:10.5', interval '1 year 2 months', timestamptz '2024-06-01 12:00:00-04:00' AS offset_lit;
SELECT '2024-02-29 10:00:00.123456'::timestamp AS micro, '2024-02-29 10:00:00.5'::timestamp AS half, '2024-02-29T10:00:00Z'::timestamptz AS iso_z, '2024-02-29 10:00'::timestamp(0) AS ts0, '2024-02-29 10:00:00.987654'::timestamp(2) AS ts2;
SELECT 'epoch'::timestamp, 'infinity'::timestamp, '-infinity'::date, 'infinity'::timestamptz > now() AS inf_future, 'allballs'::time, '0001-01-01'::date, '2000-01-01 BC'::date AS bc;
SELECT paid_at, paid_at::date AS d, paid_at::timestamp AS ts, paid_at::time AS t, CAST(paid_at AS date) AS cast_d, ordered_at::date, ordered_at::timestamptz AS tstz, ordered_at::time FROM orders ORDER BY id;
SELECT birth_date, birth_date::timestamp, birth_date::timestamptz, CAST(birth_date AS text), birth_date::varchar FROM customers ORDER BY id;
SELECT id, at, paid, at::date, paid::date, paid::time, paid::text FROM t_orders ORDER BY id;
-- date_trunc on timestamp, every unit
SELECT date_trunc('microseconds', ts), date_trunc('milliseconds', ts), date_trunc('second', ts), date_trunc('minute', ts), date_trunc('hour', ts), date_trunc('day', ts), date_trunc('week', ts) FROM (VALUES (timestamp '2024-02-29 13:45:10.123456'), (timestamp '2025-01-05 00:00:00'), (timestamp '2023-12-31 23:59:59.999999')) v(ts) ORDER BY ts;
SELECT date_trunc('month', ts), date_trunc('quarter', ts), date_trunc('year', ts), date_trunc('decade', ts), date_trunc('century', ts), date_trunc('millennium', ts) FROM (VALUES (timestamp '2024-02-29 13:45:10.123456'), (timestamp '2000-12-31 23:59:59'), (timestamp '2001-01-01 00:00:00')) v(ts) ORDER BY ts;
SELECT id, ordered_at, date_trunc('hour', ordered_at) AS h, date_trunc('day', ordered_at) AS d, date_trunc('week', ordered_at) AS w, date_trunc('month', ordered_at) AS m, date_trunc('quarter', ordered_at) AS q, date_trunc('year', ordered_at) AS y FROM orders ORDER BY id;
-- date_trunc on timestamptz and date
SELECT id, paid_at, date_trunc('minute', paid_at), date_trunc('day', paid_at), date_trunc('week', paid_at), date_trunc('month', paid_at), date_trunc('quarter', paid_at), date_trunc('year', paid_at) FROM orders ORDER BY id;
SELECT date_trunc('decade', paid_at), date_trunc('century', paid_at), date_trunc('millennium', paid_at), date_trunc('second', paid_at), date_trunc('milliseconds', paid_at) FROM orders WHERE id = 101;
SELECT id, birth_date, date_trunc('month', birth_date) AS m, date_trunc('year', birth_date) AS y, date_trunc('week', birth_date) AS w, date_trunc('decade', birth_date) AS dec FROM customers ORDER BY id;
SELECT date_trunc('day', timestamptz '2024-03-31 02:30:00+02', 'Europe/Paris') AS day_paris, date_trunc('month', timestamptz '2024-03-31 23:30:00+00', 'Asia/Tokyo') AS month_tokyo;
-- extract / date_part
SELECT extract(year FROM ts), extract(quarter FROM ts), extract(month FROM ts), extract(week FROM ts), extract(day FROM ts), extract(dow FROM ts), extract(isodow FROM ts), extract(doy FROM ts) FROM (VALUES (timestamp '2024-02-29 13:45:10.123456'), (timestamp '2021-01-03 00:00:00'), (timestamp '2024-12-30 08:00:00')) v(ts) ORDER BY ts;
SELECT extract(hour FROM ts), extract(minute FROM ts), extract(second FROM ts), extract(milliseconds FROM ts), extract(microseconds FROM ts), extract(epoch FROM ts), extract(isoyear FROM ts), extract(century FROM ts), extract(decade FROM ts), extract(millennium FROM ts), extract(julian FROM ts) FROM (VALUES (timestamp '2024-02-29 13:45:10.123456'), (timestamp '2021-01-03 00:00:00'), (timestamp '2024-12-30 08:00:00')) v(ts) ORDER BY ts;
SELECT id, paid_at, extract(epoch FROM paid_at) AS epoch, extract(hour FROM paid_at) AS h, extract(timezone FROM paid_at) AS tz, extract(timezone_hour FROM paid_at) AS tzh, extract(dow FROM paid_at) AS dow, extract(week FROM paid_at) AS wk FROM orders ORDER BY id;
SELECT date_part('year', ordered_at), date_part('month', ordered_at), date_part('dow', ordered_at), date_part('epoch', ordered_at), date_part('hour', paid_at), date_part('isodow', paid_at) FROM orders ORDER BY id;
SELECT id, birth_date, extract(year FROM birth_date) AS y, extract(month FROM birth_date) AS m, extract(doy FROM birth_date) AS doy, extract(epoch FROM birth_date) AS epoch, extract(julian FROM birth_date) AS jd, date_part('day', birth_date) AS dp FROM customers ORDER BY id;
SELECT extract(epoch FROM interval '1 day 2 hours'), extract(hour FROM interval '36 hours'), extract(day FROM interval '1 month 40 days'), extract(month FROM interval '14 months'), extract(year FROM interval '14 months'), extract(epoch FROM interval '1 month'), extract(minutes FROM time '13:45:10'), extract(epoch FROM time '01:00:00');
SELECT EXTRACT(YEAR FROM customers.created_at)::integer AS yr, EXTRACT(MONTH FROM customers.created_at)::integer AS mo, count(*) AS n FROM customers GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- to_char patterns
SELECT id, to_char(ordered_at, 'YYYY-MM'), to_char(ordered_at, 'YYYY-MM-DD HH24:MI:SS'), to_char(ordered_at, 'DD/MM/YYYY'), to_char(ordered_at, 'IYYY-IW'), to_char(ordered_at, 'YYYY"-Q"Q') FROM orders ORDER BY id;
SELECT id, to_char(ordered_at, 'Day'), to_char(ordered_at, 'FMDay'), to_char(ordered_at, 'Dy'), to_char(ordered_at, 'DAY'), to_char(ordered_at, 'Mon'), to_char(ordered_at, 'Month'), to_char(ordered_at, 'FMMonth'), to_char(ordered_at, 'MONTH') FROM orders ORDER BY id;
SELECT to_char(ts, 'HH12:MI:SS AM'), to_char(ts, 'hh12 pm'), to_char(ts, 'YY-MM-DD'), to_char(ts, 'DDD'), to_char(ts, 'D'), to_char(ts, 'ID'), to_char(ts, 'WW'), to_char(ts, 'W'), to_char(ts, 'J'), to_char(ts, 'CC'), to_char(ts, 'SSSS'), to_char(ts, 'MS'), to_char(ts, 'US'), to_char(ts, 'FMDD. FMMonth YYYY'), to_char(ts, 'DDth Mon') FROM (VALUES (timestamp '2024-02-29 13:45:10.123456'), (timestamp '2025-01-01 00:05:00')) v(ts) ORDER BY ts;
SELECT id, to_char(paid_at, 'YYYY-MM-DD HH24:MI:SS TZ'), to_char(paid_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), to_char(paid_at, 'Q'), to_char(paid_at, 'tz') FROM orders ORDER BY id;
SELECT to_char(birth_date, 'YYYY-MM-DD'), to_char(birth_date, 'Mon DD, YYYY'), to_char(birth_date, 'FMMM/FMDD/YYYY') FROM customers ORDER BY id;
SELECT to_char(interval '1 day 02:03:04', 'HH24:MI:SS'), to_char(interval '36 hours', 'HH24'), to_char(interval '2 years 3 months', 'YYYY-MM'), to_char(1234.5, '9,999.99'), to_char(0.5, 'FM990.00'), to_char(-12, 'S999');
-- to_date / to_timestamp
SELECT to_date('2024-02-29', 'YYYY-MM-DD'), to_date('29/02/2024', 'DD/MM/YYYY'), to_date('20240229', 'YYYYMMDD'), to_date('Feb 29 2024', 'Mon DD YYYY'), to_date('2024-060', 'YYYY-DDD'), to_date('2024-W09', 'IYYY-"W"IW');
SELECT to_timestamp('2024-02-29 13:45:10', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('29.02.2024 01:45 PM', 'DD.MM.YYYY HH12:MI PM'), to_timestamp('2024-02-29 13:45:10.250', 'YYYY-MM-DD HH24:MI:SS.MS'), to_timestamp('2024-02-29 13:45', 'YYYY-MM-DD HH24:MI')::timestamp AS naive;
SELECT to_timestamp(0), to_timestamp(1709214310), to_timestamp(1709214310.5), to_timestamp(1709214310.123456), to_timestamp(-86400), to_timestamp(1735689600)::date;
SELECT id, to_timestamp(extract(epoch FROM paid_at)) = paid_at AS roundtrip, to_timestamp(floor(extract(epoch FROM paid_at))) AS floored FROM orders ORDER BY id;
-- age and date arithmetic
SELECT age(timestamp '2024-03-01', timestamp '2024-02-28'), age(timestamp '2025-02-28', timestamp '2024-02-29'), age(timestamp '2024-01-31 12:00', timestamp '2023-11-30 18:30'), age(date '2024-03-31', date '2024-02-29'), age(timestamp '2020-01-01', timestamp '2024-06-15 10:00') AS negative;
SELECT id, birth_date, age(date '2025-01-01', birth_date) AS age_at_2025, extract(year FROM age(date '2025-01-01', birth_date)) AS years, date '2025-01-01' - birth_date AS days FROM customers ORDER BY id;
SELECT id, ordered_at, paid_at, paid_at - ordered_at::timestamptz AS delay, age(paid_at, ordered_at::timestamptz) AS age_delay, extract(epoch FROM paid_at - ordered_at::timestamptz) / 60 AS minutes FROM orders ORDER BY id;
SELECT date '2024-02-29' + 7, date '2024-02-29' - 1, date '2024-03-01' - date '2024-02-01', date '2024-02-29' + interval '1 year', date '2024-01-31' + interval '1 month', date '2024-02-29' + time '10:30', date '2024-02-29' - interval '1 day';
SELECT timestamp '2024-02-29 10:00' + interval '1 day', timestamp '2024-01-31 10:00' + interval '1 month', timestamp '2024-03-31 10:00' - interval '1 month', timestamp '2024-02-29 10:00' - timestamp '2024-01-01 08:30', timestamp '2024-02-29 10:00' + interval '36 hours', timestamp '2024-02-29' + interval '1 year 2 months 3 days 04:05:06';
SELECT timestamptz '2024-03-30 12:00:00 Europe/Paris' + interval '1 day' AS plus_day, timestamptz '2024-03-30 12:00:00 Europe/Paris' + interval '24 hours' AS plus_24h, timestamptz '2024-03-31 12:00:00+02' - timestamptz '2024-03-30 12:00:00+01' AS diff;
SELECT id, ordered_at + interval '1 day' AS next_day, ordered_at - interval '2 hours 30 minutes' AS earlier, ordered_at::date + 30 AS due, (ordered_at + interval '1 month')::date AS next_month, ordered_at::date - date '2024-01-01' AS since_2024 FROM orders ORDER BY id;
-- make_* functions
SELECT make_date(2024, 2, 29), make_date(2023, 12, 31), make_time(13, 45, 10.5), make_timestamp(2024, 2, 29, 13, 45, 10.123456), make_timestamptz(2024, 2, 29, 13, 45, 0), make_timestamptz(2024, 2, 29, 13, 45, 0, 'Europe/Paris') AS in_paris;
SELECT make_interval(days => 10), make_interval(years => 1, months => 2), make_interval(hours => 36), make_interval(mins => 90, secs => 30.5), make_interval(weeks => 2, days => 1), make_interval(0, 0, 0, 0, 0, 0, 0.001);
SELECT id, make_date(extract(year FROM ordered_at)::int, extract(month FROM ordered_at)::int, 1) AS month_start, make_date(extract(year FROM ordered_at)::int, 1, 1) AS year_start FROM orders ORDER BY id;
-- interval printing and arithmetic
SELECT interval '1 year 2 months', interval '36 hours', interval '1 day 36 hours', interval '90 minutes', interval '1.5 days', interval '-1 day +2 hours', interval '0', interval '1 week', interval '100 years', interval '0.5 seconds', interval '1 mon -1 day';
SELECT justify_hours(interval '36 hours'), justify_days(interval '40 days'), justify_interval(interval '1 mon -1 hour'), justify_days(interval '-35 days'), justify_hours(interval '-50 hours'), justify_interval(interval '50 days 30 hours');
SELECT interval '1 day' * 2, interval '1 hour' * 1.5, interval '1 month' / 2, interval '3 days' / 4, 2 * interval '45 minutes', interval '1 day' + interval '1 hour', interval '1 day' - interval '1 hour', -interval '1 day 2 hours';
SELECT interval '1 day' = interval '24 hours' AS day_eq_24h, interval '1 month' = interval '30 days' AS month_eq_30d, interval '1 day' > interval '23 hours' AS gt, interval '1 year' < interval '366 days' AS lt, interval '1 hour' BETWEEN interval '30 minutes' AND interval '2 hours' AS btw;
SELECT '3 days 04:05:06'::interval, 'P1Y2M3DT4H5M6S'::interval AS iso, '1:30'::interval AS hm, '@ 1 hour ago'::interval AS ago, '1 day'::interval::text AS txt, CAST('2 weeks' AS interval), interval '1' day, interval '5' hour;
SELECT status, sum(paid_at - ordered_at::timestamptz) AS total_delay, avg(paid_at - ordered_at::timestamptz) AS avg_delay, max(paid_at - ordered_at::timestamptz) AS max_delay, min(ordered_at), max(ordered_at) FROM orders GROUP BY status ORDER BY status;
-- AT TIME ZONE
SELECT timestamp '2024-02-29 10:00' AT TIME ZONE 'Europe/Paris' AS ts_to_tstz, timestamptz '2024-02-29 10:00:00+00' AT TIME ZONE 'Europe/Paris' AS tstz_to_ts, timestamp '2024-07-01 10:00' AT TIME ZONE 'America/New_York' AS summer_ny, timestamptz '2024-07-01 10:00:00+00' AT TIME ZONE 'UTC' AS utc_ts, timestamp '2024-02-29 10:00' AT TIME ZONE '+02' AS posix_offset, timestamptz '2024-02-29 10:00:00+00' AT TIME ZONE INTERVAL '-05:00' AS iv;
SELECT id, paid_at, paid_at AT TIME ZONE 'Europe/Paris' AS paris_local, (paid_at AT TIME ZONE 'Europe/Paris')::date AS paris_day, ordered_at AT TIME ZONE 'Europe/Paris' AS ordered_paris, (ordered_at AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Tokyo' AS tokyo_local FROM orders ORDER BY id;
SELECT timezone('Europe/Paris', timestamptz '2024-10-27 01:30:00+00'), timezone('Europe/Paris', timestamp '2024-10-27 02:30:00'), timezone('Europe/Paris', timestamp '2024-03-31 02:30:00') AS in_gap, timestamptz '2024-10-27 02:30:00 Europe/Paris' AS ambiguous;
SELECT date_trunc('day', paid_at AT TIME ZONE 'Europe/Paris') AS paris_day, count(*) AS n, sum(amount) AS total FROM orders WHERE paid_at IS NOT NULL GROUP BY 1 ORDER BY 1;
-- generate_series over time
SELECT generate_series(timestamp '2024-01-01', timestamp '2024-01-03', interval '12 hours') AS ts ORDER BY ts;
SELECT d::date AS day FROM generate_series(date '2024-02-26', date '2024-03-03', interval '1 day') AS d ORDER BY d;
SELECT * FROM generate_series(timestamptz '2024-03-30 00:00:00+00', timestamptz '2024-04-01 00:00:00+00', interval '1 day') AS g(ts) ORDER BY ts;
SELECT m::date AS month, COALESCE(sum(o.amount), 0) AS revenue, count(o.id) AS n FROM generate_series(timestamp '2024-01-01', timestamp '2024-06-01', interval '1 month') AS m LEFT JOIN orders o ON date_trunc('month', o.ordered_at) = m GROUP BY m ORDER BY m;
SELECT gs AS week_start FROM generate_series(date_trunc('week', timestamp '2024-02-29'), timestamp '2024-03-31', interval '1 week') AS gs ORDER BY gs;
-- comparisons and deterministic now()/current_date
SELECT now() > timestamptz '2020-01-01' AS after_2020, current_date > date '2020-01-01' AS cd_after, current_timestamp >= now() - interval '1 minute' AS ct, localtimestamp > timestamp '2020-01-01' AS lt, pg_typeof(now()), pg_typeof(current_date), pg_typeof(localtimestamp), pg_typeof(current_time);
SELECT date '2024-02-29' = timestamp '2024-02-29 00:00' AS date_eq_ts, date '2024-02-29' < timestamptz '2024-02-29 00:00:01+00' AS date_lt_tstz, timestamp '2024-02-29 10:00' = timestamptz '2024-02-29 10:00:00+00' AS ts_eq_tstz, timestamptz '2024-02-29 11:00:00+01' = timestamptz '2024-02-29 10:00:00+00' AS same_instant, '2024-02-29'::date IN (date '2024-02-29', date '2024-03-01') AS in_list;
SELECT id, ordered_at FROM orders WHERE ordered_at >= '2024-03-01' AND ordered_at < '2024-07-01' ORDER BY id;
SELECT id, paid_at FROM orders WHERE paid_at > now() - interval '100 years' AND paid_at < '2025-01-01 00:00:00+01' ORDER BY id;
SELECT id, birth_date FROM customers WHERE birth_date BETWEEN '1980-01-01' AND '1999-12-31' OR birth_date IS NULL ORDER BY id;
SELECT (date '2024-01-01', date '2024-06-30') OVERLAPS (date '2024-06-01', date '2024-12-31') AS overlaps, isfinite(date '2024-02-29'), isfinite(timestamp 'infinity'), date '2024-02-29' + 366 > 'infinity'::date AS inf_cmp;
-- Metabase-style shapes
SELECT (date_trunc('week', (orders.ordered_at + INTERVAL '1 day')) + INTERVAL '-1 day') AS ordered_at, count(*) AS count FROM orders GROUP BY (date_trunc('week', (orders.ordered_at + INTERVAL '1 day')) + INTERVAL '-1 day') ORDER BY (date_trunc('week', (orders.ordered_at + INTERVAL '1 day')) + INTERVAL '-1 day') ASC;
SELECT CAST(date_trunc('month', orders.paid_at) AS date) AS paid_at, sum(orders.amount) AS sum FROM orders GROUP BY CAST(date_trunc('month', orders.paid_at) AS date) ORDER BY CAST(date_trunc('month', orders.paid_at) AS date) ASC NULLS FIRST;
SELECT CAST(extract(isodow FROM orders.ordered_at) AS integer) AS ordered_at, count(*) AS count FROM orders GROUP BY CAST(extract(isodow FROM orders.ordered_at) AS integer) ORDER BY CAST(extract(isodow FROM orders.ordered_at) AS integer) ASC;
SELECT CAST(extract(hour FROM orders.ordered_at) AS integer) AS ordered_at, CAST(extract(day FROM orders.ordered_at) AS integer) AS dom, CAST(extract(quarter FROM orders.ordered_at) AS integer) AS q, CAST(extract(month FROM orders.ordered_at) AS integer) AS moy FROM orders ORDER BY orders.id;
SELECT date_trunc('quarter', orders.ordered_at) AS ordered_at, CAST(date_trunc('year', orders.ordered_at) AS date) AS y, count(*) AS count FROM orders GROUP BY date_trunc('quarter', orders.ordered_at), CAST(date_trunc('year', orders.ordered_at) AS date) ORDER BY date_trunc('quarter', orders.ordered_at) ASC;
SELECT CAST(CAST(orders.ordered_at AS date) AS date) AS ordered_at, sum(orders.qty) AS sum FROM orders WHERE (orders.ordered_at >= CAST((CAST('2024-01-01' AS timestamp) + INTERVAL '-1 day') AS date) AND orders.ordered_at < CAST(CAST('2025-01-01' AS timestamp) AS date)) GROUP BY CAST(CAST(orders.ordered_at AS date) AS date) ORDER BY CAST(CAST(orders.ordered_at AS date) AS date) ASC;
-- Superset-style shapes
SELECT DATE_TRUNC('day', ordered_at) AS __timestamp, COUNT(*) AS count FROM orders GROUP BY DATE_TRUNC('day', ordered_at) ORDER BY count DESC, __timestamp LIMIT 10;
SELECT DATE_TRUNC('month', paid_at) AS __timestamp, status AS status, SUM(amount) AS "SUM(amount)" FROM orders WHERE paid_at >= TO_TIMESTAMP('2024-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') AND paid_at < TO_TIMESTAMP('2025-06-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') GROUP BY status, DATE_TRUNC('month', paid_at) ORDER BY "SUM(amount)" DESC, __timestamp, status LIMIT 50;
SELECT DATE_TRUNC('week', ordered_at) AS __timestamp, channel, COUNT(DISTINCT customer_id) AS "COUNT_DISTINCT(customer_id)" FROM orders GROUP BY DATE_TRUNC('week', ordered_at), channel ORDER BY __timestamp, channel NULLS LAST;
-- Grafana-style shapes
SELECT floor(extract(epoch FROM paid_at)/3600)*3600 AS "time", sum(amount) AS value FROM orders WHERE paid_at BETWEEN '2024-01-01T00:00:00Z' AND '2025-01-01T00:00:00Z' GROUP BY 1 ORDER BY 1;
SELECT extract(epoch FROM date_trunc('day', paid_at)) * 1000 AS "time", count(*) AS "orders" FROM orders WHERE paid_at BETWEEN '2024-01-01T00:00:00Z' AND '2026-01-01T00:00:00Z' GROUP BY 1 ORDER BY 1;
SELECT 'events' AS metric, to_timestamp(floor(extract(epoch FROM at) / 86400) * 86400) AS "time", count(*) AS value FROM events WHERE at BETWEEN '2024-01-01T00:00:00Z' AND '2025-12-31T23:59:59Z' GROUP BY 2 ORDER BY 2;
SELECT at AS "time", kind AS metric, id AS value FROM events WHERE at >= to_timestamp(1704067200) AND at < to_timestamp(1735689600) ORDER BY 1, 2;
-- session settings: TimeZone
SET TimeZone = 'Europe/Paris';
select id, paid_at - timestamptz '2024-01-01', paid_at - '2024-01-01', timestamptz '2025-06-01 12:00' - paid_at, now() - timestamptz '2020-01-01' > interval '1 year' from orders order by id;
select avg(paid_at - timestamptz '2024-01-01'), max(paid_at) - min(timestamptz '2024-01-01 00:00+00') from orders;
SELECT timestamptz '2024-03-31 12:00' - timestamptz '2024-03-30 12:00', timestamptz '2024-03-31 12:00' - '2024-03-30 12:00';
SELECT id, paid_at - interval '1 day' AS day_before, paid_at + interval '1 month' AS month_after, extract(epoch FROM paid_at - ordered_at) AS secs_to_pay, date_trunc('week', paid_at + interval '1 day') - interval '1 day' AS sunday_week FROM orders WHERE paid_at IS NOT NULL ORDER BY id;
SELECT count(*) FILTER (WHERE paid_at >= '2024-03-01' AND paid_at < '2025-01-01') AS in_range, count(*) FILTER (WHERE paid_at < timestamp '2025-01-01 00:00:00') AS before_new_year, count(*) FILTER (WHERE paid_at::date BETWEEN '2024-03-01' AND '2024-12-31') AS by_day FROM orders;
SELECT id, paid_at, paid_at::date AS d, paid_at::time AS t, ordered_at::timestamptz AS ordered_tz FROM orders ORDER BY id;
SELECT id, date_trunc('day', paid_at) AS day, date_trunc('month', paid_at) AS month, extract(hour FROM paid_at) AS h, extract(timezone FROM paid_at) AS tz, to_char(paid_at, 'YYYY-MM-DD HH24:MI:SS TZ') AS txt FROM orders ORDER BY id;
SELECT timestamptz '2024-03-31 02:30:00', timestamptz '2024-10-27 02:30:00', timestamp '2024-07-01 12:00' AT TIME ZONE 'UTC', timestamptz '2024-07-01 12:00:00+00' AT TIME ZONE 'UTC', '2024-02-29'::date::timestamptz, current_setting('TimeZone');
SELECT generate_series(timestamptz '2024-03-30 00:00', timestamptz '2024-04-01 00:00', interval '1 day') AS ts ORDER BY ts;
SELECT timestamptz '2024-03-30 12:00' + interval '1 day' AS plus_day, timestamptz '2024-03-30 12:00' + interval '24 hours' AS plus_24h, date_trunc('week', timestamptz '2024-03-31 12:00') AS wk, age(timestamptz '2024-04-01 00:00', timestamptz '2024-03-31 00:00') AS age_dst;
SET TimeZone = 'America/New_York';
SELECT id, paid_at, date_trunc('day', paid_at) AS day, extract(dow FROM paid_at) AS dow, to_char(paid_at, 'YYYY-MM-DD HH24:MI TZ OF') AS txt FROM orders WHERE paid_at IS NOT NULL ORDER BY id;
SELECT id, paid_at >= date '2024-03-01' AS since_march, paid_at BETWEEN date '2024-01-01' AND date '2024-02-29' AS jan_feb, paid_at - date '2024-01-01' AS since_new_year, greatest(paid_at, date '2025-01-01') AS g, paid_at > ordered_at AS after_order FROM orders WHERE paid_at IS NOT NULL ORDER BY id;
SELECT date_trunc('month', ordered_at::date) AS m, date_trunc('week', date '2024-03-01') AS w, count(*) FROM orders GROUP BY 1, 2 ORDER BY 1;
SELECT count(*) FILTER (WHERE paid_at < current_date) AS past, age(timestamptz '2024-03-10 12:00:00+00', date '2024-03-01') AS a, date '2024-03-01' AT TIME ZONE 'UTC' AS utc, to_timestamp('2024-03-01 10', 'YYYY-MM-DD HH24') AS hour_only FROM orders;
SET TimeZone = 'UTC';
SELECT id, paid_at, date_trunc('day', paid_at) AS day FROM orders WHERE id IN (102, 106) ORDER BY id;
-- session settings: IntervalStyle and DateStyle
SET IntervalStyle = 'iso_8601';
SELECT interval '1 year 2 months 3 days 04:05:06.5', interval '36 hours', interval '-1 day', interval '0';
SET IntervalStyle = 'sql_standard';
SELECT interval '1 year 2 months', interval '3 days 04:05:06', interval '-1 day 2 hours';
SET IntervalStyle = 'postgres_verbose';
SELECT interval '1 year 2 months 3 days 04:05:06', interval '-90 minutes';
SET IntervalStyle = 'postgres';
SET DateStyle = 'German, DMY';
SELECT date '2024-02-29', timestamp '2024-02-29 13:45:10', '01.02.2024'::date AS parsed;
SET DateStyle = 'SQL, MDY';
SELECT date '2024-02-29', timestamp '2024-02-29 13:45:10', timestamptz '2024-02-29 13:45:10+00', '02/01/2024'::date AS parsed;
SET DateStyle = 'ISO, DMY';
SELECT '01/02/2024'::date AS dmy_parsed, date '2024-02-29';
SET DateStyle = 'ISO, MDY';
SET TimeZone = 'UTC';
SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS ds, current_setting('IntervalStyle') AS ist;
