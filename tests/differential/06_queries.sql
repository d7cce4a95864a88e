-- ranking window functions
SELECT id, customer_id, amount, row_number() OVER (ORDER BY id) AS rn, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at) AS rn_cust FROM orders ORDER BY id;
SELECT id, qty, rank() OVER (ORDER BY qty DESC), dense_rank() OVER (ORDER BY qty DESC), percent_rank() OVER (ORDER BY qty DESC), cume_dist() OVER (ORDER BY qty DESC) FROM orders ORDER BY id;
SELECT id, status, amount, rank() OVER (PARTITION BY status ORDER BY amount DESC) AS rnk, ntile(4) OVER (ORDER BY amount) AS quartile, ntile(5) OVER (ORDER BY id) AS nt5 FROM orders ORDER BY id;
SELECT * FROM (SELECT id, customer_id, amount, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC) AS rn FROM orders) t WHERE rn = 1 ORDER BY customer_id NULLS LAST;
-- lag / lead / first_value / last_value / nth_value
SELECT id, customer_id, amount, lag(amount) OVER w, lead(amount) OVER w, lag(amount, 2, 0) OVER w AS lag2, lead(id, 1, -1) OVER w AS next_id FROM orders WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at) ORDER BY id;
SELECT id, ordered_at, ordered_at - lag(ordered_at) OVER (ORDER BY ordered_at) AS gap, lead(status, 2) OVER (ORDER BY ordered_at) AS status_after_next FROM orders ORDER BY ordered_at;
SELECT id, customer_id, first_value(amount) OVER (PARTITION BY customer_id ORDER BY id), last_value(amount) OVER (PARTITION BY customer_id ORDER BY id) AS last_default_frame, last_value(amount) OVER (PARTITION BY customer_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_full, nth_value(amount, 2) OVER (PARTITION BY customer_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second FROM orders ORDER BY id;
-- aggregate windows and frames
SELECT id, ordered_at, amount, sum(amount) OVER (ORDER BY ordered_at) AS running, sum(amount) OVER (ORDER BY ordered_at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last3, avg(amount) OVER (ORDER BY ordered_at ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS moving_avg FROM orders ORDER BY ordered_at;
SELECT id, customer_id, amount, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cust_running, count(*) OVER (PARTITION BY customer_id) AS cust_orders, max(amount) OVER (PARTITION BY customer_id) AS cust_max FROM orders ORDER BY id;
SELECT id, qty, sum(qty) OVER (ORDER BY qty) AS range_peers, count(*) OVER (ORDER BY qty RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS near, sum(qty) OVER (ORDER BY qty GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW) AS prev_groups FROM orders ORDER BY id;
SELECT id, amount, count(*) OVER () AS total_rows, sum(amount) OVER () AS grand, round(100 * amount / sum(amount) OVER (), 2) AS pct, amount - avg(amount) OVER (PARTITION BY status) AS diff FROM orders ORDER BY id;
SELECT status, count(*), rank() OVER (ORDER BY count(*) DESC, status), sum(count(*)) OVER () AS all_orders, sum(sum(amount)) OVER (ORDER BY status) AS running_amount FROM orders GROUP BY status ORDER BY status;
SELECT id, customer_id, count(*) FILTER (WHERE status = 'paid') OVER (PARTITION BY customer_id) AS paid_in_cust, min(ordered_at) OVER (PARTITION BY customer_id) AS first_order FROM orders ORDER BY id;
-- NULL ordering
SELECT id, discount FROM orders ORDER BY discount, id;
SELECT id, discount FROM orders ORDER BY discount DESC, id;
SELECT id, channel FROM orders ORDER BY channel NULLS FIRST, id;
SELECT id, channel FROM orders ORDER BY channel DESC NULLS LAST, id DESC;
SELECT id, score, vip FROM customers ORDER BY score ASC NULLS FIRST, vip DESC, id;
-- DISTINCT and DISTINCT ON
SELECT DISTINCT status FROM orders ORDER BY status;
SELECT DISTINCT channel, status FROM orders ORDER BY channel NULLS FIRST, status;
SELECT DISTINCT qty % 2 AS parity, qty > 2 AS big FROM orders ORDER BY 1, 2;
SELECT DISTINCT ON (customer_id) customer_id, id, ordered_at, amount FROM orders ORDER BY customer_id, ordered_at DESC;
SELECT DISTINCT ON (status) status, id, amount FROM orders ORDER BY status, amount DESC, id;
-- LATERAL
SELECT c.id, c.first_name, o.id AS order_id, o.amount FROM customers c LEFT JOIN LATERAL (SELECT id, amount FROM orders WHERE customer_id = c.id ORDER BY amount DESC LIMIT 1) o ON true ORDER BY c.id;
SELECT c.id, s.n, s.total FROM customers c CROSS JOIN LATERAL (SELECT count(*) AS n, sum(amount) AS total FROM orders o WHERE o.customer_id = c.id) s ORDER BY c.id;
SELECT e.id, t.tag, t.ord FROM events e, LATERAL unnest(e.tags) WITH ORDINALITY AS t(tag, ord) ORDER BY e.id, t.ord;
-- WITH and WITH RECURSIVE
WITH per_customer AS (SELECT customer_id, sum(amount) AS total, count(*) AS n FROM orders GROUP BY customer_id) SELECT c.first_name, p.total, p.n FROM per_customer p JOIN customers c ON c.id = p.customer_id WHERE p.total > 50 ORDER BY p.total DESC;
WITH paid AS (SELECT * FROM orders WHERE status = 'paid'), by_channel AS (SELECT channel, sum(amount) AS amt FROM paid GROUP BY channel) SELECT channel, amt, amt / (SELECT sum(amount) FROM paid) AS share FROM by_channel ORDER BY channel;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 10) SELECT n, n * n AS sq FROM s ORDER BY n;
WITH RECURSIVE fib(a, b, i) AS (SELECT 0::bigint, 1::bigint, 1 UNION ALL SELECT b, a + b, i + 1 FROM fib WHERE i < 20) SELECT i, a AS fib FROM fib ORDER BY i;
WITH RECURSIVE org(id, name, manager_id) AS (VALUES (1, 'CEO', NULL::int), (2, 'CTO', 1), (3, 'CFO', 1), (4, 'Dev', 2), (5, 'Ops', 2), (6, 'Intern', 4)),
tree AS (SELECT id, name, manager_id, 1 AS depth, name::text AS path FROM org WHERE manager_id IS NULL
  UNION ALL SELECT o.id, o.name, o.manager_id, t.depth + 1, t.path || ' > ' || o.name FROM org o JOIN tree t ON o.manager_id = t.id)
SELECT id, name, manager_id, depth, path FROM tree ORDER BY id;
WITH RECURSIVE months(m) AS (SELECT date '2024-01-01' UNION ALL SELECT (m + interval '1 month')::date FROM months WHERE m < '2024-06-01') SELECT m, count(o.id) AS n, coalesce(sum(o.amount), 0) AS amt FROM months LEFT JOIN orders o ON date_trunc('month', o.ordered_at) = m GROUP BY m ORDER BY m;
-- subqueries
SELECT id, first_name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.amount > 100) ORDER BY id;
SELECT id, last_name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY id;
SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'paid') ORDER BY id;
SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders) ORDER BY id;
SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL) ORDER BY id;
SELECT id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS n_orders, (SELECT max(amount) FROM orders o WHERE o.customer_id = c.id) AS biggest FROM customers c ORDER BY id;
SELECT id, amount FROM orders WHERE amount > (SELECT avg(amount) FROM orders) ORDER BY id;
SELECT id, amount, amount > ALL (SELECT amount FROM orders WHERE channel = 'app') AS beats_app, amount = ANY (SELECT amount FROM t_orders) AS in_t, customer_id IN (1, NULL) AS in_null, customer_id NOT IN (1, NULL) AS not_in_null FROM orders ORDER BY id;
SELECT (SELECT id FROM orders WHERE id < 0) AS none, (SELECT max(id) FROM orders) AS top, EXISTS (SELECT 1 FROM events WHERE kind = 'unsubscribe') AS has_unsub;
-- joins
SELECT o.id, c.first_name, o.amount FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id;
SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id ORDER BY c.id, o.id NULLS FIRST;
SELECT c.id AS cid, o.id AS oid FROM customers c RIGHT JOIN orders o ON o.customer_id = c.id ORDER BY o.id;
SELECT c.id AS cid, o.id AS oid, o.status FROM customers c FULL JOIN orders o ON o.customer_id = c.id AND o.status = 'paid' ORDER BY cid NULLS FIRST, oid NULLS FIRST;
SELECT s.status, ch.channel FROM (VALUES ('paid'), ('pending')) s(status) CROSS JOIN (VALUES ('web'), ('app')) ch(channel) ORDER BY 1, 2;
SELECT * FROM orders o JOIN (SELECT id AS customer_id, city FROM customers) c USING (customer_id) ORDER BY o.id;
SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) x(k, v) NATURAL LEFT JOIN (VALUES (1, 'a', true), (2, 'x', false)) y(k, v, flag) ORDER BY k;
SELECT a.id, b.id AS later_id, b.ordered_at - a.ordered_at AS delta FROM orders a JOIN orders b ON b.customer_id = a.customer_id AND b.ordered_at > a.ordered_at ORDER BY a.id, b.id;
SELECT a.id, b.id AS other FROM customers a JOIN customers b ON a.country = b.country AND a.id < b.id ORDER BY a.id, b.id;
SELECT c.id, count(DISTINCT o.id) AS orders, count(DISTINCT e.id) AS events FROM customers c LEFT JOIN orders o ON o.customer_id = c.id LEFT JOIN events e ON e.customer_id = c.id GROUP BY c.id ORDER BY c.id;
-- set operations
SELECT customer_id FROM orders UNION SELECT customer_id FROM events ORDER BY 1 NULLS FIRST;
SELECT customer_id FROM orders UNION ALL SELECT customer_id FROM events ORDER BY 1 NULLS FIRST;
SELECT customer_id FROM orders INTERSECT SELECT customer_id FROM events ORDER BY 1;
SELECT customer_id FROM orders INTERSECT ALL SELECT customer_id FROM events ORDER BY 1;
SELECT id FROM customers EXCEPT SELECT customer_id FROM orders ORDER BY 1;
SELECT customer_id FROM orders EXCEPT ALL SELECT customer_id FROM events ORDER BY 1 NULLS LAST;
(SELECT id, 'order' AS kind FROM orders WHERE amount > 100) UNION ALL (SELECT id, 'event' FROM events WHERE kind = 'page_view') ORDER BY kind, id;
SELECT 1 AS n UNION SELECT 2 INTERSECT SELECT 2 ORDER BY n;
-- LIMIT / OFFSET / FETCH
SELECT id, amount FROM orders ORDER BY amount DESC LIMIT 3;
SELECT id FROM orders ORDER BY id LIMIT 5 OFFSET 3;
SELECT id FROM orders ORDER BY id OFFSET 10;
SELECT id FROM orders ORDER BY id FETCH FIRST 2 ROWS ONLY;
SELECT id FROM orders ORDER BY id OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY;
SELECT * FROM (SELECT id, qty FROM orders ORDER BY qty DESC FETCH FIRST 3 ROWS WITH TIES) t ORDER BY qty DESC, id;
SELECT id FROM orders ORDER BY id LIMIT ALL OFFSET 11;
SELECT id FROM orders ORDER BY id LIMIT 0;
-- VALUES lists
VALUES (1, 'a', true), (2, 'b', NULL), (3, NULL, false) ORDER BY 1;
SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (3, 'z')) AS v(n, s) ORDER BY n DESC;
SELECT v.label, count(o.id) FROM (VALUES ('paid', 'Paid'), ('pending', 'Pending'), ('lost', 'Lost')) AS v(code, label) LEFT JOIN orders o ON o.status = v.code GROUP BY v.label ORDER BY v.label;
-- CASE in GROUP BY, aliases, ordinals, expressions
SELECT CASE WHEN amount < 20 THEN 'small' WHEN amount < 100 THEN 'medium' ELSE 'large' END AS bucket, count(*), sum(amount) FROM orders GROUP BY CASE WHEN amount < 20 THEN 'small' WHEN amount < 100 THEN 'medium' ELSE 'large' END ORDER BY 1;
SELECT CASE WHEN qty >= 3 THEN 'bulk' ELSE 'single' END AS kind, count(*) AS n FROM orders GROUP BY kind ORDER BY kind;
SELECT CASE WHEN channel IS NULL THEN 'unknown' ELSE channel END, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC, 1;
SELECT id, amount * qty AS total FROM orders ORDER BY total DESC, id;
SELECT id, amount, qty FROM orders ORDER BY amount * qty DESC, id LIMIT 5;
SELECT id, amount FROM orders ORDER BY abs(amount - 50), id;
SELECT date_trunc('month', ordered_at) AS month, count(*) FROM orders GROUP BY month ORDER BY month DESC;
SELECT id AS order_id, status FROM orders ORDER BY 2, 1 DESC;
-- SELECT without FROM, generate_series
SELECT 1 AS a, 'x' AS b, NULL::date AS c, now() IS NOT NULL AS has_now, 2 + 2;
SELECT (SELECT count(*) FROM orders) AS n_orders, (SELECT count(*) FROM customers) AS n_customers, (SELECT count(*) FROM events) AS n_events;
SELECT * FROM generate_series(1, 5) ORDER BY 1;
SELECT g, g * 2 AS double FROM generate_series(1, 5) AS g ORDER BY g;
SELECT * FROM generate_series(10, 1, -3) AS s(n) ORDER BY n;
SELECT g.n, count(o.id) FROM generate_series(1, 10) AS g(n) LEFT JOIN orders o ON o.qty = g.n GROUP BY g.n ORDER BY g.n;
SELECT d::date AS month, count(o.id) FROM generate_series('2024-01-01'::timestamp, '2024-06-01', interval '1 month') AS d LEFT JOIN orders o ON date_trunc('month', o.ordered_at) = d GROUP BY d ORDER BY d;
SELECT generate_series(1, 3) AS n, 'x' AS tag ORDER BY n;
SELECT kind, count(*) FILTER (WHERE payload ? 'page'), array_agg(DISTINCT t ORDER BY t) FROM events LEFT JOIN LATERAL unnest(tags) t ON true GROUP BY kind ORDER BY kind;
SELECT e.id, t.tag, t.n FROM events e LEFT JOIN LATERAL unnest(e.tags) WITH ORDINALITY AS t(tag, n) ON true ORDER BY e.id, t.n;
SELECT c.id, k.key, k.value FROM customers c LEFT JOIN LATERAL json_each_text(c.profile -> 'address') k ON true ORDER BY c.id, k.key;
