-- LATERAL subqueries without FROM: an expression named once and reused
-- (net amounts, buckets, chained derived values), in SELECT, WHERE,
-- GROUP BY and ORDER BY
SELECT o.id, v.net, v.net * 2 AS dbl FROM orders o CROSS JOIN LATERAL (SELECT o.amount * (1 - coalesce(o.discount, 0)) AS net) v ORDER BY o.id;
SELECT o.id, y.b FROM orders o JOIN LATERAL (SELECT o.qty * 2 AS b) y ON true ORDER BY o.id;
SELECT o.id, y.b, y.c FROM orders o LEFT JOIN LATERAL (SELECT o.qty * 2 AS b, o.status || '!' AS c) y ON true ORDER BY o.id;
SELECT c.id, x.full_name FROM customers c, LATERAL (SELECT c.first_name || ' ' || c.last_name AS full_name) x ORDER BY c.id;
SELECT o.id, v.net, g.gross FROM orders o CROSS JOIN LATERAL (SELECT o.amount * 2 AS net) v CROSS JOIN LATERAL (SELECT v.net + 1 AS gross) g WHERE v.net > 20 ORDER BY g.gross DESC, o.id;
SELECT x.bucket, count(*) FROM orders o, LATERAL (SELECT CASE WHEN o.amount >= 100 THEN 'big' ELSE 'small' END AS bucket) x GROUP BY x.bucket ORDER BY 1;
SELECT c.id, n.nm FROM customers c CROSS JOIN LATERAL (SELECT lower(c.email) AS nm) AS n(nm) WHERE n.nm LIKE '%example%' ORDER BY c.id;
