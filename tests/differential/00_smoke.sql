-- integers and text
SELECT id, customer FROM t_orders ORDER BY id;
SELECT count(*) FROM t_orders;
SELECT sum(qty), avg(qty) FROM t_orders;
SELECT to_char(at, 'YYYY-MM') FROM t_orders ORDER BY id;
SELECT date_trunc('month', at) FROM t_orders ORDER BY id;
SELECT amount * 2 FROM t_orders ORDER BY id;
