-- New versus returning customers per month of 2025: how many of each ordered, and the revenue they brought
WITH firsts AS (
  SELECT contact_id, min(order_date) AS first_order
  FROM orders
  WHERE status <> 'cancelled'
  GROUP BY contact_id
)
SELECT date_trunc('month', o.order_date) AS month,
       count(DISTINCT o.contact_id) FILTER (WHERE date_trunc('month', f.first_order) = date_trunc('month', o.order_date)) AS new_customers,
       count(DISTINCT o.contact_id) FILTER (WHERE f.first_order < date_trunc('month', o.order_date)) AS returning_customers,
       sum(o.total_amount) FILTER (WHERE date_trunc('month', f.first_order) = date_trunc('month', o.order_date)) AS new_revenue,
       sum(o.total_amount) FILTER (WHERE f.first_order < date_trunc('month', o.order_date)) AS returning_revenue
FROM orders o
JOIN firsts f ON f.contact_id = o.contact_id
WHERE o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01'
  AND o.status <> 'cancelled'
GROUP BY date_trunc('month', o.order_date)
ORDER BY month;
