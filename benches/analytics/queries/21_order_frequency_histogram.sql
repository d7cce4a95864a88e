-- How many customers placed 1, 2, 3, 4, 5-9, 10-19 and 20+ orders, and what share of revenue does each group bring?
WITH per_customer AS (
  SELECT contact_id, count(*) AS orders, sum(total_amount) AS revenue
  FROM orders
  WHERE status <> 'cancelled'
  GROUP BY contact_id
), bucketed AS (
  SELECT CASE
           WHEN orders >= 20 THEN 7
           WHEN orders >= 10 THEN 6
           WHEN orders >= 5 THEN 5
           ELSE orders
         END AS bucket,
         CASE
           WHEN orders >= 20 THEN '20+'
           WHEN orders >= 10 THEN '10-19'
           WHEN orders >= 5 THEN '5-9'
           ELSE CAST(orders AS varchar)
         END AS order_count,
         orders,
         revenue
  FROM per_customer
)
SELECT bucket,
       order_count,
       count(*) AS customers,
       sum(orders) AS orders,
       sum(revenue) AS revenue,
       round(100 * sum(revenue) / sum(sum(revenue)) OVER (), 1) AS revenue_share_pct
FROM bucketed
GROUP BY bucket, order_count
ORDER BY bucket;
