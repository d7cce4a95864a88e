-- Cohort retention: of the customers whose first order was in a given month of 2024, how many ordered again 1 to 6 months later?
WITH firsts AS (
  SELECT contact_id, min(order_date) AS first_order
  FROM orders
  GROUP BY contact_id
), cohorts AS (
  SELECT contact_id, first_order, date_trunc('month', first_order) AS cohort_month
  FROM firsts
  WHERE first_order >= '2024-01-01' AND first_order < '2025-01-01'
), activity AS (
  SELECT c.cohort_month,
         c.contact_id,
         CAST((extract(year FROM o.order_date) - extract(year FROM c.first_order)) * 12
              + extract(month FROM o.order_date) - extract(month FROM c.first_order) AS integer) AS months_since
  FROM cohorts c
  JOIN orders o ON o.contact_id = c.contact_id
), sizes AS (
  SELECT cohort_month, count(*) AS cohort_size
  FROM cohorts
  GROUP BY cohort_month
)
SELECT a.cohort_month,
       s.cohort_size,
       a.months_since,
       count(DISTINCT a.contact_id) AS active_customers,
       round(100.0 * count(DISTINCT a.contact_id) / s.cohort_size, 1) AS retention_pct
FROM activity a
JOIN sizes s ON s.cohort_month = a.cohort_month
WHERE a.months_since BETWEEN 0 AND 6
GROUP BY a.cohort_month, s.cohort_size, a.months_since
ORDER BY a.cohort_month, a.months_since;
