-- Repeat purchase rate: per year of first order, how many new customers ordered again (2+ orders), and 3+ orders?
WITH per_customer AS (
  SELECT contact_id,
         min(order_date) AS first_order,
         count(*) AS orders
  FROM orders
  WHERE status <> 'cancelled'
  GROUP BY contact_id
)
SELECT CAST(extract(year FROM first_order) AS integer) AS first_order_year,
       count(*) AS customers,
       count(*) FILTER (WHERE orders >= 2) AS repeat_customers,
       count(*) FILTER (WHERE orders >= 3) AS customers_3_plus,
       round(100.0 * count(*) FILTER (WHERE orders >= 2) / count(*), 1) AS repeat_rate_pct,
       round(100.0 * count(*) FILTER (WHERE orders >= 3) / count(*), 1) AS rate_3_plus_pct
FROM per_customer
GROUP BY CAST(extract(year FROM first_order) AS integer)
ORDER BY first_order_year;
