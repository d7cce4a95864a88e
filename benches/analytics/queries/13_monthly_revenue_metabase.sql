-- Metabase question "Orders, sum of total amount and count, by order date: month", as Metabase writes it
SELECT date_trunc('month', "orders"."order_date") AS "order_date",
       sum("orders"."total_amount") AS "sum",
       count(*) AS "count"
FROM "orders"
WHERE ("orders"."status" <> 'cancelled'
   OR "orders"."status" IS NULL)
GROUP BY date_trunc('month', "orders"."order_date")
ORDER BY date_trunc('month', "orders"."order_date") ASC
LIMIT 2000;
